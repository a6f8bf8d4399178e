"""The objective's four levels, defined once: names, sense and how each is computed from a plan's
deployments (spec, "Objective").  The engines, the checker, the instance format and the bench all
read them from here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from .domain import MAX_DEPLOYMENT_DAYS, Deployment, Instance
from .geography import travel_km


@dataclass(frozen=True)
class Level:
    name: str
    sense: int          # +1 maximise, -1 minimise
    meaning: str

    def better(self, a: float, b: float) -> bool:
        """Is value ``a`` strictly better than ``b`` at this level?"""
        return a * self.sense > b * self.sense


LEVELS = (Level("seats_filled", +1, "the number of deployments"),
          Level("days_deployed", +1, "the total number of deployed days"),
          Level("repeat_deployments", -1, "over assessors, deployments beyond their first"),
          Level("travel_km", -1, "over deployments, rounded great-circle km from the home area"))
NAMES = tuple(level.name for level in LEVELS)


def objective_of(instance: Instance, deployments: Sequence[Deployment]) -> dict[str, int]:
    """The four levels' values of a list of deployments (unknown ids travel 0 km)."""
    per_assessor: dict[str, int] = defaultdict(int)
    km = 0
    for d in deployments:
        per_assessor[d.assessor] += 1
        a = instance.assessor_by_id.get(d.assessor)
        i = instance.inspection_by_id.get(d.inspection)
        if a is not None and i is not None:
            km += travel_km(instance, a, i)
    return {"seats_filled": len(deployments),
            "days_deployed": sum(len(d.days) for d in deployments),
            "repeat_deployments": sum(max(0, n - 1) for n in per_assessor.values()),
            "travel_km": km}


def trivial_bound(instance: Instance, name: str) -> int:
    """A bound every plan meets, for a level whose engine proved none: every seat filled for its
    longest, no repeats, no travel."""
    seats = [s for i in instance.inspections for s in i.seats]
    if name == "seats_filled":
        return sum(s.count for s in seats)
    if name == "days_deployed":
        return sum(s.count * min(MAX_DEPLOYMENT_DAYS, s.max_days) for s in seats)
    return 0


def honest_bounds(instance: Instance, objective: dict[str, int], proven: Sequence[bool],
                  bound: Sequence[float | None]) -> dict[str, float | None]:
    """Each level's bound: its value where proven; the engine's bound (or a trivial one) at the
    first unproven level; null below it (a lower level's bound is meaningless there)."""
    out: dict[str, float | None] = {}
    above_proven = True
    for level, pr, b in zip(LEVELS, proven, bound):
        if not above_proven:
            out[level.name] = None
            continue
        if not pr:
            b = trivial_bound(instance, level.name) if b is None else b
            pr = b == objective[level.name]         # the plan meets the bound: proven after all
        out[level.name] = objective[level.name] if pr else b
        above_proven = pr
    return out
