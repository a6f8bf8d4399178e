"""Every deadline rule for notifications, in one place.

The clocks, from the published guidance:

- Death of a looked-after child or young person: the local authority notifies within 24 hours,
  counted as one working day after the date of death; a report follows within 28 calendar days of
  the death unless a learning review is held (then the learning review replaces the report).
- Learning review (children): the guidance sets no clock for the notification. The report clock
  runs only if the child protection committee gives us a date it expects the review by.
- Learning review (adults): the outcome notification is due within 7 calendar days of ratification
  by the Chief Officers Group. A report clock runs only if the partnership gives an expected date.
- Serious incident review (justice social work): notification within 5 working days of the
  justice service learning of the further offence; the review (Part One case review and Part Two
  reflective learning review) is expected within 3 calendar months of the notification.

Working days skip weekends and Scottish bank holidays as the `holidays` package lists them for
GB-SCT (which includes 2 January and St Andrew's Day and does not include Easter Monday).
An extension, when granted, replaces the rule's due date; the latest extension wins.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler import workdays
from scheduler.models.choices import LabelledEnum
from scheduler.models.notifications import DeadlineClock, NotificationKind

DUE_SOON_DAYS = 5
NOTIFY_WORKING_DAYS = {NotificationKind.LOOKED_AFTER_DEATH: 1, NotificationKind.SERIOUS_INCIDENT_REVIEW: 5}
NOTIFY_CALENDAR_DAYS = {NotificationKind.LEARNING_REVIEW_ADULTS: 7}
DEATH_REPORT_DAYS = 28
REVIEW_MONTHS = 3


class DeadlineState(LabelledEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"on_time": "On time", "due_soon": "Due soon", "overdue": "Overdue", "met": "Met",
                "met_late": "Met late"}

    @property
    def tag_class(self) -> str:
        return {"on_time": "govuk-tag--blue", "due_soon": "govuk-tag--yellow", "overdue": "govuk-tag--red",
                "met": "govuk-tag--green", "met_late": "govuk-tag--orange"}[self.value]

    @property
    def is_open(self) -> bool:
        return self in (DeadlineState.ON_TIME, DeadlineState.DUE_SOON, DeadlineState.OVERDUE)


# ---------------------------------------------------------------- calendars
# The working-day calendar is the project's one in `scheduler.workdays`: no copy of it here.


def add_working_days(start: date, n: int) -> date:
    """The nth working day after `start` (start itself never counts, whatever day it is)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return workdays.add_working_days(start, n)


def add_days(start: date, n: int) -> date:
    return start + timedelta(days=n)


def add_months(start: date, months: int) -> date:
    """Same day of the month `months` later; the last day of that month if it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------- states


def state_of(due_on: date, completed_on: date | None, today: date, due_soon_days: int = DUE_SOON_DAYS) -> DeadlineState:
    if completed_on is not None:
        return DeadlineState.MET if completed_on <= due_on else DeadlineState.MET_LATE
    if today > due_on:
        return DeadlineState.OVERDUE
    if (due_on - today).days <= due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


@dataclass(frozen=True)
class Deadline:
    clock: DeadlineClock
    label: str
    rule: str
    rule_due_on: date
    due_on: date
    completed_on: date | None
    today: date
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def extended(self) -> bool:
        return self.due_on != self.rule_due_on

    @property
    def state(self) -> DeadlineState:
        return state_of(self.due_on, self.completed_on, self.today, self.due_soon_days)

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days


def notification_rule(kind: str, event_date: date) -> tuple[date, str] | None:
    """When the partnership had to notify us, and the rule in words; None if no clock applies."""
    kind = NotificationKind(kind)
    if kind in NOTIFY_WORKING_DAYS:
        n = NOTIFY_WORKING_DAYS[kind]
        words = ("1 working day (24 hours) after the death" if n == 1
                 else f"{n} working days after the incident became known")
        return add_working_days(event_date, n), words
    if kind in NOTIFY_CALENDAR_DAYS:
        n = NOTIFY_CALENDAR_DAYS[kind]
        return add_days(event_date, n), f"{n} days after ratification by the Chief Officers Group"
    return None


def report_rule(kind: str, event_date: date, notified_on: date, *, learning_review_held: bool = False,
                report_expected_on: date | None = None) -> tuple[date, str] | None:
    """When the report or review is due by the rule, and the rule in words; None if no clock applies."""
    kind = NotificationKind(kind)
    if kind is NotificationKind.LOOKED_AFTER_DEATH:
        if learning_review_held:
            return None
        return add_days(event_date, DEATH_REPORT_DAYS), f"{DEATH_REPORT_DAYS} days after the death"
    if kind is NotificationKind.SERIOUS_INCIDENT_REVIEW:
        return add_months(notified_on, REVIEW_MONTHS), f"{REVIEW_MONTHS} months after notification"
    if report_expected_on is not None:
        return report_expected_on, "the date the partnership expects the review"
    return None


def deadlines_for(notification, today: date, due_soon_days: int = DUE_SOON_DAYS) -> list[Deadline]:
    """The notification's clocks, extensions applied, in due-date order."""
    result: list[Deadline] = []
    notified_on = notification.notified_at.date()
    extended = {}
    for extension in notification.extensions or []:  # in the order granted: the latest wins
        extended[extension.clock] = extension.new_due_on

    notify = notification_rule(notification.kind, notification.event_date)
    if notify is not None:
        due, words = notify
        result.append(Deadline(DeadlineClock.NOTIFICATION, "Notification", words, due,
                               extended.get(DeadlineClock.NOTIFICATION.value, due), notified_on, today, due_soon_days))
    report = report_rule(notification.kind, notification.event_date, notified_on,
                         learning_review_held=bool(notification.learning_review_held),
                         report_expected_on=notification.report_expected_on)
    if report is not None:
        due, words = report
        label = "Review" if notification.kind == NotificationKind.SERIOUS_INCIDENT_REVIEW else "Report"
        result.append(Deadline(DeadlineClock.REPORT, label, words, due,
                               extended.get(DeadlineClock.REPORT.value, due), notification.report_received_on,
                               today, due_soon_days))
    return sorted(result, key=lambda d: d.due_on)


def next_deadline(notification, today: date, due_soon_days: int = DUE_SOON_DAYS) -> Deadline | None:
    """The earliest deadline still open, or None when every clock has stopped (or the case is closed)."""
    if notification.status == "closed":
        return None
    return next((d for d in deadlines_for(notification, today, due_soon_days) if d.is_open), None)


def report_deadline(notification, today: date, due_soon_days: int = DUE_SOON_DAYS) -> Deadline | None:
    return next((d for d in deadlines_for(notification, today, due_soon_days) if d.clock is DeadlineClock.REPORT), None)


# ---------------------------------------------------------------- retention and quarters


def retention_review_on(notification, retention_days: int) -> date:
    """When the record is due for a retention review: counted from closure, or from receipt while open."""
    basis = notification.closed_on or notification.received_at.date()
    return basis + timedelta(days=retention_days)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(quarter: tuple[int, int]) -> str:
    year, q = quarter
    months = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}[q]
    return f"{year} Q{q} ({months})"
