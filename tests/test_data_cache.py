"""The heavy pages are served from a cache keyed on the data version, and the cache is exact: a
change made through the app, or committed by any other session (another worker, psql), shows on
the very next request; what is kept never depends on who asked, beyond their role."""
from __future__ import annotations

import threading
from datetime import date

import sqlalchemy as sa

from scheduler import data_cache
from scheduler.extensions import db as _db
from scheduler.models import UNTRACKED_TABLES, SolveRun
from tests import factories as f
from tests.conftest import CLOSED_PORT, TEST_REDIS_URL
from tests.inspections.helpers import inspection_form


def version() -> int:
    return data_cache.current_version()


def other_session_writes(sql: str, **params) -> None:
    """A write committed on its own connection, not through the app's session."""
    _db.session.commit()
    with _db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def text_of(response) -> str:
    return " ".join(response.soup.get_text(" ", strip=True).split())


# ----------------------------------------------------------------------------- the data version

def test_every_table_bumps_the_data_version_except_those_written_on_page_views(db):
    if db.engine.dialect.name == "postgresql":
        found = db.session.scalars(sa.text(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'bump_data_version'"))
    else:
        found = db.session.scalars(sa.text(
            "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%bumps_data_version'"))
    assert set(found) == set(db.metadata.tables) - UNTRACKED_TABLES - {"data_version", "data_change"}


def test_a_committed_write_by_another_session_changes_the_version_and_a_rolled_back_one_does_not(db):
    before = version()
    other_session_writes("UPDATE area SET name = name WHERE id = 'angus'")
    after = version()
    assert after > before
    with db.engine.connect() as conn:
        conn.execute(sa.text("UPDATE area SET name = 'Nowhere' WHERE id = 'angus'"))
        conn.rollback()
    assert version() == after


def test_a_transaction_reads_the_version_once_and_the_next_one_reads_it_again(db):
    before = version()
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE area SET name = name WHERE id = 'angus'"))
    assert version() == before        # a page asking for several entries reads it once
    db.session.commit()
    assert version() > before


def test_a_running_solve_s_heartbeat_leaves_the_version_alone_but_its_status_changes_it(db):
    run = SolveRun(status="running", scope={"start": "2027-03-01", "end": "2027-03-31", "references": []})
    db.session.add(run)
    db.session.commit()
    started = version()
    other_session_writes("UPDATE solve_run SET heartbeat_at = CURRENT_TIMESTAMP, progress = '[]' WHERE id = :id",
                         id=run.id)
    assert version() == started
    other_session_writes("UPDATE solve_run SET status = 'finished' WHERE id = :id", id=run.id)
    assert version() > started


def test_signing_in_leaves_the_version_alone(client, make_user, sign_in):
    user = make_user("coordinator")
    _db.session.commit()
    before = version()
    sign_in(user)
    assert version() == before


def test_nothing_is_kept_while_the_session_has_uncommitted_writes(db):
    computed = []

    def compute() -> int:
        computed.append(version())
        return len(computed)

    assert data_cache.cached(("test",), compute) == 1
    assert data_cache.cached(("test",), compute) == 1          # kept
    f.InspectionFactory()
    db.session.flush()                                         # this transaction's version may never be committed
    assert data_cache.cached(("test",), compute) == 2
    db.session.rollback()
    assert data_cache.cached(("test",), compute) == 1          # the committed version: what was kept for it
    assert len(computed) == 2


def test_a_thread_asking_for_an_entry_another_is_working_out_gets_that_one(app, db):
    """After a write the first request works the flags out; the others wait for it, not redo it."""
    started, release, computed, answers = threading.Event(), threading.Event(), [], []

    def slow() -> str:
        computed.append("slow")
        started.set()
        release.wait()
        return "worked out once"

    def ask(compute) -> None:
        with app.app_context():
            answers.append(data_cache.cached(("flags",), compute))

    first = threading.Thread(target=ask, args=(slow,))
    first.start()
    started.wait()
    second = threading.Thread(target=ask, args=(lambda: computed.append("again") or "worked out again",))
    second.start()       # it finds the entry being worked out and waits (or, if late, finds it kept)
    release.set()
    first.join()
    second.join()
    assert computed == ["slow"] and answers == ["worked out once", "worked out once"]


# ----------------------------------------------------------------------------- the pages

def test_the_programme_shows_a_change_by_another_session_on_the_next_request(client, sign_in):
    sign_in("coordinator")
    inspection = f.InspectionFactory(title="Joint inspection in Angus")
    f.SeatFactory(inspection=inspection, count=2)
    assert "Joint inspection in Angus" in text_of(client.get("/inspections?year=2027"))
    other_session_writes("UPDATE inspection SET title = 'Renamed by another session' WHERE id = :id",
                         id=inspection.id)
    page = text_of(client.get("/inspections?year=2027"))
    assert "Renamed by another session" in page and "Joint inspection in Angus" not in page


def test_the_programme_shows_an_inspection_added_through_the_app_on_the_next_request(client, sign_in):
    sign_in("coordinator")
    assert "There are no inspections in 2027" in text_of(client.get("/inspections?year=2027"))
    response = client.post("/inspections/new", data=inspection_form(title="Added through the form"))
    assert response.status_code == 302
    page = text_of(client.get("/inspections?year=2027"))
    assert "Added through the form" in page and "1 inspection in 2027" in page


def test_the_programme_kept_for_a_coordinator_is_not_shown_to_an_inspector(app, client, sign_in):
    f.InspectionFactory()
    sign_in("coordinator")
    assert "Add an inspection" in text_of(client.get("/inspections?year=2027"))
    inspector = app.test_client()
    sign_in("inspector", client=inspector)
    page = inspector.get("/inspections?year=2027")
    assert page.status_code == 200 and "Add an inspection" not in text_of(page)


def test_the_directory_shows_an_assessor_renamed_by_another_session_on_the_next_request(client, sign_in):
    sign_in("coordinator")
    assessor = f.AssessorFactory(name="Morag Lindsay")
    assert "Morag Lindsay" in text_of(client.get("/assessors"))
    other_session_writes("UPDATE assessor SET name = 'Morag Baird' WHERE id = :id", id=assessor.id)
    page = text_of(client.get("/assessors"))
    assert "Morag Baird" in page and "Morag Lindsay" not in page


def test_the_directory_served_from_the_cache_still_summarises_the_filters_errors(client, sign_in):
    sign_in("coordinator")
    for _ in range(2):          # worked out, then kept
        page = client.get("/assessors?available_from=12&available_from=3&available_from=2027"
                          "&available_to=1&available_to=3&available_to=2027")
        assert page.soup.title.text.startswith("Error: Assessors")
        assert page.soup.select_one(".govuk-error-summary") is not None


def test_the_directory_keeps_each_user_s_own_sign_out_token(app, client, sign_in):
    """The cached part is the same for both; the header's form carries each session's own token."""
    sign_in("coordinator")
    other = app.test_client()
    sign_in("coordinator", client=other)
    mine, theirs = (c.get("/assessors").soup.select_one("form[action='/sign-out'] input[name=csrf_token]")["value"]
                    for c in (client, other))
    assert mine != theirs


def test_the_team_builder_shows_a_new_flag_and_a_new_inspection_on_the_next_request(client, sign_in):
    sign_in("coordinator")
    inspection = f.InspectionFactory(reference="I0042", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    f.SeatFactory(inspection=inspection)
    deployment = f.DeploymentFactory(inspection=inspection, status="completed")     # not checked by the flags
    page = text_of(client.get("/teams/"))
    assert "I0042" in page and "Published deployments that must change" not in page
    other_session_writes("UPDATE deployment SET status = 'employer_declined' WHERE id = :id", id=deployment.id)
    added = f.InspectionFactory(reference="I0043", starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    f.SeatFactory(inspection=added)
    page = text_of(client.get("/teams/"))
    assert "Published deployments that must change" in page and "I0043" in page


def test_the_team_builder_shows_a_build_s_new_status_on_the_next_request(client, sign_in):
    sign_in("coordinator")
    run = SolveRun(status="running", scope={"start": "2027-03-01", "end": "2027-03-31", "references": []})
    _db.session.add(run)
    builds = client.get("/teams/").soup.find("caption", string="Recent team builds").find_parent("table")
    assert "Running" in builds.get_text()
    other_session_writes("UPDATE solve_run SET status = 'failed', error = 'The solver stopped' WHERE id = :id",
                         id=run.id)
    builds = client.get("/teams/").soup.find("caption", string="Recent team builds").find_parent("table")
    assert "Failed" in builds.get_text() and "The solver stopped" in builds.get_text()


# ----------------------------------------------------------------------------- shared by the workers

def _another_worker(app) -> None:
    """What a second gunicorn process sees: an empty cache of its own (Redis is shared)."""
    app.extensions.pop("data_cache", None)


def _counting(value: str):
    calls = []

    def compute() -> str:
        calls.append(1)
        return value

    return compute, calls


def test_with_redis_one_worker_works_an_entry_out_and_the_others_read_it(app, db, redis_db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    compute, calls = _counting("the flags")
    assert data_cache.cached(("team builder flagged",), compute) == "the flags"
    _another_worker(app)
    assert data_cache.cached(("team builder flagged",), compute) == "the flags"
    assert len(calls) == 1


def test_with_redis_a_write_is_still_seen_by_the_next_request_in_every_worker(app, db, redis_db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    data_cache.cached(("programme",), lambda: "before")
    other_session_writes("UPDATE area SET name = name WHERE id = 'angus'")
    _another_worker(app)
    assert data_cache.cached(("programme",), lambda: "after") == "after"


def test_another_database_never_reads_this_one_s_entries(app, db, redis_db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    data_cache.cached(("programme",), lambda: "staging")
    _another_worker(app)
    monkeypatch.setitem(app.config, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://elsewhere/live")
    assert data_cache.cached(("programme",), lambda: "live") == "live"


def test_another_version_of_the_code_never_reads_this_one_s_entries(app, db, redis_db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    data_cache.cached(("programme",), lambda: "before the deploy")
    _another_worker(app)
    monkeypatch.setattr(data_cache, "code_version", lambda: "the next release")
    assert data_cache.cached(("programme",), lambda: "after the deploy") == "after the deploy"


def test_with_redis_down_each_worker_works_pages_out_for_itself(app, db, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{CLOSED_PORT}/0")
    compute, calls = _counting("the flags")
    assert data_cache.cached(("team builder flagged",), compute) == "the flags"
    _another_worker(app)
    assert data_cache.cached(("team builder flagged",), compute) == "the flags"
    assert len(calls) == 2
    assert "Shared page cache unavailable" in caplog.text


def test_cache_clear_empties_the_shared_entries_after_a_restore(app, db, redis_db, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    data_cache.cached(("programme",), lambda: "before the restore")
    result = app.test_cli_runner().invoke(args=["cache", "clear"])
    assert result.exit_code == 0 and "Removed 1 shared entries" in result.output
    _another_worker(app)
    assert data_cache.cached(("programme",), lambda: "restored") == "restored"
