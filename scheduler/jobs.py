"""Background solves: one SolveRun per press of "Build teams".

Where a solve runs
  * ``SOLVE_INLINE`` (tests): in the request, synchronously.
  * ``REDIS_URL`` set: on the ``solves`` RQ queue, run by ``flask worker``.
  * otherwise: an in-process daemon thread.

While it runs, a heartbeat thread (its own app context and database session) writes
``heartbeat_at`` and the progress events every ``SOLVE_HEARTBEAT_SECONDS`` and reads
``cancel_requested``; the solver's cancel hook reads the flag it sets. A run whose heartbeat is
older than ``SOLVE_DEAD_AFTER_SECONDS`` while it says "running" belonged to a worker that died: it
is marked failed when a page shows it and when a worker starts. The job never writes deployments,
so a failed or killed solve leaves them untouched.

Faults: with Redis down a build is refused before anything is written (check_queue), and a run
whose enqueue fails is marked failed; a queued run whose job Redis lost is marked failed with that
reason; `flask worker` outlives Redis outages; a process shutting down marks the solves it runs
"interrupted" at once (atexit for threads, SystemExit for an RQ worker's cold shutdown).
"""
from __future__ import annotations

import atexit
import threading
import time
import traceback
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

from scheduler.extensions import db
from scheduler.models import SolveRun, SolveRunStatus, utcnow

QUEUE_NAME = "solves"
MAX_EVENTS = 300
WORKER_SEEN_SECONDS = 60          # a solve worker silent for longer counts as gone
REDIS_TIMEOUT_SECONDS = 2
RECONNECT_SECONDS = 5

RUNNING = SolveRunStatus.RUNNING.value
QUEUED = SolveRunStatus.QUEUED.value
DEAD_REASON = ("The worker running this solve stopped responding (no heartbeat for {n} seconds), "
               "so the run was stopped. Nothing was changed: build the teams again.")
NOT_QUEUED = ("This solve could not start: the queue that runs solves (Redis) did not answer. "
              "Nothing was changed: build the teams again when the service is back.")
INTERRUPTED = ("This solve was interrupted: the service was shut down or restarted while it {what}. "
               "Nothing was changed: build the teams again.")
LOST_IN_QUEUE = ("This solve was waiting to start when the queue that runs solves lost it (a restart "
                 "or an outage). Nothing was changed: build the teams again.")


def _cfg(name: str, default: Any) -> Any:
    return current_app.config.get(name, default)


class SolvesUnavailable(Exception):
    """The queue that runs solves (Redis) does not answer: a solve cannot start now."""


def _redis():
    from redis import Redis

    timeout = REDIS_TIMEOUT_SECONDS
    return Redis.from_url(_cfg("REDIS_URL", None), socket_connect_timeout=timeout, socket_timeout=timeout)


def check_queue() -> None:
    """Raise SolvesUnavailable unless solves can be queued (always, without Redis)."""
    if _cfg("REDIS_URL", None) and not _cfg("SOLVE_INLINE", False):
        from redis.exceptions import RedisError

        try:
            _redis().ping()
        except RedisError as error:
            raise SolvesUnavailable(str(error)) from error


def worker_seen() -> bool | None:
    """Whether a solve worker has reported to Redis within WORKER_SEEN_SECONDS; None when solves
    run in the web process (no separate worker to see); False when Redis does not answer."""
    if not _cfg("REDIS_URL", None) or _cfg("SOLVE_INLINE", False):
        return None
    from redis.exceptions import RedisError
    from rq import Queue, Worker

    try:
        connection = _redis()
        workers = Worker.all(queue=Queue(QUEUE_NAME, connection=connection))
    except RedisError:
        return False
    cutoff = utcnow() - timedelta(seconds=WORKER_SEEN_SECONDS)
    return any(w.last_heartbeat is not None and w.last_heartbeat.replace(tzinfo=None) >= cutoff for w in workers)


# ----------------------------------------------------------------------------- queueing

