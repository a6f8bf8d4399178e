"""The inspection programme: inspections, their days and seats, deployments and solve runs."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.extensions import db

from .base import (
    MAX_DEPLOYMENT_DAYS,
    MIN_DEPLOYMENT_DAYS,
    Timestamped,
    Versioned,
    days_within_rule,
)
from .choices import (
    DeploymentStatus,
    InspectionStatus,
    InspectionType,
    SolveRunStatus,
    Specialism,
    one_of,
)
from .people import Area, Assessor, Employer, User

inspection_excluded_employer = sa.Table(
    "inspection_excluded_employer",
    db.metadata,
    sa.Column("inspection_id", sa.ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("employer_id", sa.ForeignKey("employer.id"), primary_key=True),
)


class Inspection(Versioned, Timestamped, db.Model):
    """A joint strategic inspection in one area, or a national thematic one (no area)."""

    __table_args__ = (
        one_of("type", InspectionType),
        one_of("status", InspectionStatus),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_it_starts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(20), index=True)
    area_id: Mapped[str | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    partner_bodies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default=InspectionStatus.PLANNED.value, index=True)

    area: Mapped[Area | None] = relationship()
    days: Mapped[list[InspectionDay]] = relationship(
        back_populates="inspection", order_by="InspectionDay.day", cascade="all, delete-orphan",
    )
    seats: Mapped[list[Seat]] = relationship(
        back_populates="inspection", order_by="Seat.specialism", cascade="all, delete-orphan",
    )
    excluded_employers: Mapped[list[Employer]] = relationship(
        secondary=inspection_excluded_employer, order_by=Employer.name,
    )
    deployments: Mapped[list[Deployment]] = relationship(back_populates="inspection")

    @property
    def is_national(self) -> bool:
        return self.area_id is None

    @property
    def working_days(self) -> list[date]:
        return [d.day for d in self.days]

    @property
    def mandatory_days(self) -> list[date]:
        return [d.day for d in self.days if d.mandatory]

    @property
    def type_label(self) -> str:
        return InspectionType(self.type).label

    def __repr__(self) -> str:
        return f"<Inspection {self.reference}>"


class InspectionDay(db.Model):
    """A working day of an inspection on which associate assessors may work."""

    inspection_id: Mapped[int] = mapped_column(
        sa.ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    mandatory: Mapped[bool] = mapped_column(default=False)

    inspection: Mapped[Inspection] = relationship(back_populates="days")


class Seat(db.Model):
    """How many assessors of one specialism an inspection needs, and for how many days."""

    __table_args__ = (
        one_of("specialism", Specialism),
        sa.UniqueConstraint("inspection_id", "specialism"),
        sa.CheckConstraint("count >= 1", name="at_least_one"),
        days_within_rule("min_days"),
        days_within_rule("max_days"),
        sa.CheckConstraint("min_days <= max_days", name="min_not_above_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id", ondelete="CASCADE"))
    specialism: Mapped[str] = mapped_column(sa.String(20))
    count: Mapped[int] = mapped_column(default=1)
    min_days: Mapped[int] = mapped_column(default=MIN_DEPLOYMENT_DAYS)
    max_days: Mapped[int] = mapped_column(default=MAX_DEPLOYMENT_DAYS)

    inspection: Mapped[Inspection] = relationship(back_populates="seats")

    @property
    def specialism_label(self) -> str:
        return Specialism(self.specialism).label


class SolveRun(Timestamped, db.Model):
    """One press of "Build teams": its scope, progress, result and who asked for it."""

    __table_args__ = (one_of("status", SolveRunStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=SolveRunStatus.QUEUED.value, index=True)
    scope: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    progress: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    objective: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    bound: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    instance: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    # Team builder: Cancel asks the running solve to stop; coordinators' pins and hand
    # replacements on the proposed plan; the plan's version number once published.
    cancel_requested: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    adjustments: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    version: Mapped[int | None]

    started_by: Mapped[User | None] = relationship()


class Deployment(Versioned, Timestamped, db.Model):
    """An assessor on one inspection's team for 4 to 12 of its days."""

    __table_args__ = (
        one_of("status", DeploymentStatus),
        one_of("specialism", Specialism),
        days_within_rule("day_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("assessor.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    specialism: Mapped[str] = mapped_column(sa.String(20))
    day_count: Mapped[int]
    days: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(24), default=DeploymentStatus.PROPOSED.value, index=True)
    pinned: Mapped[bool] = mapped_column(default=False)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("solve_run.id"))
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    # When the assessor said yes to these days; cleared when the days change or they decline. The
    # status stays "proposed" until the employer confirms, so this is what shows their answer.
    accepted_at: Mapped[datetime | None]

    assessor: Mapped[Assessor] = relationship()
    inspection: Mapped[Inspection] = relationship(back_populates="deployments")
    plan: Mapped[SolveRun | None] = relationship()

    @property
    def specialism_label(self) -> str:
        return Specialism(self.specialism).label

    def set_days(self, days: list[date]) -> None:
        """Days and their count are set together so they never disagree."""
        self.days = sorted(d.isoformat() for d in days)
        self.day_count = len(self.days)
