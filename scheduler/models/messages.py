"""Email the service sends (the outbox: written with the change, delivered after it commits) and
signed links used up."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.extensions import db

from .base import utcnow
from .choices import MessageStatus, one_of


class OutboxMessage(db.Model):
    __table_args__ = (
        one_of("status", MessageStatus),
        sa.CheckConstraint("status <> 'retrying' OR next_attempt_at IS NOT NULL", name="retry_is_scheduled"),
        sa.CheckConstraint("status <> 'failed' OR error IS NOT NULL", name="failure_has_reason"),
        sa.CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    delivered_via: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default=MessageStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    # When the sender next tries a pending or retrying message (indexed: the sender's queue).
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    # Why the last attempt failed (kept when a retry then succeeds, cleared by a resend).
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def delivery(self) -> MessageStatus:
        return MessageStatus(self.status)


class UsedLink(db.Model):
    """A signed link's one-time nonce, stored when the link is acted on: a second use finds it."""

    nonce: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(40))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)

