"""Applying the retention schedule: `flask retention run`, daily on RQ or from cron.

Idempotent: a record already erased or deleted is not found again. A dry run does exactly the same
work inside a transaction and rolls it back, so what it prints is what a run would do. Records in use
are never touched: an application in an open campaign, an assessor with a deployment still to happen,
an open notification (notifications are only ever deleted by an inspector, see notifications.routes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from scheduler.audit import record
from scheduler.extensions import db
from scheduler.models import (
    Application,
    ApplicationStatus,
    Assessor,
    AssessorStatus,
    AuditEvent,
    Campaign,
    Deployment,
    Inspection,
    LoginSession,
    Notification,
    NotificationStatus,
    NotificationTombstone,
    OutboxMessage,
    PartnerLink,
    UsedLink,
)

from . import schedule
from .erasure import anonymise_own, reasons_to_keep, redact_everywhere
from .people import applicant_subject, assessor_subject

RUN_ACTION = "retention.run"


@dataclass
class RunResult:
    today: date
    dry_run: bool
    # rule key -> what was (or would be) done, in lines with no personal values, and how many records
    done: dict[str, list[str]] = field(default_factory=lambda: {r.key: [] for r in schedule.RULES})
    counts: dict[str, int] = field(default_factory=lambda: {r.key: 0 for r in schedule.RULES})

    def add(self, rule: schedule.RetentionRule, line: str, records: int = 1) -> None:
        self.done[rule.key].append(line)
        self.counts[rule.key] += records


def run(today: date, *, dry_run: bool = False, now: datetime | None = None) -> RunResult:
    """Apply the schedule as on `today`; periods counted in days and months end at `now` (default:
    the start of `today`, UTC)."""
    now = now or datetime.combine(today, datetime.min.time())
    result = RunResult(today=today, dry_run=dry_run)
    _applications(result, today, now)
    _assessors(result, today, now)
    _notifications(result, today)
    _delete(result, schedule.OUTBOX, OutboxMessage, OutboxMessage.created_at < schedule.OUTBOX.cutoff_time(now))
    _links(result, now)
    # A session ends when it has been idle for the timeout; its record is kept for the period after that.
    ended_before = schedule.SESSIONS.cutoff_time(now) - current_app.config["IDLE_TIMEOUT"]
    _delete(result, schedule.SESSIONS, LoginSession, LoginSession.last_seen_at < ended_before)
    _delete(result, schedule.AUDIT, AuditEvent, AuditEvent.at < schedule.AUDIT.cutoff_time(now))
    if dry_run:
        db.session.rollback()
    else:
        record(RUN_ACTION, object_type="retention", after={"today": today.isoformat(), **result.counts})
        db.session.commit()
    return result


def _applications(result: RunResult, today: date, now: datetime) -> None:
    cutoff = schedule.APPLICATIONS.cutoff(today)
    closed_on = sa.func.coalesce(Campaign.closes_on, sa.func.date(Application.created_at))
    due = db.session.scalars(
        sa.select(Application).join(Application.campaign)
        .where(Application.erased_at.is_(None), Application.status != ApplicationStatus.ADMITTED.value,
               Campaign.is_open.is_(False), Campaign.closes_on.is_(None) | (Campaign.closes_on < today),
               closed_on <= cutoff)
        .order_by(Application.id)).all()
    swept: list[str] = []
    for application in due:
        swept += anonymise_own(applicant_subject(application), now)[1]
        result.add(schedule.APPLICATIONS, f"Application {application.reference}: personal details erased")
    redact_everywhere(tuple(swept))


def _assessors(result: RunResult, today: date, now: datetime) -> None:
    cutoff = schedule.ASSESSORS.cutoff(today)
    last_deployed = (sa.select(sa.func.max(Inspection.ends_on)).join(Deployment.inspection)
                     .where(Deployment.assessor_id == Assessor.id).scalar_subquery())
    basis = sa.func.coalesce(last_deployed, sa.func.date(Assessor.created_at))
    due = db.session.scalars(
        sa.select(Assessor).where(Assessor.status == AssessorStatus.LEFT.value, Assessor.erased_at.is_(None),
                                  basis <= cutoff).order_by(Assessor.id)).all()
    swept: list[str] = []
    for assessor in due:
        subject = assessor_subject(assessor)
        if reasons_to_keep(subject, today):
            continue
        swept += anonymise_own(subject, now)[1]
        result.add(schedule.ASSESSORS, f"Assessor {assessor.reference}: personal details erased")
    redact_everywhere(tuple(swept))


def _notifications(result: RunResult, today: date) -> None:
    """Only listed: each is deleted when an inspector confirms it on the notification's page."""
    closed = db.session.scalars(sa.select(Notification).where(
        Notification.status == NotificationStatus.CLOSED.value).order_by(Notification.id))
    for n in (n for n in closed if review_due(n, today)):
        result.add(schedule.NOTIFICATIONS, f"Notification {n.reference}: awaiting an inspector's review")


def _delete(result: RunResult, rule: schedule.RetentionRule, model, condition) -> None:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(condition))
    if count:
        db.session.execute(sa.delete(model).where(condition))
        result.add(rule, f"{model.__tablename__}: {count} deleted", count)


def _links(result: RunResult, now: datetime) -> None:
    cutoff = schedule.LINKS.cutoff_time(now)
    # A used link's nonce must outlive every link that could carry it, or the link would work again.
    _delete(result, schedule.LINKS, UsedLink, UsedLink.used_at < cutoff - schedule.LONGEST_LINK_LIFETIME)
    # A partner link a notification came through stays until that notification is deleted.
    _delete(result, schedule.LINKS, PartnerLink,
            (sa.func.coalesce(PartnerLink.revoked_at, PartnerLink.expires_at) < cutoff)
            & ~sa.exists().where(Notification.partner_link_id == PartnerLink.id))


def last_run() -> AuditEvent | None:
    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == RUN_ACTION)
                             .order_by(AuditEvent.id.desc()).limit(1))


# ---------------------------------------------------------------- running it daily

def daily_job() -> None:
    """The RQ job (scheduler.daily): apply the schedule for today (UTC), then book tomorrow's run."""
    from scheduler import daily

    daily.run_then_book_next(daily.RETENTION, lambda now: run(now.date(), now=now))


# ---------------------------------------------------------------- notifications, on an inspector's word

def review_due(notification: Notification, today: date) -> bool:
    """Closed and past its review date: only then may an inspector delete it."""
    return (notification.status == NotificationStatus.CLOSED.value and notification.closed_on is not None
            and notification.closed_on <= today - timedelta(days=schedule.NOTIFICATIONS.amount))


def delete_notification(notification: Notification, now: datetime) -> NotificationTombstone:
    """Replace the notification with its tombstone (the caller checked `review_due`). The people it
    named are redacted from the audit log and outbox too; partner links it came through go with it."""
    tombstone = NotificationTombstone(
        reference=notification.reference, kind=notification.kind, area_id=notification.area_id,
        event_date=notification.event_date, notified_at=notification.notified_at,
        closed_on=notification.closed_on, deleted_at=now)
    db.session.add(tombstone)
    link = notification.partner_link
    values = tuple(v for v in (notification.subject_name, notification.notifier_name, notification.notifier_contact)
                   if v and len(v) >= 5)
    db.session.delete(notification)
    db.session.flush()
    if link is not None and not db.session.scalar(
            sa.select(sa.exists().where(Notification.partner_link_id == link.id))):
        db.session.delete(link)
    redact_everywhere(values)
    return tombstone
