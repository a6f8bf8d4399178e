"""What the baselines share: the (assessor, inspection, seat) options the static rules allow.

Every rule question is put to :mod:`solver.rules`; nothing here restates a rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from solver import rules
from solver.geography import travel_km
from solver.instance import Assessor, Inspection, Instance, Seat


@dataclass(frozen=True, slots=True)
class Option:
    """An assessor who may take a seat as far as the plan-independent rules go."""

    assessor: Assessor
    inspection: Inspection
    seat: Seat
    days: tuple[date, ...]  # the days they could work (rules.feasible_days)
    lo: int
    hi: int
    km: int


def holders(instance: Instance) -> dict[str, list[Assessor]]:
    by_spec: dict[str, list[Assessor]] = defaultdict(list)
    for a in instance.assessors:
        for s in a.specialisms:
            by_spec[s].append(a)
    return by_spec


def options(instance: Instance) -> list[Option]:
    """Every statically eligible (assessor, inspection, seat), inspections in input order."""
    by_spec = holders(instance)
    out: list[Option] = []
    for insp in instance.inspections:
        for seat in insp.seats:
            for a in by_spec.get(seat.specialism, ()):
                if rules.static_reason(instance, a, insp, seat.specialism) is not None:
                    continue
                lo, hi = rules.length_bounds(a, insp, seat)
                out.append(Option(a, insp, seat, rules.feasible_days(instance, a, insp), lo, hi,
                                  travel_km(instance, a, insp)))
    return out
