"""The notifications register: notifications partnerships send the strategic inspection teams,
their extensions and our feedback, and the signed links partners use to notify without an account.

Deadlines are not stored: they are computed from these facts by `scheduler.notifications.deadlines`,
so a change of rule (or an extension) never leaves a stale date behind.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db

from .base import Timestamped, Versioned, utcnow
from .choices import LabelledEnum, one_of
from .people import Area, User


class NotificationKind(LabelledEnum):
    LOOKED_AFTER_DEATH = "looked_after_death"
    LEARNING_REVIEW_CHILDREN = "learning_review_children"
    LEARNING_REVIEW_ADULTS = "learning_review_adults"
    SERIOUS_INCIDENT_REVIEW = "serious_incident_review"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "looked_after_death": "Death of a looked-after child or young person",
            "learning_review_children": "Learning review (children)",
            "learning_review_adults": "Learning review (adults)",
            "serious_incident_review": "Serious incident review (justice social work)",
        }


class NotificationStatus(LabelledEnum):
    RECEIVED = "received"
    REPORT_DUE = "report_due"
    REPORT_RECEIVED = "report_received"
    FEEDBACK_GIVEN = "feedback_given"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"received": "Received", "report_due": "Report due", "report_received": "Report received",
                "feedback_given": "Feedback given", "closed": "Closed"}


class NotificationSource(LabelledEnum):
    INSPECTOR = "inspector"
    PARTNER_LINK = "partner_link"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"inspector": "Logged by an inspector", "partner_link": "Sent by the partnership online"}


class DeadlineClock(LabelledEnum):
    NOTIFICATION = "notification"
    REPORT = "report"


class Notification(Versioned, Timestamped, db.Model):
    """One notification from a partnership.

    `notified_at` is the UK wall-clock date and time the partnership notified (as on their form);
    `received_at` is when it entered this register (UTC, like every other timestamp here).
    `event_date` is what the clocks run from: the date of death, the date the child protection
    committee decided, the date the Chief Officers Group ratified, or the date the justice service
    learned of the further offence. Fields only one kind asks for live in `details`, validated by
    that kind's form.
    """

    __table_args__ = (
        one_of("kind", NotificationKind),
        one_of("status", NotificationStatus),
        one_of("source", NotificationSource),
        sa.CheckConstraint("subject_dob IS NULL OR subject_dob <= event_date", name="born_before_event"),
        sa.CheckConstraint("notified_at >= event_date", name="notified_on_or_after_event"),
        sa.CheckConstraint("report_received_on IS NULL OR report_received_on >= event_date",
                           name="report_after_event"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= event_date", name="closed_after_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=NotificationStatus.RECEIVED.value, index=True)
    source: Mapped[str] = mapped_column(sa.String(20), default=NotificationSource.INSPECTOR.value)
    area_id: Mapped[str] = mapped_column(sa.ForeignKey("area.id"), index=True)
    event_date: Mapped[date] = mapped_column(index=True)
    event_time: Mapped[str | None] = mapped_column(sa.String(5))  # "HH:MM", UK time
    notified_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    subject_name: Mapped[str | None] = mapped_column(sa.String(160))
    subject_dob: Mapped[date | None]
    notifier_name: Mapped[str] = mapped_column(sa.String(160))
    notifier_contact: Mapped[str] = mapped_column(sa.String(254))
    learning_review_held: Mapped[bool] = mapped_column(default=False)
    report_expected_on: Mapped[date | None]
    report_received_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    partner_link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partner_link.id"))

    area: Mapped[Area] = relationship()
    created_by: Mapped[User | None] = relationship()
    partner_link: Mapped[PartnerLink | None] = relationship()
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="notification", order_by="Extension.id", cascade="all, delete-orphan",
    )
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="notification", order_by="Feedback.id", cascade="all, delete-orphan",
    )

    @property
    def reference(self) -> str:
        return f"N{self.id:05d}" if self.id else "N-new"

    @property
    def kind_label(self) -> str:
        return NotificationKind(self.kind).label

    @property
    def status_label(self) -> str:
        return NotificationStatus(self.status).label

    def __repr__(self) -> str:
        return f"<Notification {self.reference} {self.kind}>"


class Extension(Timestamped, db.Model):
    """A new due date for one of a notification's clocks, with why and who agreed it."""

    __table_args__ = (
        one_of("clock", DeadlineClock),
        sa.CheckConstraint("new_due_on > previous_due_on", name="extends_the_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    clock: Mapped[str] = mapped_column(sa.String(20), default=DeadlineClock.REPORT.value)
    previous_due_on: Mapped[date]
    new_due_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    notification: Mapped[Notification] = relationship(back_populates="extensions")
    granted_by: Mapped[User | None] = relationship()


class Feedback(Timestamped, db.Model):
    """Quality-assurance feedback the inspection team gave the partnership."""

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    given_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    given_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    notification: Mapped[Notification] = relationship(back_populates="feedback")
    given_by: Mapped[User | None] = relationship()


class PartnerLink(Timestamped, db.Model):
    """A partnership's signed link to the notification form. The token carries this row's id;
    the row holds the partnership, when the link stops working and whether it was withdrawn."""

    __table_args__ = (sa.CheckConstraint("expires_at > created_at", name="expires_after_created"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[str] = mapped_column(sa.ForeignKey("area.id"), index=True)
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    area: Mapped[Area] = relationship()
    created_by: Mapped[User | None] = relationship()

    def usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and (now or utcnow()) < self.expires_at


class NotificationTombstone(db.Model):
    """What remains of a notification an inspector deleted at its retention review: its reference,
    kind and dates, so counts and the fact that it existed survive; nothing about the people."""

    __table_args__ = (one_of("kind", NotificationKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    area_id: Mapped[str] = mapped_column(sa.ForeignKey("area.id"))
    event_date: Mapped[date]
    notified_at: Mapped[datetime]
    closed_on: Mapped[date | None]
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    @property
    def kind_label(self) -> str:
        return NotificationKind(self.kind).label