def enqueue(run: SolveRun) -> str:
    """Start the run in the configured place; returns where ('inline', 'rq' or 'thread').
    The caller has committed the queued run; if Redis fails now, the run is marked failed (no run
    is left queued for ever) and SolvesUnavailable raised."""
    if _cfg("SOLVE_INLINE", False):
        run_solve(run.id)
        return "inline"
    if _cfg("REDIS_URL", None):
        from redis.exceptions import RedisError
        from rq import Queue

        from scheduler.planning import RunScope

        limit = float(RunScope.of(run.scope).time_limit or _cfg("SOLVE_TIME_LIMIT", 60))
        try:
            Queue(QUEUE_NAME, connection=_redis()).enqueue(
                "scheduler.jobs.run_solve_job", run.id, job_id=job_id(run.id), job_timeout=int(limit * 3 + 300),
                result_ttl=3600, failure_ttl=86400)
        except RedisError as error:
            run.status, run.finished_at = SolveRunStatus.FAILED.value, utcnow()
            run.error = NOT_QUEUED
            db.session.commit()
            raise SolvesUnavailable(str(error)) from error
        return "rq"
    app = current_app._get_current_object()
    thread = threading.Thread(target=_in_thread, args=(app, run.id), daemon=True,
                              name=f"solve-{run.id}")
    _THIS_PROCESS[run.id] = app
    thread.start()
    return "thread"


def wait_briefly(run_id: int) -> None:
    """Give a just-started solve up to SOLVE_WAIT_SECONDS to finish before the page is answered: most
    solves take well under a second, and the coordinator then sees the result at once instead of
    the progress page and its first poll (issue 14: click to result). Reads only; a database error
    here just ends the wait."""
    deadline = time.monotonic() + float(_cfg("SOLVE_WAIT_SECONDS", 0))
    waiting = (SolveRunStatus.QUEUED.value, SolveRunStatus.RUNNING.value)
    try:
        while time.monotonic() < deadline:
            status = db.session.scalar(sa.select(SolveRun.status).where(SolveRun.id == run_id))
            db.session.rollback()   # ends the read transaction, so the next read sees the solver's commit
            if status not in waiting:
                return
            time.sleep(0.05)
    except sa.exc.SQLAlchemyError:
        db.session.rollback()


def job_id(run_id: int) -> str:
    return f"solve-{run_id}"


# Runs this process started in threads, so a graceful shutdown can say what became of them.
_THIS_PROCESS: dict[int, Flask] = {}


def _in_thread(app: Flask, run_id: int) -> None:
    with app.app_context():
        try:
            run_solve(run_id)
        finally:
            _THIS_PROCESS.pop(run_id, None)
            db.session.remove()


@atexit.register
def _interrupt_this_process_s_runs() -> None:
    """At a graceful shutdown (gunicorn's SIGTERM, Ctrl-C), the solves still running in this
    process's threads are marked interrupted at once, not a minute later by the heartbeat check."""
    for run_id, app in list(_THIS_PROCESS.items()):
        with app.app_context():
            try:
                interrupt(run_id)
            finally:
                db.session.remove()


def interrupt(run_id: int) -> None:
    """Mark a queued or running solve interrupted (a conditional update: a finished one stays so)."""
    db.session.rollback()
    for status, what in ((RUNNING, "was running"), (QUEUED, "was waiting to start")):
        _mark(sa.and_(SolveRun.id == run_id, SolveRun.status == status), INTERRUPTED.format(what=what),
              utcnow(), status=SolveRunStatus.INTERRUPTED.value)


def run_solve_job(run_id: int) -> None:
    """The RQ job: runs in `flask worker` (which has an app context) or builds one."""
    if has_app_context():
        run_solve(run_id)
        db.session.remove()
        return
    from scheduler import create_app

    with create_app().app_context():
        run_solve(run_id)
        db.session.remove()


