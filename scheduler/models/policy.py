"""The planning policy an admin sets for the year: one row, read into every solver instance."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.extensions import db
from solver.instance import DEFAULT_MAX_DEPLOYMENTS

from .base import utcnow

# How many deployments an admin may allow one assessor in the year (the code of practice's range).
DEPLOYMENT_CAP_RANGE = (1, 4)

# The order of the aims a build optimises (solver.objective's levels), as named presets in plain
# words; the first is the default (the spec's four levels, assessors' wishes not weighed).
AIMS = {
    "seats_days_spread_travel": (
        ("seats_filled", "days_deployed", "repeat_deployments", "travel_km"),
        "Fill seats, then inspection days, then spread the work, then travel (assessors' wishes are not weighed)"),
    "with_wishes": (
        ("seats_filled", "rather_not", "days_deployed", "keen", "repeat_deployments", "travel_km"),
        "Fill seats, then avoid 'rather not', then inspection days, then 'like to join', then spread the work, "
        "then travel"),
    "with_wishes_and_partnerships": (
        ("seats_filled", "rather_not", "days_deployed", "keen", "partnerships_reached", "repeat_deployments",
         "travel_km"),
        "Fill seats, then avoid 'rather not', then inspection days, then 'like to join', then reach more council "
        "areas, then spread the work, then travel"),
}
DEFAULT_AIMS = next(iter(AIMS))


class PlanningPolicy(db.Model):
    """The year's planning policy. At most one row (id 1); without it the defaults apply."""

    __table_args__ = (
        sa.CheckConstraint("id = 1", name="one_row"),
        sa.CheckConstraint(f"max_deployments_per_assessor BETWEEN {DEPLOYMENT_CAP_RANGE[0]} "
                           f"AND {DEPLOYMENT_CAP_RANGE[1]}", name="max_deployments_per_assessor_range"),
        sa.CheckConstraint("aims IN (" + ", ".join(f"'{name}'" for name in AIMS) + ")", name="aims_allowed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    max_deployments_per_assessor: Mapped[int] = mapped_column(
        default=DEFAULT_MAX_DEPLOYMENTS, server_default=str(DEFAULT_MAX_DEPLOYMENTS))
    aims: Mapped[str] = mapped_column(sa.String(40), default=DEFAULT_AIMS, server_default=DEFAULT_AIMS)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    @staticmethod
    def current() -> "PlanningPolicy":
        """The stored policy, or an unsaved one with the defaults."""
        return db.session.get(PlanningPolicy, 1) or PlanningPolicy(
            id=1, max_deployments_per_assessor=DEFAULT_MAX_DEPLOYMENTS, aims=DEFAULT_AIMS)

    @property
    def objective(self) -> tuple[str, ...]:
        """The solver's levels in the order this policy's aims put them."""
        return AIMS[self.aims][0]
