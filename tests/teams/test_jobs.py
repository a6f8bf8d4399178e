"""Background solves: status, progress, failure, cancel, dead workers, RQ."""
from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from scheduler import jobs
from scheduler.extensions import db
from scheduler.models import SolveRun, utcnow
from scheduler.planning import Scope
from scheduler.teams import plans
from tests import factories as f
from tests.conftest import TEST_REDIS_URL
from tests.teams.conftest import build_run, live

MARCH = Scope(date(2027, 3, 1), date(2027, 3, 31))


def _queued(user=None) -> SolveRun:
    run = plans.start_run(MARCH, user)
    db.session.commit()
    return run


def test_a_solve_records_status_progress_and_the_plan(programme):
    run = _queued()
    jobs.run_solve(run.id)
    db.session.refresh(run)
    assert run.status == "finished"
    assert run.started_at and run.finished_at and run.heartbeat_at
    assert run.progress and {"level", "value", "bound", "elapsed"} <= set(run.progress[0])
    assert run.plan["format"] == "assessor-deployment-plan/1"
    assert run.instance["format"] == "assessor-deployment-instance/1"
    assert run.scope["in_scope"] == ["I0001", "I0002"]


def test_a_failed_solve_leaves_deployments_untouched(programme, monkeypatch):
    i1 = programme.inspections[0]
    kept = f.DeploymentFactory(assessor=programme.assessors[0], inspection=i1, status="proposed")
    db.session.commit()
    before = [(d.id, d.status, list(d.days), d.version_id) for d in live()]

    def boom(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("solver.solve", boom)
    run = _queued()
    jobs.run_solve(run.id)
    db.session.refresh(run)
    assert run.status == "failed"
    assert "solver crashed" in run.error
    assert [(d.id, d.status, list(d.days), d.version_id) for d in live()] == before
    assert kept.status == "proposed"


def test_a_scope_with_nothing_to_plan_fails_with_a_clear_reason(db):
    run = plans.start_run(Scope(date(2030, 1, 1), date(2030, 1, 31)), None)
    db.session.commit()
    jobs.run_solve(run.id)
    db.session.refresh(run)
    assert run.status == "failed" and "no planned inspections" in run.error


def test_a_dead_worker_is_detected(client, sign_in, programme):
    run = _queued()
    run.status = "running"
    run.started_at = run.heartbeat_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    sign_in("coordinator")
    page = client.get(f"/teams/runs/{run.id}")
    db.session.refresh(run)
    assert run.status == "failed"
    assert "stopped responding" in run.error
    assert "stopped responding" in page.soup.get_text(" ")
    # a worker starting also reaps: a fresh heartbeat is left alone
    other = _queued()
    other.status, other.heartbeat_at = "running", utcnow()
    db.session.commit()
    assert jobs.reap_dead_runs() == []


def test_a_killed_worker_s_run_is_failed_once_its_heartbeat_is_fifteen_seconds_old(app, programme):
    """Seven missed heartbeats (every 2 s in production settings), not a minute."""
    assert app.config["SOLVE_DEAD_AFTER_SECONDS"] == 15
    now = utcnow()
    alive, dead = _queued(), _queued()
    for run, age in ((alive, 14), (dead, 16)):
        run.status, run.heartbeat_at = "running", now - timedelta(seconds=age)
    db.session.commit()
    assert jobs.reap_dead_runs(now=now) == [dead.id]
    assert "no heartbeat for 15 seconds" in db.session.get(type(dead), dead.id).error


def test_cancelling_a_queued_run_stops_it_before_it_starts(client, sign_in, programme):
    run = _queued()
    sign_in("coordinator")
    assert client.post(f"/teams/runs/{run.id}/cancel").status_code == 302
    db.session.refresh(run)
    assert run.status == "cancelled" and run.cancel_requested
    jobs.run_solve(run.id)              # a worker picking it up later does nothing
    db.session.refresh(run)
    assert run.status == "cancelled" and run.plan is None


def test_cancel_reaches_a_running_solve_through_the_heartbeat(programme, app, monkeypatch):
    """The heartbeat thread reads cancel_requested and the solver's cancel hook sees it."""
    app.config["SOLVE_HEARTBEAT_SECONDS"] = 0.05
    seen = {}

    def slow_solve(instance, **kwargs):
        cancel = kwargs["cancel"]
        with app.app_context():
            db.session.execute(db.update(SolveRun).values(cancel_requested=True))
            db.session.commit()
        deadline = time.monotonic() + 5
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.02)
        seen["cancelled"] = cancel()
        import solver.model
        return solver.model.solve(instance, time_limit=1, workers=1)

    monkeypatch.setattr("solver.solve", slow_solve)
    try:
        if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
            pytest.skip("the heartbeat thread needs its own connection: in-memory SQLite shares one")
        run = _queued()
        jobs.run_solve(run.id)
    finally:
        app.config["SOLVE_HEARTBEAT_SECONDS"] = 0.0
    db.session.refresh(run)
    assert seen["cancelled"] is True
    assert run.status == "cancelled" and run.plan is not None


