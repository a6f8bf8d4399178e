"""The daily jobs run by themselves: `flask worker` books each (completing deployments, the retention
run) on RQ; each run books the next."""
from __future__ import annotations

import signal
from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler import daily
from scheduler.models import AuditEvent, Deployment
from scheduler.privacy import retention
from tests import factories as f


@pytest.fixture()
def queue(redis_db):
    from rq import Queue

    # an RQ worker installs its own SIGINT/SIGTERM handlers and leaves them: later tests get pytest's back
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield Queue("daily-test", connection=redis_db)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def _work(queue) -> None:
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _tomorrow(job: daily.Daily) -> str:
    return f"{job.prefix}{daily.next_run(datetime.now(UTC).replace(tzinfo=None)):%Y%m%d}"


def test_the_next_run_is_at_three_in_the_morning_utc():
    assert daily.next_run(datetime(2028, 5, 2, 2, 59)) == datetime(2028, 5, 2, 3, 0)
    assert daily.next_run(datetime(2028, 5, 2, 3, 0)) == datetime(2028, 5, 3, 3, 0)


def test_booking_the_daily_jobs_twice_makes_one_of_each(queue):
    first = daily.book_all(queue)
    assert daily.book_all(queue) == first

    assert sorted(queue.scheduled_job_registry.get_job_ids()) == sorted(first)
    assert sorted(first) == sorted(_tomorrow(job) for job in daily.EVERY_DAY)


def test_the_retention_job_runs_the_schedule_and_books_tomorrow(app, db, queue):
    today = queue.enqueue(daily.RETENTION.function)
    _work(queue)

    assert today.get_status() == "finished"
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action=retention.RUN_ACTION)) == 1
    assert queue.scheduled_job_registry.get_job_ids() == [_tomorrow(daily.RETENTION)]


def test_the_completion_job_completes_deployments_of_ended_inspections_and_books_tomorrow(app, db, queue):
    worked = f.DeploymentFactory(status="employer_confirmed", inspection=f.InspectionFactory(
        starts_on=date.today() - timedelta(days=14), ends_on=date.today() - timedelta(days=3)))
    db.session.commit()
    worked_id = worked.id
    today = queue.enqueue(daily.COMPLETION.function)
    _work(queue)

    assert today.get_status() == "finished"
    assert db.session.get(Deployment, worked_id).status == "completed"
    assert queue.scheduled_job_registry.get_job_ids() == [_tomorrow(daily.COMPLETION)]
