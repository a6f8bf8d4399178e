"""The schedule runs by itself: `flask worker` books a daily run on RQ; each run books the next."""
from __future__ import annotations

import signal
from datetime import UTC, datetime

import pytest

from scheduler.models import AuditEvent
from scheduler.privacy import retention

@pytest.fixture()
def queue(redis_db):
    from rq import Queue

    # an RQ worker installs its own SIGINT/SIGTERM handlers and leaves them: later tests get pytest's back
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield Queue("retention-test", connection=redis_db)
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_the_next_run_is_at_three_in_the_morning_utc():
    assert retention.next_daily_run(datetime(2028, 5, 2, 2, 59)) == datetime(2028, 5, 2, 3, 0)
    assert retention.next_daily_run(datetime(2028, 5, 2, 3, 0)) == datetime(2028, 5, 3, 3, 0)


def test_booking_the_daily_run_twice_makes_one_job(queue):
    first = retention.schedule_daily(queue)
    assert retention.schedule_daily(queue) == first

    assert queue.scheduled_job_registry.get_job_ids() == [first]


def test_the_daily_job_runs_the_schedule_and_books_tomorrow(app, db, queue):
    from rq import SimpleWorker

    today = queue.enqueue("scheduler.privacy.retention.daily_job")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    assert today.get_status() == "finished"
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action=retention.RUN_ACTION)) == 1
    tomorrow = retention.next_daily_run(datetime.now(UTC).replace(tzinfo=None))
    assert queue.scheduled_job_registry.get_job_ids() == [f"{retention.DAILY_JOB_PREFIX}{tomorrow:%Y%m%d}"]