def test_progress_json_reports_status_for_the_page_script(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    data = client.get(f"/teams/runs/{run.id}/progress.json").get_json()
    assert data["status"] == "finished" and data["done"] is True
    assert data["url"].endswith(f"/teams/runs/{run.id}")


def test_progress_names_each_aim_in_words_for_the_page_script(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    run.progress = [{"level": level, "value": 1, "bound": 1, "elapsed": 0.1}
                    for level in ("seats_filled", "days_deployed", "travel_km")]
    db.session.commit()
    events = client.get(f"/teams/runs/{run.id}/progress.json").get_json()["events"]
    assert [e["label"] for e in events] == ["Seats filled", "Days deployed", "Travel (km)"]


def test_rq_worker_runs_a_queued_solve(programme, app, redis_db):
    connection = redis_db     # SimpleWorker runs the job in this process and thread
    from rq import Queue, SimpleWorker

    app.config.update(REDIS_URL=TEST_REDIS_URL, SOLVE_INLINE=False)
    try:
        run = _queued()
        run_id = run.id
        assert jobs.enqueue(run) == "rq"
        assert Queue(jobs.QUEUE_NAME, connection=connection).count == 1
        SimpleWorker([jobs.QUEUE_NAME], connection=connection).work(burst=True)
    finally:
        app.config.update(REDIS_URL=None, SOLVE_INLINE=True)
    run = db.session.get(SolveRun, run_id)
    assert run.status == "finished", run.error
    assert run.objective["seats_filled"] == 3


def test_without_redis_a_solve_runs_in_a_background_thread_with_a_heartbeat(programme, app):
    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("the worker thread needs its own connection: in-memory SQLite shares one")
    app.config.update(SOLVE_INLINE=False, SOLVE_HEARTBEAT_SECONDS=0.05)
    try:
        run = _queued()
        run_id = run.id
        assert jobs.enqueue(run) == "thread"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.rollback()
            status = db.session.scalar(db.select(SolveRun.status).where(SolveRun.id == run_id))
            if status not in ("queued", "running"):
                break
            time.sleep(0.1)
    finally:
        app.config.update(SOLVE_INLINE=True, SOLVE_HEARTBEAT_SECONDS=0.0)
    run = db.session.get(SolveRun, run_id)
    assert run.status == "finished", run.error
    assert run.heartbeat_at is not None and run.objective["seats_filled"] == 3


def test_build_teams_answers_as_soon_as_a_quick_solve_ends(app, programme, monkeypatch):
    """The request reads the run afresh after each nap and answers once the solve has ended."""
    run = _queued()
    run.status = "running"
    db.session.commit()
    naps = []

    def nap(seconds):   # the solver commits its result during the third nap
        naps.append(seconds)
        if len(naps) == 3:
            db.session.execute(sa.update(SolveRun).where(SolveRun.id == run.id).values(status="finished"))
            db.session.commit()

    monkeypatch.setitem(app.config, "SOLVE_WAIT_SECONDS", 30)
    monkeypatch.setattr(jobs.time, "sleep", nap)
    jobs.wait_briefly(run.id)
    assert len(naps) == 3


def test_build_teams_stops_waiting_for_a_long_solve(app, programme, monkeypatch):
    run = _queued()
    run.status = "running"
    db.session.commit()
    monkeypatch.setitem(app.config, "SOLVE_WAIT_SECONDS", 0.2)
    jobs.wait_briefly(run.id)       # returns: the progress page takes over
    assert db.session.get(SolveRun, run.id).status == "running"
