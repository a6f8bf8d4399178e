"""Results kept until the data change: the heavy pages' rendered content and the team builder's flags.

Every entry is keyed on the data version (``scheduler.models.data_version``: counters that
database triggers bump in the same transaction as any write to a tracked table, one row per writing
connection so that writers never wait on each other through it) and on today's
date, so a change, made through this app or any other session, is seen by the very next request:
it reads the new version and misses. The version is read before the result is computed, so an
entry is never older than its key (a write committed meanwhile only makes it newer).

Entries live in the process (each gunicorn worker has its own), at most MAX_ENTRIES, least recently
used dropped first; a newer version empties the store; one thread works an entry out while others
asking for it wait. What is kept must be the same for every user
who may ask for it: no CSRF token, CSP nonce or user's name; anything that depends on the role goes
in the key.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from scheduler.extensions import db
from scheduler.models import DataVersion

T = TypeVar("T")
MAX_ENTRIES = 200
WROTE = "data_cache.wrote"     # Session.info: this transaction has written (its version may roll back)
VERSION = "data_cache.version"  # Session.info: the version this transaction read first


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = -1
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.computing: dict[Hashable, threading.Event] = {}     # entries a thread is working out now


def _store() -> _Store:
    return current_app.extensions.setdefault("data_cache", _Store())


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it returned for the same key, data version and day. After a write, the
    first thread to ask works it out while others asking for the same entry wait for it (a write
    must not set every thread of a worker recomputing the team builder's flags at once)."""
    session = db.session()
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return compute()     # uncommitted writes: the version this transaction sees may never be committed
    version = current_version()
    store = _store()
    full_key = (key, date.today())
    while True:
        with store.lock:
            if version > store.version:
                store.version = version
                store.entries.clear()
                store.computing = {}
            mine: threading.Event | None = None
            if version == store.version:        # else read before another thread's newer version: not kept
                if full_key in store.entries:
                    store.entries.move_to_end(full_key)
                    return store.entries[full_key]  # type: ignore[return-value]
                other = store.computing.get(full_key)
                if other is None:
                    mine = store.computing[full_key] = threading.Event()
            if version < store.version or mine is not None:
                break
        other.wait()
    try:
        value = compute()
        if mine is not None:
            with store.lock:
                if version == store.version:
                    store.entries[full_key] = value
                    while len(store.entries) > MAX_ENTRIES:
                        store.entries.popitem(last=False)
        return value
    finally:
        if mine is not None:
            with store.lock:
                if store.computing.get(full_key) is mine:
                    del store.computing[full_key]
            mine.set()


def current_version() -> int:
    """The data version this session sees: the sum of the rows (one per writing connection on
    PostgreSQL, see migration 0012), which grows with every committed write. Read once per
    transaction (a page asking for several entries reads it once): a write committed by others
    since is seen by the next transaction, the next request at the latest, and what is computed
    meanwhile is still no older than its key."""
    info = db.session().info
    if VERSION not in info:
        info[VERSION] = db.session.scalar(sa.select(sa.func.sum(DataVersion.version)))
    return info[VERSION]


def query_string() -> tuple[tuple[str, str], ...]:
    """The request's query parameters in a fixed order, for a key: one entry per distinct query."""
    return tuple(sorted(request.args.items(multi=True)))


@event.listens_for(Session, "after_flush")
def _wrote(session: Session, _flush_context) -> None:
    session.info[WROTE] = True
    session.info.pop(VERSION, None)


@event.listens_for(Session, "do_orm_execute")
def _wrote_in_bulk(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True
        state.session.info.pop(VERSION, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(WROTE, None)
    session.info.pop(VERSION, None)
