"""The coordinator's manual method, as a baseline.

Inspections in date order; each seat is filled, one place at a time, by the first eligible
assessor with the fewest deployments so far, then the nearest (then the lowest id). The
assessor gives every mandatory day plus the earliest free days up to the most the seat, the
agreement and their remaining total allow. Eligibility is :func:`solver.rules.why_not` against the
deployments made so far, asked of all assessors at once (:class:`solver.rules.PlanState`), so the
plan keeps every hard rule.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

import numpy as np

from solver import rules
from solver.instance import Deployment, Instance, Plan
from solver.objective import objective_of


def greedy_deployments(instance: Instance) -> list[Deployment]:
    deps: list[Deployment] = list(instance.pinned)
    mine: dict[str, list[Deployment]] = defaultdict(list)
    for d in deps:
        mine[d.assessor].append(d)
    pool = rules.Pool(instance)
    plan = rules.PlanState(pool, deps)
    taken = Counter((d.inspection, d.specialism) for d in deps)
    order = sorted(instance.inspections, key=lambda i: (i.days[0], i.id))
    for insp in order:
        v = pool.view(insp)
        km = pool.km(insp)
        for seat in insp.seats:
            static, lo, hi = pool.seat_codes(v, seat)
            for _ in range(seat.count - taken[(insp.id, seat.specialism)]):
                ok = np.flatnonzero(plan.codes(v, lo, static) == rules.ELIGIBLE)
                if not len(ok):
                    break
                # fewest deployments, then nearest, then lowest id
                a = int(ok[np.lexsort((pool.id_rank[ok], km[ok], plan.count[ok]))[0]])
                assessor = instance.assessors[a]
                others = mine[assessor.id]
                used = {d for o in others for d in o.days}
                g = assessor.agreement
                assert g is not None
                left = g.max_days_total - sum(len(o.days) for o in others)
                mandatory = set(insp.mandatory_days)
                optional = [d for d in rules.feasible_days(instance, assessor, insp)
                            if d not in mandatory and d not in used]
                n = min(int(hi[a]), left, len(mandatory) + len(optional))
                days = tuple(sorted(mandatory | set(optional[: max(0, n - len(mandatory))])))
                dep = Deployment(assessor.id, insp.id, seat.specialism, days)
                deps.append(dep)
                mine[assessor.id].append(dep)
                plan.add(dep)
    return deps


def solve_greedy(instance: Instance) -> Plan:
    t0 = time.perf_counter()
    deps = greedy_deployments(instance)
    secs = time.perf_counter() - t0
    return Plan("feasible", objective_of(instance, deps), None, secs, tuple(deps), ())
