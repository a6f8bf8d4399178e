"""Email that left (or, in development, would have left) the service, and signed links used up."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.extensions import db

from .base import utcnow


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    delivered_via: Mapped[str] = mapped_column(sa.String(20))
    error: Mapped[str | None] = mapped_column(sa.Text)


class UsedLink(db.Model):
    """A signed link's one-time nonce, stored when the link is acted on: a second use finds it."""

    nonce: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(40))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
