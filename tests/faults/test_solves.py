"""Solves when things fail: Redis down or lost, a worker that loses Redis, a worker killed or stopped
under a solve, a web process shut down under its solve threads. Nothing committed is lost, no run
is left waiting for ever, and the coordinator reads what happened."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from rq import Queue, SimpleWorker

from scheduler import jobs
from scheduler.extensions import db as _db
from scheduler.models import AuditEvent, SolveRun, utcnow
from scheduler.planning import Scope
from scheduler.teams import plans
from tests.conftest import CLOSED_PORT, TEST_REDIS_URL
from tests.teams.conftest import live

from .conftest import FlakyPort

WORKER = [sys.executable, "-m", "tests.faults.slow_worker"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARCH = Scope.from_json({"start": "2027-03-01", "end": "2027-03-31"})
MARCH_SCOPE_FORM = {"start": ["1", "3", "2027"], "end": ["31", "3", "2027"]}


@pytest.fixture()
def solves_on(app):
    """Solves go through Redis at the URL given, as in production (not inline)."""
    saved = {k: app.config[k] for k in ("REDIS_URL", "SOLVE_INLINE")}

    def use(url: str) -> None:
        app.config.update(REDIS_URL=url, SOLVE_INLINE=False)

    yield use
    app.config.update(saved)


def runs() -> list[SolveRun]:
    _db.session.expire_all()
    return list(_db.session.scalars(_db.select(SolveRun).order_by(SolveRun.id)))


def wait_for(condition, seconds: float = 60, every: float = 0.2, explain=lambda: ""):
    """The condition's first true value; after `seconds` without one, fail with what `explain` tells."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"not within {seconds} s: {condition.__doc__ or condition}\n{explain()}")


# ----------------------------------------------------------------------------- Redis down

def test_with_redis_down_build_teams_says_solves_cannot_start_and_writes_nothing(client, sign_in, programme,
                                                                                 solves_on):
    sign_in("coordinator")
    solves_on(f"redis://127.0.0.1:{CLOSED_PORT}/0")
    page = client.post("/teams/build", data=MARCH_SCOPE_FORM, follow_redirects=True)
    assert page.status_code == 200
    assert ("Teams cannot be built at the moment: the queue that runs solves is not answering"
            in page.soup.main.get_text())
    assert "Nothing was saved or started" in page.soup.main.get_text()
    assert runs() == []
    assert _db.session.scalar(_db.select(AuditEvent).filter_by(action="teams.build_requested")) is None


def test_readyz_reports_redis_and_the_solve_worker_down(client, solves_on):
    solves_on(f"redis://127.0.0.1:{CLOSED_PORT}/0")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json == {"status": "not ready",
                          "checks": {"database": "ok", "redis": "down", "solve_worker": "not seen"}}


def test_readyz_is_ready_with_the_database_redis_and_a_worker_seen(client, solves_on, redis_db):
    solves_on(TEST_REDIS_URL)
    worker = SimpleWorker([jobs.QUEUE_NAME], connection=redis_db)
    worker.register_birth()
    worker.heartbeat()
    ready = client.get("/readyz")
    assert (ready.status_code, ready.json["status"]) == (200, "ready")
    assert set(ready.json["checks"].values()) == {"ok"}


def test_the_team_builder_says_when_no_solve_worker_has_been_seen_for_a_minute(client, sign_in, solves_on,
                                                                                redis_db):
    sign_in("coordinator")
    solves_on(TEST_REDIS_URL)
    warning = "No solve worker has been seen for 1 minute"
    assert warning in client.get("/teams/").soup.main.get_text()
    worker = SimpleWorker([jobs.QUEUE_NAME], connection=redis_db)
    worker.register_birth()
    worker.heartbeat()
    assert warning not in client.get("/teams/").soup.main.get_text()


def test_a_queued_run_that_redis_lost_is_failed_with_the_reason_and_can_be_built_again(
        client, sign_in, programme, solves_on, redis_db):
    sign_in("coordinator")
    solves_on(TEST_REDIS_URL)
    lost = plans.start_run(MARCH, None)
    lost.created_at = utcnow() - timedelta(minutes=5)
    waiting = plans.start_run(MARCH, None)          # queued a moment ago, its job still in Redis
    _db.session.commit()
    Queue(jobs.QUEUE_NAME, connection=redis_db).enqueue("scheduler.jobs.run_solve_job", waiting.id,
                                                         job_id=jobs.job_id(waiting.id))
    page = client.get(f"/teams/runs/{lost.id}")
    assert "the queue that runs solves lost it" in page.soup.main.get_text()
    assert [(r.id, r.status) for r in runs()] == [(lost.id, "failed"), (waiting.id, "queued")]
    again = client.post(f"/teams/runs/{lost.id}/rebuild")
    assert again.status_code == 302
    assert [r.status for r in runs()] == ["failed", "queued", "queued"]
    assert runs()[-1].scope["start"] == "2027-03-01"


