"""What a build plans (its scope), and which deployments and inspections count when planning."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.formatting import long_date
from scheduler.models import Deployment, DeploymentStatus, Inspection, InspectionStatus
from scheduler.planning.variant import Variant
from solver import instance as si

NATIONAL_AREA = si.Area("scotland", "Scotland (national)", 56.49, -4.20)
# Deployments that hold an assessor's days and a seat.
LIVE = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value,
        DeploymentStatus.COMPLETED.value)
DECLINED = (DeploymentStatus.EMPLOYER_DECLINED.value, DeploymentStatus.ASSESSOR_DECLINED.value)
PLANNABLE = (InspectionStatus.PLANNED.value, InspectionStatus.IN_PROGRESS.value)
SEAT_MIN, SEAT_MAX = si.MIN_DEPLOYMENT_DAYS, si.MAX_DEPLOYMENT_DAYS


@dataclass
class Scope:
    """What to plan: inspections overlapping [start, end], or chosen references."""

    start: date | None = None
    end: date | None = None
    references: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "references": list(self.references)}

    @staticmethod
    def from_json(data: dict) -> "Scope":
        return Scope(date.fromisoformat(data["start"]) if data.get("start") else None,
                     date.fromisoformat(data["end"]) if data.get("end") else None,
                     tuple(data.get("references") or ()))

    def describe(self) -> str:
        if self.references:
            return "Inspections " + ", ".join(self.references)
        return f"Inspections from {long_date(self.start)} to {long_date(self.end)}"


def scope_query(scope: Scope) -> sa.Select:
    q = sa.select(Inspection.id).where(Inspection.status.in_(PLANNABLE))
    if scope.references:
        return q.where(Inspection.reference.in_(scope.references))
    return q.where(Inspection.starts_on <= scope.end, Inspection.ends_on >= scope.start)


def scope_inspection_ids(scope: Scope) -> list[int]:
    return list(db.session.scalars(scope_query(scope).order_by(Inspection.starts_on, Inspection.reference)))


def baseline_of(inspection_ids: list[int] | sa.Select) -> str:
    """A fingerprint of every deployment on these inspections: changes when anyone publishes,
    pins, confirms or declines one of them."""
    rows = db.session.execute(
        sa.select(Deployment.id, Deployment.version_id, Deployment.status)
        .where(Deployment.inspection_id.in_(inspection_ids)).order_by(Deployment.id)).all()
    return hashlib.sha256(json.dumps([list(r) for r in rows]).encode()).hexdigest()[:32]


def horizon_of(days: Iterable[date]) -> si.DateRange:
    """The instance's horizon: the first to the last inspection day (today when there are none)."""
    ds = sorted(days)
    start = ds[0] if ds else date.today()
    return si.DateRange(start, ds[-1] if ds else start)


def non_working_days(start: date, end: date) -> frozenset[date]:
    """Scottish bank holidays between start and end."""
    from scheduler.workdays import scottish_bank_holidays

    return frozenset(d for d in scottish_bank_holidays(range(start.year, end.year + 1))
                     if start <= d <= end)


def day_ranges(days: Iterable[date]) -> list[si.DateRange]:
    """Days as the fewest ranges of consecutive days."""
    out: list[si.DateRange] = []
    for d in sorted(set(days)):
        if out and out[-1].end + timedelta(days=1) == d:
            out[-1] = si.DateRange(out[-1].start, d)
        else:
            out.append(si.DateRange(d, d))
    return out


@dataclass(frozen=True)
class RunScope:
    """A solve run's scope as stored in ``SolveRun.scope``: what the coordinator asked for, and what
    the build found when it read the database (in_scope onwards). A what-if build records what it
    varies (``variant``); it is never published."""

    asked: Scope
    replan: bool = False
    time_limit: float | None = None           # seconds; None: the service's SOLVE_TIME_LIMIT
    in_scope: tuple[str, ...] = ()            # inspection references planned
    context: tuple[str, ...] = ()             # context inspections (deployments outside the scope)
    baseline: str | None = None               # baseline_of the scope's deployments at build time
    flags: dict[str, list[str]] = field(default_factory=dict)   # deployment id -> why it must change
    keep: tuple[dict, ...] = ()               # published deployments to keep if possible (plan JSON)
    fallbacks: tuple[str, ...] = ()
    build_seconds: float | None = None
    variant: Variant | None = None
    released: tuple[str, ...] = ()            # a variant's: the pins its changes broke, in words

    @staticmethod
    def of(data: dict | None) -> "RunScope":
        data = data or {}
        return RunScope(Scope.from_json(data), bool(data.get("replan")), data.get("time_limit"),
                        tuple(data.get("in_scope") or ()), tuple(data.get("context") or ()),
                        data.get("baseline"), dict(data.get("flags") or {}), tuple(data.get("keep") or ()),
                        tuple(data.get("fallbacks") or ()), data.get("build_seconds"),
                        Variant.of(data.get("variant")), tuple(data.get("released") or ()))

    def to_json(self) -> dict:
        data = {**self.asked.to_json(), "replan": self.replan, "time_limit": self.time_limit}
        if self.variant is not None:
            data["variant"] = self.variant.to_json()
        if self.baseline is not None:      # built: what the build found
            data.update(in_scope=list(self.in_scope), context=list(self.context), baseline=self.baseline,
                        flags=self.flags, keep=list(self.keep), fallbacks=list(self.fallbacks),
                        build_seconds=self.build_seconds)
            if self.released:
                data["released"] = list(self.released)
        return data
