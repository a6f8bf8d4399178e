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
"""
from __future__ import annotations

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

RUNNING = SolveRunStatus.RUNNING.value
QUEUED = SolveRunStatus.QUEUED.value
DEAD_REASON = ("The worker running this solve stopped responding (no heartbeat for {n} seconds), "
               "so the run was stopped. Nothing was changed: build the teams again.")


def _cfg(name: str, default: Any) -> Any:
    return current_app.config.get(name, default)


# ----------------------------------------------------------------------------- queueing

def enqueue(run: SolveRun) -> str:
    """Start the run in the configured place; returns where ('inline', 'rq' or 'thread').
    The caller has committed the queued run."""
    if _cfg("SOLVE_INLINE", False):
        run_solve(run.id)
        return "inline"
    url = _cfg("REDIS_URL", None)
    if url:
        from redis import Redis
        from rq import Queue

        limit = float((run.scope or {}).get("time_limit") or _cfg("SOLVE_TIME_LIMIT", 60))
        Queue(QUEUE_NAME, connection=Redis.from_url(url)).enqueue(
            "scheduler.jobs.run_solve_job", run.id, job_timeout=int(limit * 3 + 300),
            result_ttl=3600, failure_ttl=86400)
        return "rq"
    app = current_app._get_current_object()
    thread = threading.Thread(target=_in_thread, args=(app, run.id), daemon=True,
                              name=f"solve-{run.id}")
    thread.start()
    return "thread"


def _in_thread(app: Flask, run_id: int) -> None:
    with app.app_context():
        try:
            run_solve(run_id)
        finally:
            db.session.remove()


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
    """`flask worker`: mark runs of dead workers failed, book the daily retention run, then work the queue."""
    from redis import Redis
    from rq import SimpleWorker

    url = _cfg("REDIS_URL", None)
    if not url:
        raise RuntimeError("REDIS_URL is not set: without it solves run in the web process.")
    from rq import Queue

    from scheduler.privacy.retention import schedule_daily

    reap_dead_runs()
    connection = Redis.from_url(url)
    # The retention schedule runs daily on the same worker (its scheduler moves the job in when due).
    schedule_daily(Queue(QUEUE_NAME, connection=connection))
    SimpleWorker([QUEUE_NAME], connection=connection).work(burst=burst, with_scheduler=True)


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
    """Mark running solves with a stale heartbeat failed (and, without RQ, queued ones nobody
    started). Commits; returns the ids."""
    now = now or utcnow()
    n = int(_cfg("SOLVE_DEAD_AFTER_SECONDS", 60))
    cutoff = now - timedelta(seconds=n)
    stale = sa.or_(
        sa.and_(SolveRun.status == RUNNING,
                sa.func.coalesce(SolveRun.heartbeat_at, SolveRun.started_at, SolveRun.created_at) < cutoff))
    if not _cfg("REDIS_URL", None) and not _cfg("SOLVE_INLINE", False):
        stale = sa.or_(stale, sa.and_(SolveRun.status == QUEUED, SolveRun.created_at < cutoff))
    ids = list(db.session.scalars(sa.select(SolveRun.id).where(stale)))
    if ids:
        db.session.execute(sa.update(SolveRun).where(SolveRun.id.in_(ids), stale).values(
            status=SolveRunStatus.FAILED.value, error=DEAD_REASON.format(n=n), finished_at=now))
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
    import solver
    from scheduler.planning import Scope, build

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
        scope_data = dict(run.scope or {})
        t0 = time.monotonic()
        planning = build(Scope.from_json(scope_data))
        instance_json = planning.instance.to_json()
        instance = solver.Instance.from_json(instance_json)   # solve exactly what is exported
        build_seconds = round(time.monotonic() - t0, 3)
        scope_data.update(
            in_scope=planning.in_scope, context=planning.context, baseline=planning.baseline,
            flags={str(k): v for k, v in planning.flags.items()},
            keep=[d.to_json() for d in planning.keep], fallbacks=planning.fallbacks,
            build_seconds=build_seconds)
        run.scope = scope_data
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
            time_limit=float(scope_data.get("time_limit") or _cfg("SOLVE_TIME_LIMIT", 60)),
            workers=int(_cfg("SOLVE_WORKERS", 0)),
            progress=progress,
            cancel=beat.cancel.is_set if beat is not None else None,
            extra_levels=planning.keep_published())
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
