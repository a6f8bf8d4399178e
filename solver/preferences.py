"""Why an assessor who is keen on an inspection is not on it, in words (spec, "preferences").

For each (assessor, keen inspection) the plan leaves apart, :func:`explain_keen` gives either

* a **rule**: no seat of the inspection is theirs to take whatever the plan (their specialisms,
  own area, employer, agreement, days: :func:`solver.rules.static_reason`), or
* the **level** that decided it: each trial below is worse than the plan at some level, every
  level before it being equal (the plan is the lexicographic optimum); the latest such level
  among the trials is named, with a sentence saying what placing them would have cost ("the
  children seats went to assessors who add more inspection days").

A trial puts the assessor on a seat of the inspection for as many days as they can work there,
making room where the plan has none: one of their own deployments given up (deployment cap,
clashing days, agreement days) and, on a full seat, one of its members taken off (never a pinned
deployment).  Each trial keeps every hard rule for the deployments it touches
(:func:`solver.check.check_deployments`).  If a trial is nowhere worse than the plan, the plan
is not the only best one (``tie``) or not proven best (``not_proven``).

A re-plan's extra level (:class:`solver.model.KeepPublished`, passed as ``extra_levels``) comes
before the instance's levels, as in the solve: a trial that takes someone off a published team is
worse there first.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Iterator, Sequence

from . import wording
from .check import check_deployments
from .domain import Assessor, Deployment, Inspection, Instance, Seat
from .objective import LEVEL_BY_NAME, Level, levels_of, values_of
from .rules import feasible_days, length_bounds, static_reason

if TYPE_CHECKING:
    from .model import KeepPublished

KEPT = Level("kept_published", +1, "previously published deployments the plan keeps")


@dataclass(frozen=True)
class KeenMiss:
    """A keen assessor not on the inspection: ``decided_by`` is a rule's code (``own_area``,
    ``specialism``, ...), a level's name, ``tie`` or ``not_proven``; ``reason`` one sentence."""

    assessor: str
    inspection: str
    decided_by: str
    reason: str


def explain_keen(instance: Instance, deployments: Sequence[Deployment], proven: bool = True,
                 extra_levels: Sequence[KeepPublished] = ()) -> list[KeenMiss]:
    """One :class:`KeenMiss` per assessor and inspection on their keen list that the plan does
    not put together (``proven``: the plan's levels are proven optimal; ``extra_levels``: the
    solve's, if it had any)."""
    placed = {(d.assessor, d.inspection) for d in deployments}
    by_assessor: dict[str, list[Deployment]] = {}
    for d in deployments:
        by_assessor.setdefault(d.assessor, []).append(d)
    keep = {_key(d) for ex in extra_levels for d in ex.deployments}
    plan = _Plan(instance, list(deployments), frozenset(keep))
    out = []
    for a in instance.assessors:
        for iid in a.keen:
            if (a.id, iid) in placed or iid not in instance.inspection_by_id:
                continue
            ins = instance.inspection_by_id[iid]
            decided, why = _why(plan, a, ins, by_assessor, proven)
            out.append(KeenMiss(a.id, iid, decided,
                                f"{wording.person(a)} asked to join {wording.inspection(ins)}: "
                                f"{why}"))
    return out


class _Plan:
    """The plan's level values, and a trial's by difference (no full recount per trial)."""

    def __init__(self, instance: Instance, deployments: list[Deployment],
                 keep: frozenset[tuple[str, str, str]] = frozenset()):
        self.instance = instance
        self.deployments = deployments
        self.keep = keep
        self.values = values_of(instance, deployments)
        self.values[KEPT.name] = sum(_key(d) in keep for d in deployments)
        self.count = Counter(d.assessor for d in deployments)
        self.areas = Counter(instance.assessor_by_id[a].home_area for a in self.count
                             if a in instance.assessor_by_id)
        self.levels = ((KEPT,) if keep else ()) + levels_of(instance)

    def trial(self, drop: Sequence[Deployment], add: Deployment) -> dict[str, int]:
        change = values_of(self.instance, [add])
        gone = values_of(self.instance, list(drop))
        v = {k: self.values[k] + change[k] - gone[k]
             for k in ("seats_filled", "days_deployed", "travel_km", "keen", "rather_not")}
        count = Counter(self.count)
        for d in drop:
            count[d.assessor] -= 1
        count[add.assessor] += 1
        v["repeat_deployments"] = sum(max(0, n - 1) for n in count.values())
        areas = Counter(self.areas)
        for aid in {d.assessor for d in drop} | {add.assessor}:
            home = self.instance.assessor_by_id[aid].home_area
            areas[home] += (count[aid] > 0) - (self.count[aid] > 0)
        v["partnerships_reached"] = sum(1 for n in areas.values() if n > 0)
        v[KEPT.name] = (self.values[KEPT.name] + (_key(add) in self.keep)
                        - sum(_key(d) in self.keep for d in drop))
        return v

    def first_worse(self, values: dict[str, int]) -> int | None:
        """The position of the first level where the trial is worse than the plan, or None."""
        for k, level in enumerate(self.levels):
            if level.better(self.values[level.name], values[level.name]):
                return k
            if level.better(values[level.name], self.values[level.name]):
                return None         # better here, with every level before it equal
        return None


