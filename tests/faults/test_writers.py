"""Writers on PostgreSQL: they never queue or deadlock on the data version, a deadlock between two
requests is retried rather than shown, and a connection dropped mid-request loses nothing committed."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from scheduler import data_cache
from scheduler.access import public
from scheduler.errors import retrying
from scheduler.extensions import db as _db

from .conftest import at_once


def _version_now() -> int:
    """The version as the next request would read it (a transaction reads it once)."""
    _db.session.rollback()
    return data_cache.current_version()


def test_a_writer_does_not_wait_for_another_s_open_transaction_through_the_data_version(postgresql):
    before = _version_now()
    with _db.engine.connect() as first, _db.engine.connect() as second:
        first.execute(sa.text("UPDATE area SET name = name WHERE id = 'angus'"))      # open, not committed
        second.execute(sa.text("SET lock_timeout = '2s'"))
        second.execute(sa.text("UPDATE area SET name = name WHERE id = 'fife'"))      # waited on one row before
        second.commit()
        after_second = _version_now()
        assert after_second > before
        first.commit()
    assert _version_now() > after_second


@pytest.fixture()
def opposite_order_app(bare_app, postgresql):
    """Two requests: /write/angus/fife and /write/fife/angus, each holding its first row until the
    other has taken its own (first attempt only), so they deadlock unless one runs again."""
    both_hold_one = threading.Barrier(2)
    attempts: list[str] = []

    def write(first: str, second: str):
        attempts.append(first)
        _db.session.execute(sa.text("UPDATE area SET name = name || '' WHERE id = :id"), {"id": first})
        if attempts.count(first) == 1:
            both_hold_one.wait(timeout=10)
        _db.session.execute(sa.text("UPDATE area SET name = name || '' WHERE id = :id"), {"id": second})
        _db.session.commit()
        return "saved", 200, {"Content-Type": "text/plain"}

    bare_app.add_url_rule("/write/<first>/<second>", "write", public(retrying(write)))
    bare_app.attempts = attempts
    return bare_app


def test_two_requests_writing_rows_in_opposite_order_both_save_without_a_deadlock_page(opposite_order_app):
    client = opposite_order_app.test_client()
    pages = at_once(lambda: client.get("/write/angus/fife"), lambda: client.get("/write/fife/angus"))
    assert [(p.status_code, p.get_data(as_text=True)) for p in pages] == [(200, "saved"), (200, "saved")]
    assert len(opposite_order_app.attempts) == 3       # they did deadlock: one ran again


def test_a_connection_dropped_mid_request_is_retried_and_what_was_saved_is_kept(bare_app, postgresql):
    dropped: list[int] = []

    def save():
        pid = _db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        if not dropped:
            dropped.append(pid)
            with _db.engine.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        _db.session.execute(sa.text("UPDATE area SET name = 'Angus (kept)' WHERE id = 'angus'"))
        _db.session.commit()
        return "saved", 200, {"Content-Type": "text/plain"}

    bare_app.add_url_rule("/save", "save", public(retrying(save)))
    try:
        page = bare_app.test_client().get("/save")
        assert (page.status_code, page.get_data(as_text=True)) == (200, "saved")
        assert postgresql.session.scalar(sa.text("SELECT name FROM area WHERE id = 'angus'")) == "Angus (kept)"
    finally:
        with _db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE area SET name = 'Angus' WHERE id = 'angus'"))
