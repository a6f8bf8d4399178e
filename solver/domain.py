"""The deployment problem's domain types: areas, assessors and their employer agreements,
inspections and their seats, deployments, instances and plans (docs/solver/formats.md).

Reading and validating the JSON formats is :mod:`solver.instance`'s business.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

INSTANCE_FORMAT = "assessor-deployment-instance/1"
PLAN_FORMAT = "assessor-deployment-plan/1"
SPECIALISMS = ("children", "adults", "justice")
SECTORS = ("statutory", "third")
MIN_DEPLOYMENT_DAYS = 4
MAX_DEPLOYMENT_DAYS = 12
DEFAULT_MAX_DEPLOYMENTS = 2
STATUSES = ("optimal", "feasible", "infeasible", "unknown")
EXCLUDED_KEYS = ("own_area", "employer_conflict", "no_agreement", "agreement_window",
                 "agreement_days", "unavailable", "deployment_cap", "busy")


# ----------------------------------------------------------------------------- data

@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end

    def to_json(self, keys: tuple[str, str] = ("from", "to")) -> dict:
        return {keys[0]: self.start.isoformat(), keys[1]: self.end.isoformat()}


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Agreement:
    start: date
    end: date
    max_days_per_deployment: int
    max_days_total: int

    def __contains__(self, d: date) -> bool:
        return self.start <= d <= self.end


@dataclass(frozen=True)
class Assessor:
    id: str
    name: str
    specialisms: tuple[str, ...]
    sector: str
    home_area: str
    employer: str
    agreement: Agreement | None = None
    unavailable: tuple[DateRange, ...] = ()
    # inspection ids (spec, "preferences"): never a hard rule, only the keen/rather_not levels
    keen: tuple[str, ...] = ()
    rather_not: tuple[str, ...] = ()

    def is_unavailable(self, d: date) -> bool:
        return any(d in r for r in self.unavailable)


@dataclass(frozen=True)
class Seat:
    specialism: str
    count: int
    min_days: int
    max_days: int


@dataclass(frozen=True)
class Inspection:
    id: str
    title: str
    area: str
    excluded_employers: tuple[str, ...]
    days: tuple[date, ...]
    mandatory_days: tuple[date, ...]
    seats: tuple[Seat, ...]

    def seat(self, specialism: str) -> Seat | None:
        for s in self.seats:
            if s.specialism == specialism:
                return s
        return None


# the order of the objective's levels when an instance gives none (spec, "Objective")
DEFAULT_OBJECTIVE = ("seats_filled", "days_deployed", "repeat_deployments", "travel_km")


@dataclass(frozen=True)
class Policy:
    max_deployments_per_assessor: int = DEFAULT_MAX_DEPLOYMENTS
    objective: tuple[str, ...] = DEFAULT_OBJECTIVE


@dataclass(frozen=True)
class Deployment:
    assessor: str
    inspection: str
    specialism: str
    days: tuple[date, ...]

    def to_json(self) -> dict:
        return {"assessor": self.assessor, "inspection": self.inspection,
                "specialism": self.specialism, "days": [d.isoformat() for d in self.days]}


@dataclass(frozen=True)
class Instance:
    horizon: DateRange
    non_working_days: frozenset[date]
    policy: Policy
    areas: tuple[Area, ...]
    assessors: tuple[Assessor, ...]
    inspections: tuple[Inspection, ...]
    pinned: tuple[Deployment, ...] = ()

    @cached_property
    def area_by_id(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    @cached_property
    def assessor_by_id(self) -> dict[str, Assessor]:
        return {a.id: a for a in self.assessors}

    @cached_property
    def inspection_by_id(self) -> dict[str, Inspection]:
        return {i.id: i for i in self.inspections}

    @staticmethod
    def from_json(data: Any) -> "Instance":
        """Parse and validate; raise solver.instance.InvalidInstance listing every error."""
        from .instance import parse_instance  # the format's parser needs these types
        return parse_instance(data)

    def to_json(self) -> dict:
        def assessor(a: Assessor) -> dict:
            out: dict[str, Any] = {"id": a.id, "name": a.name, "specialisms": list(a.specialisms),
                                   "sector": a.sector, "home_area": a.home_area,
                                   "employer": a.employer}
            if a.agreement is not None:
                g = a.agreement
                out["agreement"] = {"from": g.start.isoformat(), "to": g.end.isoformat(),
                                    "max_days_per_deployment": g.max_days_per_deployment,
                                    "max_days_total": g.max_days_total}
            out["unavailable"] = [r.to_json() for r in a.unavailable]
            if a.keen or a.rather_not:
                out["preferences"] = {"keen": list(a.keen), "rather_not": list(a.rather_not)}
            return out

        policy: dict[str, Any] = {
            "max_deployments_per_assessor": self.policy.max_deployments_per_assessor}
        if self.policy.objective != DEFAULT_OBJECTIVE:
            policy["objective"] = list(self.policy.objective)

        return {
            "format": INSTANCE_FORMAT,
            "horizon": self.horizon.to_json(("start", "end")),
            "non_working_days": sorted(d.isoformat() for d in self.non_working_days),
            "policy": policy,
            "areas": [{"id": a.id, "name": a.name, "lat": a.lat, "lon": a.lon} for a in self.areas],
            "assessors": [assessor(a) for a in self.assessors],
            "inspections": [{
                "id": i.id, "title": i.title, "area": i.area,
                "excluded_employers": list(i.excluded_employers),
                "days": [d.isoformat() for d in i.days],
                "mandatory_days": [d.isoformat() for d in i.mandatory_days],
                "seats": [{"specialism": s.specialism, "count": s.count, "min_days": s.min_days,
                           "max_days": s.max_days} for s in i.seats],
            } for i in self.inspections],
            "pinned": [p.to_json() for p in self.pinned],
        }


@dataclass(frozen=True)
class Unfilled:
    inspection: str
    specialism: str
    missing: int
    holders: int
    deployed_here: int
    excluded: dict[str, int]
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"inspection": self.inspection, "specialism": self.specialism,
                "missing": self.missing, "holders": self.holders,
                "deployed_here": self.deployed_here,
                "excluded": {k: int(self.excluded.get(k, 0)) for k in EXCLUDED_KEYS},
                "suggestions": list(self.suggestions)}


@dataclass(frozen=True)
class Plan:
    status: str
    objective: dict[str, int] | None
    bound: dict[str, float | None] | None
    solve_seconds: float
    deployments: tuple[Deployment, ...]
    unfilled: tuple[Unfilled, ...] = ()

    def to_json(self) -> dict:
        return {"format": PLAN_FORMAT, "status": self.status,
                "objective": dict(self.objective) if self.objective is not None else None,
                "bound": dict(self.bound) if self.bound is not None else None,
                "solve_seconds": round(float(self.solve_seconds), 3),
                "deployments": [d.to_json() for d in self.deployments],
                "unfilled": [u.to_json() for u in self.unfilled]}

    @staticmethod
    def from_json(data: Any) -> "Plan":
        """Parse; raise solver.instance.InvalidPlan listing every error."""
        from .instance import parse_plan
        return parse_plan(data)
