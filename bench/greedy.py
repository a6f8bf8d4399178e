"""The coordinator's manual method, as a baseline.

Inspections in date order; each seat is filled, one place at a time, by the first eligible
assessor with the fewest deployments so far, then the nearest (then the lowest id). The
assessor gives every mandatory day plus the earliest free days up to the most the seat, the
agreement and their remaining total allow. Eligibility is :func:`solver.rules.why_not` against the
deployments made so far, so the plan keeps every hard rule.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

from solver import rules
from solver.check import objective_of
from solver.instance import Deployment, Instance, Plan

from .common import options


def greedy_deployments(instance: Instance) -> list[Deployment]:
    deps: list[Deployment] = list(instance.pinned)
    mine: dict[str, list[Deployment]] = defaultdict(list)
    for d in deps:
        mine[d.assessor].append(d)
    by_seat: dict[tuple[str, str], list] = defaultdict(list)
    for o in options(instance):
        by_seat[(o.inspection.id, o.seat.specialism)].append(o)
    order = sorted(instance.inspections, key=lambda i: (i.days[0], i.id))
    for insp in order:
        for seat in insp.seats:
            taken = sum(1 for d in deps if d.inspection == insp.id and d.specialism == seat.specialism)
            cands = by_seat.get((insp.id, seat.specialism), [])
            for _ in range(seat.count - taken):
                best = None
                best_key = None
                for o in cands:
                    others = mine[o.assessor.id]
                    key = (len(others), o.km, o.assessor.id)
                    if best_key is not None and key >= best_key:
                        continue
                    if rules.why_not(instance, o.assessor, insp, seat.specialism, others) is None:
                        best, best_key = o, key
                if best is None:
                    break
                others = mine[best.assessor.id]
                used: set[date] = {d for o in others for d in o.days}
                g = best.assessor.agreement
                assert g is not None
                left = g.max_days_total - sum(len(o.days) for o in others)
                mandatory = set(insp.mandatory_days)
                optional = [d for d in best.days if d not in mandatory and d not in used]
                n = min(best.hi, left, len(mandatory) + len(optional))
                days = tuple(sorted(mandatory | set(optional[: max(0, n - len(mandatory))])))
                dep = Deployment(best.assessor.id, insp.id, seat.specialism, days)
                deps.append(dep)
                mine[best.assessor.id].append(dep)
    return deps


def solve_greedy(instance: Instance) -> Plan:
    t0 = time.perf_counter()
    deps = greedy_deployments(instance)
    secs = time.perf_counter() - t0
    return Plan("feasible", objective_of(instance, deps), None, secs, tuple(deps), ())
