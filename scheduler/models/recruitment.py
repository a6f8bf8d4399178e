"""Recruitment campaigns and the applications made while they are open."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db

from .base import Timestamped, Versioned, utcnow
from .choices import ApplicationStatus, Sector, Specialism, one_of
from .people import Area, Assessor


class Campaign(Versioned, Timestamped, db.Model):
    __table_args__ = (
        sa.CheckConstraint("seeks_children OR seeks_adults OR seeks_justice", name="seeks_a_specialism"),
        sa.CheckConstraint("closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on",
                           name="closes_after_it_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    seeks_children: Mapped[bool] = mapped_column(default=False)
    seeks_adults: Mapped[bool] = mapped_column(default=False)
    seeks_justice: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    is_open: Mapped[bool] = mapped_column(default=False, index=True)

    @property
    def specialisms(self) -> tuple[Specialism, ...]:
        return tuple(s for s in Specialism if getattr(self, f"seeks_{s.value}"))

    @specialisms.setter
    def specialisms(self, values) -> None:
        chosen = {Specialism(v) for v in values}
        for s in Specialism:
            setattr(self, f"seeks_{s.value}", s in chosen)


class Application(Timestamped, db.Model):
    __table_args__ = (
        one_of("status", ApplicationStatus),
        one_of("sector", Sector),
        sa.CheckConstraint("applies_children OR applies_adults OR applies_justice", name="applies_for_a_specialism"),
        sa.CheckConstraint("privacy_consent", name="privacy_consent_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(16), unique=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40))
    home_area_id: Mapped[str] = mapped_column(sa.ForeignKey("area.id"))
    employer_name: Mapped[str] = mapped_column(sa.String(160))
    job_title: Mapped[str] = mapped_column(sa.String(160))
    sector: Mapped[str] = mapped_column(sa.String(20))
    applies_children: Mapped[bool] = mapped_column(default=False)
    applies_adults: Mapped[bool] = mapped_column(default=False)
    applies_justice: Mapped[bool] = mapped_column(default=False)
    strategic_experience: Mapped[str] = mapped_column(sa.Text)
    employer_contact_name: Mapped[str] = mapped_column(sa.String(120))
    employer_contact_email: Mapped[str] = mapped_column(sa.String(254))
    conflicts_declared: Mapped[str] = mapped_column(sa.Text, default="")
    privacy_consent: Mapped[bool]
    status: Mapped[str] = mapped_column(sa.String(20), default=ApplicationStatus.SUBMITTED.value, index=True)
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    assessor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessor.id"))
    submitted_at: Mapped[datetime | None]
    # Set when the personal details were anonymised (on request or by the retention schedule).
    erased_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    home_area: Mapped[Area] = relationship()
    assessor: Mapped[Assessor | None] = relationship()


class ApplicationDraft(db.Model):
    """An application being filled in, page by page: kept here, keyed by a random id held in the
    applicant's session, so their answers are never readable in the (only signed) cookie."""

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id", ondelete="SET NULL"))
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