def test_a_queued_run_whose_job_a_dead_connection_took_is_failed_with_the_reason(client, sign_in, programme,
                                                                                    solves_on, redis_db):
    """RQ takes a job with BLPOP: a worker whose connection died unseen takes it out of the queue and
    never starts it. Its run cannot stay "queued" for ever."""
    sign_in("coordinator")
    solves_on(TEST_REDIS_URL)
    taken = plans.start_run(MARCH, None)
    taken.created_at = utcnow() - timedelta(minutes=5)
    waiting = plans.start_run(MARCH, None)
    waiting.created_at = utcnow() - timedelta(minutes=5)     # as old, but still in the queue behind others
    _db.session.commit()
    queue = Queue(jobs.QUEUE_NAME, connection=redis_db)
    for run in (taken, waiting):
        queue.enqueue("scheduler.jobs.run_solve_job", run.id, job_id=jobs.job_id(run.id))
    assert redis_db.lpop(queue.key) == jobs.job_id(taken.id).encode()      # what the dead connection did
    page = client.get(f"/teams/runs/{taken.id}")
    assert "the queue that runs solves lost it" in page.soup.main.get_text()
    assert [(r.id, r.status) for r in runs()] == [(taken.id, "failed"), (waiting.id, "queued")]


def test_the_relay_s_dropped_connections_are_closed_at_the_server_too(redis_db):
    """The outage tests' relay: a connection it drops must not live on at Redis, where a blocked BLPOP
    would take a later test's job and lose it."""
    import socket

    def blocked() -> list:
        number = redis_db.connection_pool.connection_kwargs["db"]
        return [c for c in redis_db.client_list() if int(c["db"]) == number and c["cmd"] == "blpop"]

    relay = FlakyPort(redis_db.connection_pool.connection_kwargs["port"])
    number = redis_db.connection_pool.connection_kwargs["db"]
    for end in ("the client goes", "the relay goes down"):
        worker = socket.create_connection(("127.0.0.1", relay.port))
        worker.sendall(f"SELECT {number}\r\nBLPOP rq:queue:nothing 30\r\n".encode())
        wait_for(blocked, 5)
        if end == "the client goes":
            worker.close()
        else:
            relay.down()
            relay.up()
        wait_for(lambda: not blocked(), 5, explain=lambda: f"after {end}: {blocked()}")
        worker.close()
    relay.down()


# ----------------------------------------------------------------------------- a worker process