def start_worker(*, burst: bool = False) -> None:
    """`flask worker`: mark runs of dead workers failed, book the daily jobs (completing deployments, the
    retention run), then work the solves and mail queues (with the scheduler, which starts each email
    retry and each daily job when due)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import SimpleWorker

    url = _cfg("REDIS_URL", None)
    if not url:
        raise RuntimeError("REDIS_URL is not set: without it solves run in the web process.")
    from rq import Queue

    from scheduler.daily import book_all

    reap_dead_runs()
    from scheduler.mail import QUEUE_NAME as MAIL_QUEUE

    while True:     # a Redis outage must not end the worker: wait, reconnect, carry on
        try:
            # RQ's Worker() talks to Redis already (CLIENT SETNAME): it too may meet the outage
            connection = Redis.from_url(url)
            worker = SimpleWorker([QUEUE_NAME, MAIL_QUEUE], connection=connection)
            # The daily jobs run on the same worker (its scheduler moves each in when due).
            book_all(Queue(QUEUE_NAME, connection=connection))
            # RQ forks its scheduler from here: it must not inherit this process's database
            # connections (killed with us, a fork would keep a transaction open and hold its locks).
            db.engine.dispose()
            worker.work(burst=burst, with_scheduler=True)
        except RedisError as error:
            current_app.logger.warning("Redis unavailable (%s)", error)
        else:
            # RQ's work() returns, rather than raises, when Redis fails under it; only a stop asked
            # for (SIGTERM) or a burst's end means done.
            if burst or worker._shutdown_requested_date is not None:
                return
        current_app.logger.warning("The solve worker lost Redis: reconnecting in %s s", RECONNECT_SECONDS)
        time.sleep(RECONNECT_SECONDS)


# ----------------------------------------------------------------------------- control

def request_cancel(run: SolveRun) -> bool:
    """Ask a queued or running solve to stop. A queued one stops at once."""
    if run.status == QUEUED:
        run.cancel_requested = True
        run.status = SolveRunStatus.CANCELLED.value
        run.finished_at = utcnow()
        return True
    if run.status == RUNNING:
        run.cancel_requested = True
        return True
    return False


def reap_dead_runs(now=None) -> list[int]:
    """Mark running solves with a stale heartbeat failed, and queued ones nobody will start: without
    RQ, those queued longer than SOLVE_DEAD_AFTER_SECONDS; with RQ, those whose job Redis no longer
    holds. Commits; returns the ids."""
    now = now or utcnow()
    n = int(_cfg("SOLVE_DEAD_AFTER_SECONDS", 60))
    cutoff = now - timedelta(seconds=n)
    stale = sa.and_(SolveRun.status == RUNNING,
                    sa.func.coalesce(SolveRun.heartbeat_at, SolveRun.started_at, SolveRun.created_at) < cutoff)
    reaped = _mark(stale, DEAD_REASON.format(n=n), now)
    if _cfg("SOLVE_INLINE", False):
        return reaped
    waiting = sa.and_(SolveRun.status == QUEUED, SolveRun.created_at < cutoff)
    if not _cfg("REDIS_URL", None):
        return reaped + _mark(waiting, DEAD_REASON.format(n=n), now)
    from redis.exceptions import RedisError

    try:
        connection = _redis()
        lost = [i for i in db.session.scalars(sa.select(SolveRun.id).where(waiting)) if not _held(i, connection)]
    except RedisError:      # cannot tell while Redis is down: leave them
        return reaped
    return reaped + (_mark(sa.and_(waiting, SolveRun.id.in_(lost)), LOST_IN_QUEUE, now) if lost else [])


def _held(run_id: int, connection) -> bool:
    """Whether Redis still holds the run's job: waiting in the queue, or anywhere past it (started,
    scheduled...). A job "queued" but no longer in the queue was taken by a connection that died on the
    way (RQ takes jobs with BLPOP, which Redis answers on a connection it has not yet seen drop): no
    worker will ever start it."""
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id(run_id), connection=connection)
    except NoSuchJobError:
        return False
    if job.get_status(refresh=False) != JobStatus.QUEUED:
        return True
    return Queue(QUEUE_NAME, connection=connection).get_job_position(job) is not None


def _mark(condition, reason: str, now, status: str = SolveRunStatus.FAILED.value) -> list[int]:
    """Give the runs matching condition a final status and its reason (a conditional update: a run
    that moved on meanwhile keeps its own); commits."""
    ids = list(db.session.scalars(sa.select(SolveRun.id).where(condition)))
    if ids:
        db.session.execute(sa.update(SolveRun).where(SolveRun.id.in_(ids), condition).values(
            status=status, error=reason, finished_at=now))
        db.session.commit()
    return ids


# ----------------------------------------------------------------------------- the job

class _Heartbeat(threading.Thread):
    def __init__(self, app: Flask, run_id: int, events: list, lock: threading.Lock,
                 interval: float):
        super().__init__(daemon=True, name=f"heartbeat-{run_id}")
        self.app, self.run_id, self.events, self.lock = app, run_id, events, lock
        self.interval = interval
        self.cancel = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            try:
                while not self.done.wait(self.interval):
                    self.beat()
            finally:
                db.session.remove()

    def beat(self) -> None:
        with self.lock:
            events = list(self.events[-MAX_EVENTS:])
        try:
            db.session.execute(sa.update(SolveRun).where(SolveRun.id == self.run_id)
                               .values(heartbeat_at=utcnow(), progress=events))
            wanted = db.session.scalar(sa.select(SolveRun.cancel_requested)
                                       .where(SolveRun.id == self.run_id))
            db.session.commit()
            if wanted:
                self.cancel.set()
        except Exception:  # a missed beat is retried; never take the solve down
            db.session.rollback()
            current_app.logger.warning("Heartbeat of solve %s failed", self.run_id, exc_info=True)


def run_solve(run_id: int) -> None:
    """Run one queued solve to the end. Never raises: failures are recorded on the run."""
    from dataclasses import replace

    import solver
    from scheduler.planning import RunScope, build, build_variant

    app = current_app._get_current_object()
    reap_dead_runs()
    run = db.session.get(SolveRun, run_id)
    if run is None or run.status != QUEUED:
        return
    now = utcnow()
    run.status, run.started_at, run.heartbeat_at = RUNNING, now, now
    db.session.commit()

    events: list[dict] = []
    lock = threading.Lock()
    interval = float(_cfg("SOLVE_HEARTBEAT_SECONDS", 2))
    beat = _Heartbeat(app, run_id, events, lock, interval) if interval > 0 else None
    try:
        asked = RunScope.of(run.scope)
        t0 = time.monotonic()
        planning = build_variant(asked.variant) if asked.variant else build(asked.asked)
        instance_json = planning.instance.to_json()
        instance = solver.Instance.from_json(instance_json)   # solve exactly what is exported
        build_seconds = round(time.monotonic() - t0, 3)
        run.scope = replace(
            asked, in_scope=tuple(planning.in_scope), context=tuple(planning.context), baseline=planning.baseline,
            flags={str(k): v for k, v in planning.flags.items()}, keep=tuple(d.to_json() for d in planning.keep),
            fallbacks=tuple(planning.fallbacks), build_seconds=build_seconds,
            released=tuple(planning.released_words())).to_json()
        run.instance = instance_json
        run.heartbeat_at = utcnow()
        db.session.commit()
        if not planning.in_scope:
            raise _NothingToPlan()

        def progress(level: str, value: float, bound: float, elapsed: float) -> None:
            with lock:
                events.append({"level": level, "value": round(float(value), 3),
                               "bound": round(float(bound), 3), "elapsed": round(float(elapsed), 2)})

        if beat is not None:
            beat.start()
        plan = solver.solve(
            instance,
            time_limit=float(asked.time_limit or _cfg("SOLVE_TIME_LIMIT", 60)),
            workers=int(_cfg("SOLVE_WORKERS", 0)),
            progress=progress,
            cancel=beat.cancel.is_set if beat is not None else None,
            extra_levels=planning.keep_published())
    except (SystemExit, KeyboardInterrupt):     # the worker is shutting down under this solve
        if beat is not None:
            beat.done.set()
        interrupt(run_id)
        raise
    except _NothingToPlan:
        _fail(run_id, "There are no planned inspections with working days in this scope.", beat)
        return
    except solver.InvalidInstance as error:
        _fail(run_id, "The programme cannot be planned as it stands: " + "; ".join(error.errors[:5]),
              beat)
        return
    except Exception as error:  # recorded for the coordinator; deployments are untouched
        current_app.logger.exception("Solve %s failed", run_id)
        _fail(run_id, f"The solve stopped with an error: {type(error).__name__}: {error}", beat,
              detail=traceback.format_exc(limit=5))
        return
    finally:
        if beat is not None:
            beat.done.set()
            if beat.is_alive():
                beat.join(timeout=10)

    db.session.rollback()
    run = db.session.get(SolveRun, run_id)
    db.session.refresh(run)
    with lock:
        run.progress = list(events[-MAX_EVENTS:])
    run.plan = plan.to_json()
    run.objective = dict(plan.objective) if plan.objective is not None else None
    run.bound = dict(plan.bound) if plan.bound is not None else None
    run.heartbeat_at = run.finished_at = utcnow()
    if run.status != RUNNING:       # marked dead meanwhile: keep that verdict
        db.session.commit()
        return
    if plan.status == "infeasible":
        run.status = SolveRunStatus.FAILED.value
        run.error = ("The pinned and confirmed deployments contradict each other, so no plan keeps "
                     "them all: unpin one of them and build again.")
    elif run.cancel_requested:
        run.status = SolveRunStatus.CANCELLED.value
    else:
        run.status = SolveRunStatus.FINISHED.value
    db.session.commit()


class _NothingToPlan(Exception):
    pass


def _fail(run_id: int, reason: str, beat: _Heartbeat | None, detail: str | None = None) -> None:
    if beat is not None:
        beat.done.set()
    db.session.rollback()
    run = db.session.get(SolveRun, run_id)
    if run is None:
        return
    db.session.refresh(run)
    run.status = SolveRunStatus.FAILED.value
    run.error = reason
    run.finished_at = utcnow()
    db.session.commit()
    if detail:
        current_app.logger.error("Solve %s: %s", run_id, detail)
