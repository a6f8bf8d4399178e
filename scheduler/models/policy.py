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


class PlanningPolicy(db.Model):
    """The year's planning policy. At most one row (id 1); without it the defaults apply."""

    __table_args__ = (
        sa.CheckConstraint("id = 1", name="one_row"),
        sa.CheckConstraint(f"max_deployments_per_assessor BETWEEN {DEPLOYMENT_CAP_RANGE[0]} "
                           f"AND {DEPLOYMENT_CAP_RANGE[1]}", name="max_deployments_per_assessor_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    max_deployments_per_assessor: Mapped[int] = mapped_column(
        default=DEFAULT_MAX_DEPLOYMENTS, server_default=str(DEFAULT_MAX_DEPLOYMENTS))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    @staticmethod
    def current() -> "PlanningPolicy":
        """The stored policy, or an unsaved one with the defaults."""
        return db.session.get(PlanningPolicy, 1) or PlanningPolicy(
            id=1, max_deployments_per_assessor=DEFAULT_MAX_DEPLOYMENTS)