def _key(d: Deployment) -> tuple[str, str, str]:
    return d.assessor, d.inspection, d.specialism


def _why(plan: _Plan, a: Assessor, ins: Inspection, by_assessor: dict[str, list[Deployment]],
         proven: bool) -> tuple[str, str]:
    seats = [s for s in ins.seats if s.specialism in a.specialisms]
    if not seats:
        held = " or ".join(wording.specialism(s.specialism) for s in ins.seats) or "any specialism"
        return "specialism", f"it has no seat for their specialism (it needs {held})"
    rules = [static_reason(plan.instance, a, ins, s.specialism) for s in seats]
    if all(rules):
        return rules[0].code, rules[0].message          # type: ignore[union-attr]
    deepest: tuple[int, Seat] | None = None
    for seat, rule in zip(seats, rules):
        if rule:
            continue
        for drop, add in _trials(plan, a, ins, seat, by_assessor):
            k = plan.first_worse(plan.trial(drop, add))
            if k is None:
                unweighed = ("" if any(level.name == "keen" for level in plan.levels)
                             else " (wishes to join are not among the aims weighed)")
                return ("tie", f"a plan with them on it is as good on every aim{unweighed}; this "
                        "one was chosen") if proven else (
                    "not_proven", "the plan is not proven best, and one with them on it would be "
                    "no worse")
            if deepest is None or k > deepest[0]:
                deepest = (k, seat)
    if deepest is None:
        return "busy", ("every way of fitting them in clashes with their agreement days or "
                        "their other deployments")
    level = plan.levels[deepest[0]]
    return level.name, _level_words(plan.instance, level.name, ins, deepest[1])


def _trials(plan: _Plan, a: Assessor, ins: Inspection, seat: Seat,
            by_assessor: dict[str, list[Deployment]]
            ) -> Iterator[tuple[list[Deployment], Deployment]]:
    """(deployments given up, the assessor's deployment on the seat) that keep every rule."""
    pinned = set(plan.instance.pinned)
    mine = [d for d in by_assessor.get(a.id, []) if d not in pinned]
    members = [d for d in plan.deployments
               if d.inspection == ins.id and d.specialism == seat.specialism]
    room = [[]] if len(members) < seat.count else [
        [m] for m in members if m not in pinned]
    gives_up: list[list[Deployment]] = [[]] + [[d] for d in mine]
    for own in gives_up:
        others = [d for d in by_assessor.get(a.id, []) if d not in own]
        days = _longest_days(plan.instance, a, ins, seat, others)
        if days is None:
            continue
        add = Deployment(a.id, ins.id, seat.specialism, days)
        if check_deployments(plan.instance, others + [add], require_pinned=False):
            continue
        for seat_room in room:
            yield own + seat_room, add


def _longest_days(instance: Instance, a: Assessor, ins: Inspection, seat: Seat,
                  others: Sequence[Deployment]) -> tuple[date, ...] | None:
    """The most days the assessor can work on the seat next to ``others``: every mandatory day,
    then the earliest free ones (or None if no deployment fits)."""
    if a.agreement is None:
        return None
    used = {d for o in others for d in o.days}
    free = [d for d in feasible_days(instance, a, ins) if d not in used]
    lo, hi = length_bounds(a, ins, seat)
    n = min(hi, len(free), a.agreement.max_days_total - sum(len(o.days) for o in others))
    if n < lo or any(d not in free for d in ins.mandatory_days):
        return None
    chosen = list(ins.mandatory_days)
    chosen += [d for d in free if d not in chosen][:n - len(chosen)]
    return tuple(sorted(chosen))


def _level_words(instance: Instance, name: str, ins: Inspection, seat: Seat) -> str:
    """What placing them would have cost, by the level that decided against it."""
    seats = f"the {wording.specialism(seat.specialism)} seats"
    words = {
        "seats_filled": "placing them there would leave a seat empty elsewhere, and filling "
                        "seats comes first",
        "days_deployed": f"{seats} went to assessors who add more inspection days",
        "repeat_deployments": "placing them there would give someone a second deployment, and "
                              "spreading the work came first",
        "travel_km": f"{seats} went to assessors who travel less to "
                     f"{wording.place(instance, ins.area)}",
        "rather_not": "placing them there would put someone where they would rather not be, and "
                      "avoiding that came first",
        "keen": f"{seats} went to assessors who were keen on it too, or placing them would take "
                "someone off an inspection they wanted",
        "partnerships_reached": "placing them there would reach fewer partnerships (council "
                                "areas sending an assessor), and reaching them came first",
        KEPT.name: "placing them there would take someone off a published team, and keeping "
                   "the published teams came first",
    }
    assert name in LEVEL_BY_NAME or name == KEPT.name
    return words[name]
