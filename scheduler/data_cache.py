"""Results kept until the data change: the heavy pages' rendered content and the team builder's flags.

Every entry is keyed on the data version (``scheduler.models.data_version``: counters that
database triggers bump in the same transaction as any write to a tracked table, one row per writing
connection so that writers never wait on each other through it) and on today's
date, so a change, made through this app or any other session, is seen by the very next request:
it reads the new version and misses. The version is read before the result is computed, so an
entry is never older than its key (a write committed meanwhile only makes it newer).

Entries live in the process (each gunicorn worker has its own), at most MAX_ENTRIES, least recently
used dropped first; a newer version empties the store; one thread works an entry out while others
asking for it wait. With Redis configured (REDIS_URL), the workers also share what they work out:
after a write one process computes the team builder's flags and the others read its result (issue
14: every worker recomputing after each write saturated the machine). Redis failing only means each
process computes for itself again. The team builder's flags go further: a result is built on the
previous one, worked out again only for what the writes since touched (``writers``,
``touched_since``: the change log that triggers keep, migration 0017; ``scheduler.planning.flags``).
What is kept must be the same for every user
who may ask for it: no CSRF token, CSP nonce or user's name; anything that depends on the role goes
in the key.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from scheduler.extensions import db
from scheduler.models import DataChange, DataVersion

T = TypeVar("T")
MAX_ENTRIES = 200
PREFIX = "data-cache:"         # Redis keys of the shared entries
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


class _Shared:
    """Entries shared by the processes through Redis, keyed on the data version (so never stale),
    expiring by themselves. One process computes an entry while the others wait for it, up to WAIT
    seconds (then they compute it too: its process may have died). After a Redis error the store is
    left alone for a while, so pages do not wait on a Redis that is down."""

    TTL = 60            # seconds an entry is kept: the next write makes it useless anyway, and after
                        # a backup is restored (versions may repeat) `flask cache clear` empties it
    LOCK_TTL = 60       # a computing process that died lets go after this
    WAIT = 10.0
    POLL = 0.02
    PAUSE_AFTER_ERROR = 15.0

    def __init__(self, url: str) -> None:
        from redis import Redis

        self.url = url
        self.redis = Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)
        self.paused_until = 0.0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        from redis.exceptions import RedisError

        if time.monotonic() < self.paused_until:
            return compute()
        database = current_app.config["SQLALCHEMY_DATABASE_URI"]   # two services may share one Redis
        name = PREFIX + hashlib.sha256(repr((code_version(), database, key)).encode()).hexdigest()
        try:
            deadline = time.monotonic() + self.WAIT
            while True:
                raw = self.redis.get(name)
                if raw is not None:
                    return pickle.loads(raw)    # written by this service's own processes
                if self.redis.set(name + ":computing", b"1", nx=True, ex=self.LOCK_TTL):
                    break
                if time.monotonic() > deadline:
                    return compute()
                time.sleep(self.POLL)
        except RedisError as error:
            self._paused(error)
            return compute()
        try:
            value = compute()
        except BaseException:
            self._forget(name + ":computing")
            raise
        try:
            self.redis.set(name, pickle.dumps(value), ex=self.TTL)
            self.redis.delete(name + ":computing")
        except RedisError as error:
            self._paused(error)
        return value

    def _forget(self, name: str) -> None:
        from redis.exceptions import RedisError

        try:
            self.redis.delete(name)
        except RedisError as error:
            self._paused(error)

    def _paused(self, error: Exception) -> None:
        current_app.logger.warning("Shared page cache unavailable, computing in this process: %s", error)
        self.paused_until = time.monotonic() + self.PAUSE_AFTER_ERROR


@functools.cache
def code_version() -> str:
    """What this code is (its Python and templates): processes of two versions, during a deploy or two
    checkouts on one Redis, never read each other's entries, whose shapes may differ (a load test's
    main read an entry its branch had written, and its page failed)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "scheduler").rglob("*.py"), *(root / "solver").rglob("*.py"),
                        *(root / "templates").rglob("*.html")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def clear_shared() -> int:
    """Empty the entries shared through Redis (after restoring a backup); returns how many went."""
    shared = _shared()
    if shared is None:
        return 0
    names = list(shared.redis.scan_iter(match=PREFIX + "*", count=1000))
    return shared.redis.delete(*names) if names else 0


def _shared() -> _Shared | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    shared = current_app.extensions.get("data_cache_shared")
    if shared is None or shared.url != url:
        shared = current_app.extensions["data_cache_shared"] = _Shared(url)
    return shared


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it returned for the same key, data version and day. After a write, the
    first thread to ask works it out while others asking for the same entry wait for it (a write
    must not set every thread of a worker recomputing the team builder's flags at once)."""
    if writing():
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
        shared = _shared() if mine is not None else None
        value = shared.get_or_compute((full_key, version), compute) if shared else compute()
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


def writing() -> bool:
    """Whether this transaction has written: what it reads may never be committed."""
    session = db.session()
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def writers() -> dict[int, int]:
    """The data-version rows this session sees (writer -> version): what a result worked out now is
    at least as new as, so that the changes committed since can be found (``touched_since``)."""
    return dict(db.session.execute(sa.select(DataVersion.id, DataVersion.version)).all())


def touched_since(before: dict[int, int], now: dict[int, int]) -> tuple[set[int], set[int]] | None:
    """(assessor ids, inspection ids) the writes committed after ``before`` and up to ``now`` (both
    from ``writers``) touched, from the change log (``DataChange``, migration 0017); None when one
    touched everything (an employer, an area, the planning policy) or the rows went back (a restore)."""
    newer = {w: before.get(w, 0) for w, v in now.items() if v > before.get(w, 0)}
    if any(now.get(w, 0) < v for w, v in before.items()):
        return None
    if not newer:
        return set(), set()
    rows = db.session.execute(sa.select(DataChange.assessor_id, DataChange.inspection_id).distinct().where(
        sa.or_(*(sa.and_(DataChange.writer == w, DataChange.version > v) for w, v in newer.items())))).all()
    if any(a == 0 and i == 0 for a, i in rows):
        return None
    return {a for a, _ in rows if a}, {i for _, i in rows if i}


CHANGES_KEPT = 86400   # seconds the change log is kept: far longer than a result is built on


def prune_changes(now: float | None = None) -> int:
    """Delete the change log's rows older than CHANGES_KEPT (daily: ``flask cache prune``); returns
    how many went. A result older than an hour is never built on (``scheduler.planning.flags``)."""
    cutoff = int((now or time.time()) - CHANGES_KEPT)
    gone = db.session.execute(sa.delete(DataChange).where(DataChange.at < cutoff)).rowcount
    db.session.commit()
    return gone


def prune_job() -> None:
    """The RQ job (scheduler.daily): prune the change log, then book tomorrow's run."""
    from scheduler import daily

    daily.run_then_book_next(daily.CHANGES, lambda _now: prune_changes())


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
