"""The instance read from the spec alone: who may take which seat on which days, and at what km.

Every rule is stated here once, in the spec's words and numbering; the checker, the MIP, the brute
force and the generator all ask this module.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

MIN_DAYS, MAX_DAYS = 4, 12            # the 4-12 day deployment rule
EARTH_RADIUS_KM = 6371.0
DEFAULT_CAP = 2
# (name, sense): each level optimised with the ones before it held at their best; the default
# order is the first four, policy.objective may give another ("preferences and the order")
LEVELS = (("seats_filled", "max"), ("days_deployed", "max"), ("repeat_deployments", "min"),
          ("travel_km", "min"))
SENSE = dict(LEVELS) | {"rather_not": "min", "keen": "max", "partnerships_reached": "max"}
INT64_MAX = 2 ** 63 - 1
# the plan's unfilled[].excluded keys, in the order a holder is classified (first that applies)
EXCLUDED = ("own_area", "employer_conflict", "no_agreement", "agreement_window",
            "agreement_days", "unavailable", "deployment_cap", "busy")


def levels(data: dict) -> list[tuple[str, str]]:
    """The instance's levels, in its order."""
    order = (data.get("policy") or {}).get("objective")
    return list(LEVELS) if order is None else [(n, SENSE[n]) for n in order]


def lexkey(objective: dict[str, int], order: list[tuple[str, str]] | None = None
           ) -> tuple[int, ...]:
    """Larger is better, level by level."""
    return tuple(objective[n] if sense == "max" else -objective[n]
                 for n, sense in order or LEVELS)


@dataclass(frozen=True)
class Fault:
    """One broken hard rule: ``rule`` is the spec's number (or 'agreement' / 'unknown')."""
    rule: str
    reason: str


@dataclass(frozen=True)
class Deployment:
    assessor: str
    inspection: str
    specialism: str
    days: tuple[date, ...]

    @staticmethod
    def of(d: dict) -> "Deployment":
        return Deployment(d["assessor"], d["inspection"], d["specialism"],
                          tuple(date.fromisoformat(x) for x in d["days"]))

    def to_json(self) -> dict:
        return {"assessor": self.assessor, "inspection": self.inspection,
                "specialism": self.specialism, "days": [d.isoformat() for d in sorted(self.days)]}


def _in_ranges(day: date, ranges: list[dict]) -> bool:
    return any(date.fromisoformat(r["from"]) <= day <= date.fromisoformat(r["to"])
               for r in ranges)


