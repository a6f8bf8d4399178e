"""The objective's levels, defined once: names, sense and how each is computed from a plan's
deployments (spec, "Objective" and "preferences and the order of the levels").  The engines, the
checker, the instance format and the bench all read them from here.

An instance optimises the levels its ``policy.objective`` names, in that order (default: the
spec's four); :func:`levels_of` gives them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from .domain import DEFAULT_OBJECTIVE, MAX_DEPLOYMENT_DAYS, Deployment, Instance
from .geography import travel_km


@dataclass(frozen=True)
class Level:
    name: str
    sense: int          # +1 maximise, -1 minimise
    meaning: str

    def better(self, a: float, b: float) -> bool:
        """Is value ``a`` strictly better than ``b`` at this level?"""
        return a * self.sense > b * self.sense


ALL_LEVELS = (
    Level("seats_filled", +1, "the number of deployments"),
    Level("days_deployed", +1, "the total number of deployed days"),
    Level("repeat_deployments", -1, "over assessors, deployments beyond their first"),
    Level("travel_km", -1, "over deployments, rounded great-circle km from the home area"),
    Level("rather_not", -1, "deployments on an inspection the assessor would rather not join"),
    Level("keen", +1, "deployments on an inspection the assessor is keen to join"),
    Level("partnerships_reached", +1, "distinct home areas among the deployed assessors"),
)
LEVEL_BY_NAME = {level.name: level for level in ALL_LEVELS}
NAMES = tuple(level.name for level in ALL_LEVELS)
# the default order (spec, "Objective"): an instance without policy.objective
LEVELS = tuple(LEVEL_BY_NAME[name] for name in DEFAULT_OBJECTIVE)
FIRST_LEVEL = "seats_filled"    # no softer aim ever costs a seat


def levels_of(instance: Instance) -> tuple[Level, ...]:
    """The instance's levels in the order they are optimised."""
    return tuple(LEVEL_BY_NAME[name] for name in instance.policy.objective)


def values_of(instance: Instance, deployments: Sequence[Deployment]) -> dict[str, int]:
    """Every level's value of a list of deployments, in or out of the instance's order (unknown
    ids travel 0 km and reach no partnership)."""
    per_assessor: dict[str, int] = defaultdict(int)
    km = keen = rather_not = 0
    areas = set()
    for d in deployments:
        per_assessor[d.assessor] += 1
        a = instance.assessor_by_id.get(d.assessor)
        i = instance.inspection_by_id.get(d.inspection)
        if a is None:
            continue
        areas.add(a.home_area)
        keen += d.inspection in a.keen
        rather_not += d.inspection in a.rather_not
        if i is not None:
            km += travel_km(instance, a, i)
    return {"seats_filled": len(deployments),
            "days_deployed": sum(len(d.days) for d in deployments),
            "repeat_deployments": sum(max(0, n - 1) for n in per_assessor.values()),
            "travel_km": km, "rather_not": rather_not, "keen": keen,
            "partnerships_reached": len(areas)}


def objective_of(instance: Instance, deployments: Sequence[Deployment]) -> dict[str, int]:
    """The instance's levels' values of a list of deployments, in the instance's order."""
    values = values_of(instance, deployments)
    return {level.name: values[level.name] for level in levels_of(instance)}


def trivial_bound(instance: Instance, name: str) -> int:
    """A bound every plan meets, for a level whose engine proved none: every seat filled for its
    longest, no repeats, no travel, no 'rather not', every keen assessor on a keen inspection as
    often as the cap allows, every home area reached."""
    seats = [s for i in instance.inspections for s in i.seats]
    if name == "seats_filled":
        return sum(s.count for s in seats)
    if name == "days_deployed":
        return sum(s.count * min(MAX_DEPLOYMENT_DAYS, s.max_days) for s in seats)
    if name == "keen":
        cap = instance.policy.max_deployments_per_assessor
        return min(sum(s.count for s in seats),
                   sum(min(cap, len(a.keen)) for a in instance.assessors))
    if name == "partnerships_reached":
        return min(sum(s.count for s in seats), len({a.home_area for a in instance.assessors}))
    return 0


def honest_bounds(instance: Instance, objective: dict[str, int], proven: Sequence[bool],
                  bound: Sequence[float | None]) -> dict[str, float | None]:
    """Each level's bound: its value where proven; the engine's bound (or a trivial one) at the
    first unproven level; null below it (a lower level's bound is meaningless there)."""
    out: dict[str, float | None] = {}
    above_proven = True
    for level, pr, b in zip(levels_of(instance), proven, bound):
        if not above_proven:
            out[level.name] = None
            continue
        if not pr:
            b = trivial_bound(instance, level.name) if b is None else b
            pr = b == objective[level.name]         # the plan meets the bound: proven after all
        out[level.name] = objective[level.name] if pr else b
        above_proven = pr
    return out