@pytest.fixture()
def worker_process(postgresql, redis_db, programme, tmp_path):
    """Start `flask worker` (solves slowed by SLOW_SOLVE_SECONDS) on the test database and the given
    Redis URL; killed at the end whatever happened."""
    _db.session.commit()
    started = []

    def start(redis_url: str, slow: float = 0) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": str(_db.engine.url.render_as_string(hide_password=False)),
               "REDIS_URL": redis_url, "SLOW_SOLVE_SECONDS": str(slow), "SOLVE_TIME_LIMIT": "10"}
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")
        # a session of its own, so that teardown ends RQ's forked scheduler too, not only the worker
        process = subprocess.Popen(WORKER, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        process.log = log.name
        started.append(process)
        return process

    yield start
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def queue_a_solve(connection) -> int:
    run = plans.start_run(MARCH, None)
    _db.session.commit()
    Queue(jobs.QUEUE_NAME, connection=connection).enqueue("scheduler.jobs.run_solve_job", run.id,
                                                          job_id=jobs.job_id(run.id))
    return run.id


def what_happened(run_id: int, worker: subprocess.Popen, connection):
    """For a failed wait: the run, what Redis holds for the solves and the workers, and the worker's log
    (a wait that ran out once in CI left only "not within 60 s")."""
    def explain() -> str:
        _db.session.rollback()
        run = _db.session.get(SolveRun, run_id)
        queue = Queue(jobs.QUEUE_NAME, connection=connection)
        workers = [(w.name, w.get_state(), w.get_current_job_id()) for w in SimpleWorker.all(connection=connection)]
        db_number = connection.connection_pool.connection_kwargs["db"]
        blocked = [(c["addr"], c["name"], c["cmd"], c["age"]) for c in connection.client_list()
                   if int(c["db"]) == db_number and c["cmd"] in ("blpop", "brpop", "blmove", "bzpopmin")]
        return (f"run {run_id}: {run.status if run else None} {run.error if run else ''}\n"
                f"queue {jobs.QUEUE_NAME}: {queue.get_job_ids()}; workers {workers}; "
                f"clients blocked on a queue {blocked}; "
                f"worker process exit code {worker.poll()}\n"
                f"worker log:\n{open(worker.log).read()[-3000:]}")
    return explain


def status_of(run_id: int) -> str:
    _db.session.rollback()
    return _db.session.scalar(_db.select(SolveRun.status).where(SolveRun.id == run_id))


def test_a_worker_started_while_redis_refuses_connections_waits_for_it_and_then_solves(worker_process, redis_db):
    relay = FlakyPort(redis_db.connection_pool.connection_kwargs["port"])
    db_number = redis_db.connection_pool.connection_kwargs["db"]
    relay.down()
    worker = worker_process(f"redis://127.0.0.1:{relay.port}/{db_number}")
    time.sleep(3)                                  # RQ gives up on Redis at start: the worker must not
    assert worker.poll() is None, open(worker.log).read()[-3000:]
    run_id = queue_a_solve(redis_db)
    relay.up()
    try:
        wait_for(lambda: status_of(run_id) == "finished", 90, explain=what_happened(run_id, worker, redis_db))
        assert worker.poll() is None
    finally:
        relay.down()


def test_a_solve_worker_killed_mid_run_changes_nothing_and_the_run_is_failed_with_the_reason(
        app, client, sign_in, worker_process, redis_db):
    before = [(d.id, d.status, d.version_id) for d in live()]
    worker = worker_process(TEST_REDIS_URL, slow=60)
    run_id = queue_a_solve(redis_db)
    wait_for(lambda: status_of(run_id) == "running", 60, explain=what_happened(run_id, worker, redis_db))
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert status_of(run_id) == "running"          # nobody can say yet: its heartbeat stops
    sign_in("coordinator")
    dead_after = app.config["SOLVE_DEAD_AFTER_SECONDS"]
    app.config["SOLVE_DEAD_AFTER_SECONDS"] = 1
    try:
        time.sleep(1.5)
        page = client.get(f"/teams/runs/{run_id}")
    finally:
        app.config["SOLVE_DEAD_AFTER_SECONDS"] = dead_after
    assert status_of(run_id) == "failed"
    assert "stopped responding" in page.soup.main.get_text() and "Nothing was changed" in page.soup.main.get_text()
    assert [(d.id, d.status, d.version_id) for d in live()] == before


def test_a_worker_stopped_under_a_solve_marks_it_interrupted_at_once(worker_process, redis_db):
    worker = worker_process(TEST_REDIS_URL, slow=60)
    run_id = queue_a_solve(redis_db)
    wait_for(lambda: status_of(run_id) == "running", 60, explain=what_happened(run_id, worker, redis_db))
    worker.send_signal(signal.SIGTERM)             # RQ: warm shutdown, waits for the job ...
    time.sleep(1.5)                                # (RQ ignores a second signal within a second)
    worker.send_signal(signal.SIGTERM)             # ... a second one stops it now
    wait_for(lambda: status_of(run_id) == "interrupted", 10, explain=what_happened(run_id, worker, redis_db))
    run = _db.session.get(SolveRun, run_id)
    assert "interrupted: the service was shut down or restarted while it was running" in run.error


def test_a_graceful_shutdown_marks_the_process_s_solve_threads_interrupted_at_once(app, postgresql, programme,
                                                                                  monkeypatch):
    release = threading.Event()
    real_solve = __import__("solver").solve
    monkeypatch.setattr("solver.solve", lambda *a, **k: release.wait(30) and real_solve(*a, **k))
    app.config.update(SOLVE_INLINE=False)
    try:
        run = plans.start_run(MARCH, None)
        _db.session.commit()
        run_id = run.id
        jobs.enqueue(run)
        wait_for(lambda: status_of(run_id) == "running", 30)
        jobs._interrupt_this_process_s_runs()      # what atexit runs when gunicorn stops the worker
        assert status_of(run_id) == "interrupted"
    finally:
        release.set()
        app.config.update(SOLVE_INLINE=True)
    time.sleep(1)                                  # the solve ends after all: the verdict stays
    assert status_of(run_id) == "interrupted"
