"""Deployments whose inspection has ended become completed: daily on the RQ queue (scheduler.daily)
and `flask deployments complete` (from cron without Redis). Only a deployment the employer confirmed
is completed (status.TRANSITIONS): one still proposed, declined or withdrawn was not worked and keeps
its status, and so does every deployment of a cancelled inspection. Idempotent: a completed deployment
is not found again, so each is completed, and audited, once."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from scheduler.deployments import status
from scheduler.extensions import db
from scheduler.models import Deployment, Inspection, InspectionStatus


def ended(today: date) -> sa.Select:
    """The deployments to complete as on `today`: on inspections whose last day is before it."""
    return (sa.select(Deployment).join(Deployment.inspection)
            .where(Deployment.status.in_(status.COMPLETABLE), Inspection.ends_on < today,
                   Inspection.status != InspectionStatus.CANCELLED.value)
            .order_by(Inspection.ends_on, Inspection.reference, Deployment.id))


def run(today: date) -> list[Deployment]:
    """Complete them and commit; returns those completed. The rows are locked, so a run beside
    another (cron and the worker) waits and then finds them completed."""
    done = list(db.session.scalars(ended(today).with_for_update(of=Deployment)))
    for deployment in done:
        status.complete(deployment)
    db.session.commit()
    return done


def daily_job() -> None:
    """The RQ job (scheduler.daily): complete what ended before today (UTC), then book tomorrow's run."""
    from scheduler import daily

    daily.run_then_book_next(daily.COMPLETION, lambda now: run(now.date()))
