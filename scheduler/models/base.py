"""Column helpers shared by every model."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

# The code of practice (one inspection team, 4 to 12 days) is defined once, in the solver's
# contract; forms and CHECK constraints here read it from there.
from solver.instance import MAX_DEPLOYMENT_DAYS, MIN_DEPLOYMENT_DAYS


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def days_within_rule(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} BETWEEN {MIN_DEPLOYMENT_DAYS} AND {MAX_DEPLOYMENT_DAYS}",
        name=f"{column}_within_4_to_12",
    )


class Versioned:
    """Optimistic locking: a second editor working from a stale copy gets StaleDataError."""

    version_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version_id}


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
