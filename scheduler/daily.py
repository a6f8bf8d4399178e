"""Work done once a day: `flask worker` books each job on the RQ queue (its scheduler moves the job in
when due) and each run books the next day's; without Redis, cron runs the same `flask` commands
(README). A job's id names its day, so workers starting, or a run booking the next, never make two."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scheduler.extensions import db

AT_HOUR = 3  # UTC: after the day's work, before the next


@dataclass(frozen=True)
class Daily:
    prefix: str      # of the job id, which ends with the day
    function: str    # what RQ imports and calls


# Deployments of ended inspections are completed before the retention run, which reads when each
# assessor was last deployed (both at 03:00; they do not depend on each other).
COMPLETION = Daily("deployments-complete-daily-", "scheduler.deployments.completion.daily_job")
RETENTION = Daily("retention-daily-", "scheduler.privacy.retention.daily_job")
CHANGES = Daily("data-changes-prune-daily-", "scheduler.data_cache.prune_job")
EVERY_DAY = (COMPLETION, RETENTION, CHANGES)


def next_run(now: datetime) -> datetime:
    at = now.replace(hour=AT_HOUR, minute=0, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def book(queue, daily: Daily) -> str:
    """Put the job's next run on the RQ queue unless it is there already; returns its id."""
    from rq.job import Job

    at = next_run(datetime.now(UTC))
    job_id = f"{daily.prefix}{at:%Y%m%d}"
    if not Job.exists(job_id, connection=queue.connection):
        queue.enqueue_at(at, daily.function, job_id=job_id, result_ttl=7 * 86400, failure_ttl=30 * 86400)
    return job_id


def book_all(queue) -> list[str]:
    return [book(queue, daily) for daily in EVERY_DAY]


def run_then_book_next(daily: Daily, work: Callable[[datetime], object]) -> None:
    """The body of a daily RQ job: today's work (given the time now, UTC), then tomorrow's booking."""
    from rq import Queue, get_current_job

    from scheduler.models import utcnow

    job = get_current_job()
    try:
        work(utcnow())
    finally:
        db.session.remove()
        if job is not None:
            book(Queue(job.origin, connection=job.connection), daily)