class Problem:
    """A valid instance (plain dict), with the spec's rules as questions about it."""

    def __init__(self, data: dict):
        self.data = data
        self.cap: int = (data.get("policy") or {}).get("max_deployments_per_assessor", DEFAULT_CAP)
        self.non_working = {date.fromisoformat(x) for x in data.get("non_working_days", [])}
        self.areas = {a["id"]: a for a in data["areas"]}
        self.assessors = {a["id"]: a for a in data["assessors"]}
        self.inspections = {i["id"]: i for i in data["inspections"]}
        self.pinned = [Deployment.of(p) for p in data.get("pinned", [])]
        self.levels = levels(data)

    def prefers(self, aid: str, iid: str) -> str | None:
        """'keen', 'rather_not' or None: what the assessor said of the inspection."""
        pref = self.assessors[aid].get("preferences") or {}
        return next((k for k in ("keen", "rather_not") if iid in pref.get(k, [])), None)

    # ------------------------------------------------------------------ seats and days
    def seat(self, iid: str, spec: str) -> dict | None:
        return next((s for s in self.inspections[iid]["seats"] if s["specialism"] == spec), None)

    def seats(self) -> list[tuple[str, str, dict]]:
        return [(i["id"], s["specialism"], s) for i in self.data["inspections"] for s in i["seats"]]

    def mandatory(self, iid: str) -> set[date]:
        return {date.fromisoformat(x) for x in self.inspections[iid]["mandatory_days"]}

    def open_days(self, aid: str, iid: str) -> list[date]:
        """Rule 4 without the mandatory clause: the inspection's days this assessor may work."""
        a, g = self.assessors[aid], self.assessors[aid].get("agreement")
        if not g:
            return []
        lo, hi = date.fromisoformat(g["from"]), date.fromisoformat(g["to"])
        return [d for d in map(date.fromisoformat, self.inspections[iid]["days"])
                if lo <= d <= hi and d not in self.non_working
                and not _in_ranges(d, a.get("unavailable", []))]

    def length_range(self, aid: str, iid: str, spec: str) -> tuple[int, int]:
        """Rule 3: [max(4, min_days), min(12, max_days, max_days_per_deployment)]."""
        s, g = self.seat(iid, spec), self.assessors[aid]["agreement"]
        return max(MIN_DAYS, s["min_days"]), min(MAX_DAYS, s["max_days"],
                                                 g["max_days_per_deployment"])

    def true_minimum(self, iid: str, spec: str) -> int:
        """Rules 3 and 4 together: the fewest days any deployment on the seat can have."""
        return max(MIN_DAYS, self.seat(iid, spec)["min_days"], len(self.mandatory(iid)))

    def exclusion(self, aid: str, iid: str, spec: str, others: list[Deployment]) -> str | None:
        """The first of :data:`EXCLUDED` that keeps a holder of the seat's specialism off it,
        given ``others`` (their other deployments in the plan); None if they could take it.

        Each reason asks whether any deployment at all is left once that rule is applied:
        ``agreement_window`` (the window alone leaves too few of the days, or a mandatory day
        out), ``agreement_days`` (the agreement allows fewer days, per deployment or in total,
        than the seat's true minimum), ``unavailable`` (the same for absences and non-working
        days), ``deployment_cap`` (as many deployments as the cap already), ``busy`` (the
        shortest deployment left on free days breaks rule 1, 5 or 6 beside ``others``)."""
        a, i = self.assessors[aid], self.inspections[iid]
        g, lo, mand = a.get("agreement"), self.true_minimum(iid, spec), self.mandatory(iid)
        if a["home_area"] == i["area"]:
            return "own_area"
        if a["employer"] in i["excluded_employers"]:
            return "employer_conflict"
        if not g:
            return "no_agreement"
        window = {d for d in map(date.fromisoformat, i["days"])
                  if date.fromisoformat(g["from"]) <= d <= date.fromisoformat(g["to"])}
        if not mand <= window or len(window) < lo:
            return "agreement_window"
        if min(g["max_days_per_deployment"], g["max_days_total"]) < lo:
            return "agreement_days"
        open_ = set(self.open_days(aid, iid))
        if not mand <= open_ or len(open_) < lo:
            return "unavailable"
        if len(others) >= self.cap:
            return "deployment_cap"
        return "busy" if self.shortest_beside(aid, iid, spec, others) is None else None

    def shortest_beside(self, aid: str, iid: str, spec: str, others: list[Deployment]
                        ) -> Deployment | None:
        """The assessor's shortest deployment on the seat (mandatory days, then the earliest
        free ones) that keeps every rule beside ``others``, or None. Any deployment that does
        can be cut to this length on free days, so None means there is none."""
        used = {d for o in others for d in o.days}
        free = sorted(set(self.open_days(aid, iid)) - used)
        mand = self.mandatory(iid)
        lo = self.true_minimum(iid, spec)
        if not mand <= set(free) or len(free) < lo:
            return None
        extra = [d for d in free if d not in mand][:lo - len(mand)]
        d = Deployment(aid, iid, spec, tuple(sorted(mand | set(extra))))
        same = any(o.inspection == iid for o in others)
        total = sum(len(o.days) for o in others) + lo
        return None if self.deployment_faults(d) or same or \
            total > self.assessors[aid]["agreement"]["max_days_total"] else d

    def may_sit(self, aid: str, iid: str, spec: str) -> bool:
        """Rules 1 (holds the specialism; the seat exists) and 2, and an agreement exists."""
        return not self.seat_faults(aid, iid, spec)

    def seat_faults(self, aid: str, iid: str, spec: str) -> list[Fault]:
        a, i = self.assessors.get(aid), self.inspections.get(iid)
        if a is None or i is None:
            return [Fault("unknown", f"unknown assessor {aid!r} or inspection {iid!r}")]
        out = []
        if self.seat(iid, spec) is None:
            out.append(Fault("1", f"{iid} has no {spec} seat"))
        if spec not in a["specialisms"]:
            out.append(Fault("1", f"{aid} does not hold {spec}"))
        if a["home_area"] == i["area"]:
            out.append(Fault("2", f"{iid} is in {aid}'s own area"))
        if a["employer"] in i["excluded_employers"]:
            out.append(Fault("2", f"{aid}'s employer is excluded from {iid}"))
        if not a.get("agreement"):
            out.append(Fault("agreement", f"{aid} has no employer agreement"))
        return out

    def deployment_faults(self, d: Deployment) -> list[Fault]:
        """Rules 1-4 for one deployment on its own (no other deployment considered)."""
        out = self.seat_faults(d.assessor, d.inspection, d.specialism)
        if out:
            return out
        n = len(set(d.days))
        if n != len(d.days):
            out.append(Fault("4", "a day is listed twice"))
        lo, hi = self.length_range(d.assessor, d.inspection, d.specialism)
        if not lo <= n <= hi:
            out.append(Fault("3", f"{n} days, outside {lo}-{hi}"))
        open_ = set(self.open_days(d.assessor, d.inspection))
        for day in sorted(set(d.days) - open_):
            out.append(Fault("4", f"{day} is not a day {d.assessor} may work on {d.inspection}"))
        for day in sorted(self.mandatory(d.inspection) - set(d.days)):
            out.append(Fault("4", f"mandatory day {day} missing"))
        return out

    def km(self, aid: str, iid: str) -> int:
        """Great-circle km between the centres of home area and inspection area, rounded."""
        a = self.areas[self.assessors[aid]["home_area"]]
        b = self.areas[self.inspections[iid]["area"]]
        p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
        dp, dl = p2 - p1, math.radians(b["lon"] - a["lon"])
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return round(2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h))))


def objective(problem: Problem, deployments: list[Deployment]) -> dict[str, int]:
    """The instance's levels, in its order."""
    per_assessor: dict[str, int] = {}
    for d in deployments:
        per_assessor[d.assessor] = per_assessor.get(d.assessor, 0) + 1
    values = {
        "seats_filled": len(deployments),
        "days_deployed": sum(len(d.days) for d in deployments),
        "repeat_deployments": sum(n - 1 for n in per_assessor.values()),
        "travel_km": sum(problem.km(d.assessor, d.inspection) for d in deployments),
        "rather_not": sum(problem.prefers(d.assessor, d.inspection) == "rather_not"
                          for d in deployments),
        "keen": sum(problem.prefers(d.assessor, d.inspection) == "keen" for d in deployments),
        "partnerships_reached": len({problem.assessors[aid]["home_area"]
                                     for aid in per_assessor}),
    }
    return {name: values[name] for name, _ in problem.levels}
