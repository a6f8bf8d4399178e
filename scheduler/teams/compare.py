"""Two builds side by side: each aim's value and whether it is proven, seats filled per inspection,
the deployments only one of them has, and the days that differ for the same assessor on the same seat.

Every count the page shows is a property computed from the list it summarises, so the two cannot
disagree."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import solver
from scheduler import planning
from scheduler.models import SolveRun
from solver.objective import values_of

from . import plans


@dataclass(frozen=True)
class Side:
    """One build as the comparison reads it."""

    run: SolveRun
    instance: solver.Instance
    plan: solver.Plan
    in_scope: list[str]
    variant: planning.Variant | None

    @staticmethod
    def of(run: SolveRun) -> "Side":
        return Side(run, plans.instance_of(run), plans.plan_of(run), plans.in_scope(run), plans.variant_of(run))

    def ours(self, scope: set[str]) -> dict[tuple[str, str, str], solver.Deployment]:
        """The build's deployments by assessor, inspection and seat: the same person on another seat of
        the same inspection is another deployment (another employer request, another team place)."""
        return {(d.assessor, d.inspection, d.specialism): d for d in self.plan.deployments if d.inspection in scope}

    def name(self, reference: str) -> str:
        return plans.name_of(self.instance, reference)


@dataclass(frozen=True)
class AimRow:
    level: str
    values: tuple[int | None, int | None]
    proven: tuple[bool | None, bool | None]     # None: not one of that build's aims


@dataclass(frozen=True)
class SeatRow:
    inspection: str
    title: str
    filled: tuple[int | None, int | None]       # None: not one of that build's inspections
    places: tuple[int | None, int | None]


@dataclass(frozen=True)
class OnlyIn:
    assessor: str            # 'Ailsa MacKay (A00002)'
    inspection: str
    specialism: str
    days: tuple[date, ...]


@dataclass(frozen=True)
class DaysChanged:
    assessor: str
    inspection: str
    days: tuple[tuple[date, ...], tuple[date, ...]]


@dataclass
class Comparison:
    sides: tuple[Side, Side]
    aims: list[AimRow]
    seats: list[SeatRow]
    only: tuple[list[OnlyIn], list[OnlyIn]]
    changed: list[DaysChanged]
    same: list[tuple[str, str, str]]            # (assessor, inspection, specialism) on both, the same days

    def seats_filled(self, side: int) -> int:
        return sum(r.filled[side] or 0 for r in self.seats)

    def places(self, side: int) -> int:
        return sum(r.places[side] or 0 for r in self.seats)


def _aims(a: Side, b: Side) -> list[AimRow]:
    order = [*(a.run.objective or {}), *(b.run.objective or {})]
    levels = list(dict.fromkeys(order))
    rows = []
    for level in levels:
        values, proven = [], []
        for side in (a, b):
            objective = side.run.objective or {}
            changed_by_hand = "built_status" in plans.adjustments(side.run)
            if level in objective:
                values.append(int(objective[level]))
                proven.append(not changed_by_hand and level in plans.proven_levels(objective, side.run.bound)[0])
            else:
                values.append(values_of(side.instance, side.plan.deployments).get(level))
                proven.append(None)
        rows.append(AimRow(level, (values[0], values[1]), (proven[0], proven[1])))
    return rows


def _seats(a: Side, b: Side) -> list[SeatRow]:
    rows = []
    for ref in dict.fromkeys([*a.in_scope, *b.in_scope]):
        filled, places, title = [], [], ""
        for side in (a, b):
            ins = side.instance.inspection_by_id.get(ref) if ref in side.in_scope else None
            if ins is None:
                filled.append(None)
                places.append(None)
                continue
            title = ins.title
            filled.append(sum(1 for d in side.plan.deployments if d.inspection == ref))
            places.append(sum(s.count for s in ins.seats))
        rows.append(SeatRow(ref, title, (filled[0], filled[1]), (places[0], places[1])))
    return rows


def compare(run_a: SolveRun, run_b: SolveRun) -> Comparison:
    a, b = Side.of(run_a), Side.of(run_b)
    scope = set(a.in_scope) | set(b.in_scope)
    ours_a, ours_b = a.ours(scope), b.ours(scope)
    only_a = [OnlyIn(a.name(k[0]), k[1], d.specialism, d.days) for k, d in sorted(ours_a.items()) if k not in ours_b]
    only_b = [OnlyIn(b.name(k[0]), k[1], d.specialism, d.days) for k, d in sorted(ours_b.items()) if k not in ours_a]
    both = sorted(set(ours_a) & set(ours_b))
    changed = [DaysChanged(a.name(k[0]), k[1], (ours_a[k].days, ours_b[k].days)) for k in both
               if tuple(sorted(ours_a[k].days)) != tuple(sorted(ours_b[k].days))]
    same = [k for k in both if tuple(sorted(ours_a[k].days)) == tuple(sorted(ours_b[k].days))]
    return Comparison((a, b), _aims(a, b), _seats(a, b), (only_a, only_b), changed, same)
