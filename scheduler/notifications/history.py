"""A notification's history in words: one sentence per audit event, written from what the event
recorded ("Status changed from Received to Report received. The report arrived on 8 January 2028.")."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scheduler.extensions import db
from scheduler.formatting import long_date
from scheduler.models import AuditEvent, NotificationStatus


def _date(iso: str | None) -> str:
    return long_date(date.fromisoformat(iso)) if iso else ""


def _status(code: str | None) -> str:
    return NotificationStatus(code).label if code else ""


def _status_changed(before: dict, after: dict) -> str:
    new = after.get("status")
    if new == NotificationStatus.CLOSED:
        return f"Closed on {_date(after.get('closed_on'))}."
    sentence = f"Status changed from {_status(before.get('status'))} to {_status(new)}."
    if after.get("report_received_on"):
        sentence += f" The report arrived on {_date(after['report_received_on'])}."
    return sentence


def _feedback(before: dict, after: dict) -> str:
    sentence = f"Feedback given on {_date(after.get('given_on'))} recorded."
    if before.get("status") != after.get("status"):
        sentence += f" Status changed from {_status(before.get('status'))} to {_status(after.get('status'))}."
    return sentence


def _extension(before: dict, after: dict) -> str:
    return (f"Report due date moved from {_date(before.get('report_due_on'))} to "
            f"{_date(after.get('report_due_on'))}. Reason: {after.get('reason', '')}")


def _reopened(before: dict, after: dict) -> str:
    return (f"Reopened (it had closed on {_date(before.get('closed_on'))}); status now "
            f"{_status(after.get('status'))}. Reason: {after.get('reason', '')}")


SENTENCES: dict[str, Callable[[dict, dict], str]] = {
    "notification.logged": lambda before, after: "Added to the register by an inspector.",
    "notification.partner_submitted": lambda before, after: "Sent by the partnership through its partner link.",
    "notification.viewed": lambda before, after: "Opened the record.",
    "notification.status_changed": _status_changed,
    "notification.extension_granted": _extension,
    "notification.feedback_recorded": _feedback,
    "notification.reopened": _reopened,
}


def sentence(event: AuditEvent) -> str:
    return SENTENCES[event.action](event.before or {}, event.after or {})


def history(notification_id: int, limit: int = 50) -> list[tuple[AuditEvent, str]]:
    """The latest events about one notification, newest first, each with its sentence."""
    events = db.session.scalars(
        db.select(AuditEvent)
        .filter_by(object_type="notification", object_id=str(notification_id))
        .filter(AuditEvent.action.in_(SENTENCES))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [(event, sentence(event)) for event in events]
