"""The exact optimum by enumeration, for instances small enough (checks the MIP on them).

Every assessor's valid sets of deployments are listed in full (every day subset of every seat);
assessors interact only through seat counts and the home areas reached (partnerships), so a table
keyed on seat usage and areas reached combines them: within a key, every level adds up.
"""
from __future__ import annotations

import itertools

from .checker import between_faults
from .problem import Deployment, Problem, lexkey, objective


class TooLarge(Exception):
    pass


def _options(problem: Problem, aid: str, iid: str, limit: int) -> list[Deployment]:
    """Every deployment of ``aid`` on ``iid`` that keeps rules 1-4 on its own."""
    out = []
    for spec in (s["specialism"] for s in problem.inspections[iid]["seats"]):
        if not problem.may_sit(aid, iid, spec):
            continue
        open_ = problem.open_days(aid, iid)
        for n in range(1, len(open_) + 1):
            for days in itertools.combinations(open_, n):
                d = Deployment(aid, iid, spec, days)
                if not problem.deployment_faults(d):
                    out.append(d)
                    if len(out) > limit:
                        raise TooLarge(f"{aid} on {iid}")
    return out


def _assessor_sets(problem: Problem, aid: str, limit: int) -> list[tuple[Deployment, ...]]:
    """Every set of deployments one assessor may hold together (rules 1, 5, 6 and their pins)."""
    per_inspection = [[None] + _options(problem, aid, iid, limit) for iid in problem.inspections]
    size = 1
    for opts in per_inspection:
        size *= len(opts)
        if size > limit:
            raise TooLarge(aid)
    pins = {(p.inspection, p.specialism, frozenset(p.days))
            for p in problem.pinned if p.assessor == aid}
    out = []
    for combo in itertools.product(*per_inspection):
        deps = tuple(d for d in combo if d is not None)
        held = {(d.inspection, d.specialism, frozenset(d.days)) for d in deps}
        if pins <= held and not between_faults(problem, list(deps)):
            out.append(deps)
    return out


def optimum(problem: Problem, limit: int = 20000) -> dict[str, int] | None:
    """As mip.optimum's values; raises TooLarge beyond ``limit`` combinations per assessor."""
    seats = [(iid, spec) for iid, spec, _ in problem.seats()]
    counts = [s["count"] for _, _, s in problem.seats()]

    def better(plan: tuple, old: tuple) -> bool:
        return lexkey(objective(problem, list(plan)), problem.levels) > lexkey(
            objective(problem, list(old)), problem.levels)

    def areas(plan: tuple) -> frozenset:
        return frozenset(problem.assessors[d.assessor]["home_area"] for d in plan)

    table: dict[tuple, tuple] = {(tuple(0 for _ in seats), frozenset()): ()}
    for aid in problem.assessors:
        best_by_usage: dict[tuple[int, ...], tuple[Deployment, ...]] = {}
        for deps in _assessor_sets(problem, aid, limit):
            usage = tuple(sum(1 for d in deps if (d.inspection, d.specialism) == s) for s in seats)
            old = best_by_usage.get(usage)
            if old is None or better(deps, old):
                best_by_usage[usage] = deps
        new: dict[tuple, tuple] = {}
        for (used, _), plan in table.items():
            for usage, deps in best_by_usage.items():
                total = tuple(a + b for a, b in zip(used, usage))
                if any(t > c for t, c in zip(total, counts)):
                    continue
                cand = plan + deps
                key = (total, areas(cand))
                old = new.get(key)
                if old is None or better(cand, old):
                    new[key] = cand
        table = new
        if not table:
            return None
    return max((objective(problem, list(p)) for p in table.values()),
               key=lambda o: lexkey(o, problem.levels))
