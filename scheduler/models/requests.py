"""Changes an assessor asks for that a coordinator decides: their specialisms."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db

from .base import Timestamped
from .choices import LabelledEnum, Specialism, one_of
from .people import Assessor, User


class ChangeRequestStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SpecialismChangeRequest(Timestamped, db.Model):
    """An assessor asks to hold a different set of specialisms; a coordinator approves or rejects."""

    __table_args__ = (
        one_of("status", ChangeRequestStatus),
        sa.CheckConstraint("requests_children OR requests_adults OR requests_justice",
                           name="requests_a_specialism"),
        sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_unless_pending"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("assessor.id", ondelete="CASCADE"), index=True)
    requests_children: Mapped[bool] = mapped_column(default=False)
    requests_adults: Mapped[bool] = mapped_column(default=False)
    requests_justice: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default=ChangeRequestStatus.PENDING.value, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")

    assessor: Mapped[Assessor] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def specialisms(self) -> tuple[Specialism, ...]:
        return tuple(s for s in Specialism if getattr(self, f"requests_{s.value}"))

    @specialisms.setter
    def specialisms(self, values) -> None:
        chosen = {Specialism(v) for v in values}
        for s in Specialism:
            setattr(self, f"requests_{s.value}", s in chosen)

    @property
    def specialism_labels(self) -> str:
        return ", ".join(s.label for s in self.specialisms)

    @property
    def status_label(self) -> str:
        return ChangeRequestStatus(self.status).label

    def __repr__(self) -> str:
        return f"<SpecialismChangeRequest {self.id} {self.status}>"
