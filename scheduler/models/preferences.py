"""An assessor's preference for an inspection they could join: never a rule, only an aim of the
build (solver levels ``keen`` and ``rather_not``)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db

from .base import utcnow
from .choices import LabelledEnum, one_of
from .people import Assessor, User
from .programme import Inspection


class PreferenceKind(LabelledEnum):
    KEEN = "keen"
    RATHER_NOT = "rather_not"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"keen": "I'd like to join", "rather_not": "I'd rather not"}


PREFERENCE_NOTE_MAX = 200


class Preference(db.Model):
    """One per assessor and inspection; no row means no preference."""

    __table_args__ = (
        one_of("kind", PreferenceKind),
        sa.UniqueConstraint("assessor_id", "inspection_id", name="one_per_assessor_and_inspection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("assessor.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.String(PREFERENCE_NOTE_MAX), default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    assessor: Mapped[Assessor] = relationship()
    inspection: Mapped[Inspection] = relationship()
    updated_by: Mapped[User | None] = relationship()
