"""The exact lexicographic optimum as a day-level MIP in HiGHS, written from the spec alone.

Variables: y[a, seat] (a deploys on the seat), x[a, seat, d] (works day d there) for every
assessor the seat's rules 1-2 admit and every day rule 4 leaves open; r[a] >= deployments - 1;
p[area] <= the deployments of the assessors whose home area it is (partnerships reached).
Rules 3-7 are rows. Nothing is pre-computed about lengths: the true minimum of a deployment
(mandatory days above a seat's minimum) follows from the rows as the spec's rules state them.
Each level is solved with the levels above fixed at their optimum (integral, so exactly).
"""
from __future__ import annotations

from collections import defaultdict

import highspy
import numpy as np

from .problem import Deployment, Problem

INF = highspy.kHighsInf


class _Model:
    def __init__(self) -> None:
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-6)
        self.n = 0

    def var(self, lb: float = 0.0, ub: float = 1.0, integer: bool = True) -> int:
        self.h.addCol(0.0, lb, ub, 0, np.array([], dtype=np.int32), np.array([], dtype=float))
        if integer:
            self.h.changeColIntegrality(self.n, highspy.HighsVarType.kInteger)
        self.n += 1
        return self.n - 1

    def row(self, terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        idx = np.array([t[0] for t in terms], dtype=np.int32)
        val = np.array([t[1] for t in terms], dtype=float)
        self.h.addRow(lo, hi, len(terms), idx, val)

    def optimise(self, terms: list[tuple[int, float]], sense: str) -> float | None:
        cost = np.zeros(self.n)
        for j, c in terms:
            cost[j] += c
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), cost)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max"
                                    else highspy.ObjSense.kMinimize)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status == highspy.HighsModelStatus.kModelEmpty:   # no one may sit anywhere
            return 0.0
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"oracle MIP ended {self.h.modelStatusToString(status)}")
        return self.h.getInfo().objective_function_value


def optimum(problem: Problem) -> tuple[dict[str, int], list[Deployment]] | None:
    """The instance's levels' optimum values (in its order) and a plan that reaches them, or None
    when no plan keeps every rule (pins that contradict each other)."""
    m = _Model()
    y: dict[tuple[str, str, str], int] = {}
    x: dict[tuple[str, str, str], dict] = {}
    for aid in problem.assessors:
        for iid, spec, _ in problem.seats():
            if problem.may_sit(aid, iid, spec):
                y[(aid, iid, spec)] = m.var()
                x[(aid, iid, spec)] = {d: m.var() for d in problem.open_days(aid, iid)}
    _rules(problem, m, y, x)
    _pins(problem, m, y, x)
    r = {aid: m.var(0.0, INF, integer=False) for aid in problem.assessors}
    for aid in problem.assessors:   # r[a] >= (deployments of a) - 1
        m.row([(r[aid], 1.0)] + [(j, -1.0) for k, j in y.items() if k[0] == aid], -1.0, INF)
    homes = {a["home_area"] for a in problem.assessors.values()}
    reached = {h: m.var() for h in homes}
    for h, j in reached.items():    # p[h] <= deployments of h's assessors
        m.row([(j, 1.0)] + [(yj, -1.0) for k, yj in y.items()
                            if problem.assessors[k[0]]["home_area"] == h], -INF, 0.0)
    level_terms = {
        "seats_filled": [(j, 1.0) for j in y.values()],
        "days_deployed": [(j, 1.0) for days in x.values() for j in days.values()],
        "repeat_deployments": [(j, 1.0) for j in r.values()],
        "travel_km": [(j, float(problem.km(k[0], k[1]))) for k, j in y.items()],
        "keen": [(j, 1.0) for k, j in y.items() if problem.prefers(k[0], k[1]) == "keen"],
        "rather_not": [(j, 1.0) for k, j in y.items()
                       if problem.prefers(k[0], k[1]) == "rather_not"],
        "partnerships_reached": [(j, 1.0) for j in reached.values()],
    }
    best: dict[str, int] = {}
    for name, sense in problem.levels:
        value = m.optimise(level_terms[name], sense)
        if value is None:
            return None
        best[name] = round(value)
        if abs(value - best[name]) > 1e-6:
            raise RuntimeError(f"oracle MIP: {name} {value} is not integral")
        m.row(level_terms[name], best[name] if sense == "max" else -INF,
              INF if sense == "max" else best[name])
    values = m.h.getSolution().col_value
    plan = [Deployment(*k, tuple(sorted(d for d, xd in x[k].items() if values[xd] > 0.5)))
            for k, j in y.items() if values[j] > 0.5]
    return best, plan


def _rules(problem: Problem, m: _Model, y: dict, x: dict) -> None:
    by_day: dict[tuple[str, object], list[int]] = defaultdict(list)
    for (aid, iid, spec), j in y.items():
        days = x[(aid, iid, spec)]
        for d, xd in days.items():            # a day only on a deployment
            m.row([(xd, 1.0), (j, -1.0)], -INF, 0.0)
            by_day[(aid, d)].append(xd)
        for d in problem.mandatory(iid):      # rule 4: every mandatory day worked
            m.row([(days[d], 1.0), (j, -1.0)] if d in days else [(j, 1.0)], 0.0, 0.0)
        lo, hi = problem.length_range(aid, iid, spec)   # rule 3
        total = [(xd, 1.0) for xd in days.values()]
        m.row(total + [(j, -float(lo))], 0.0, INF)
        m.row(total + [(j, -float(hi))], -INF, 0.0)
    for aid in problem.assessors:
        for iid in problem.inspections:       # rule 1: one seat per inspection
            terms = [(j, 1.0) for k, j in y.items() if k[:2] == (aid, iid)]
            if len(terms) > 1:
                m.row(terms, -INF, 1.0)
        mine = [k for k in y if k[0] == aid]
        if mine:                              # rule 6: caps
            m.row([(y[k], 1.0) for k in mine], -INF, float(problem.cap))
            total = problem.assessors[aid]["agreement"]["max_days_total"]
            m.row([(j, 1.0) for k in mine for j in x[k].values()], -INF, float(total))
    for iid, spec, seat in problem.seats():   # rule 1: seat counts
        terms = [(j, 1.0) for k, j in y.items() if k[1:] == (iid, spec)]
        if terms:
            m.row(terms, -INF, float(seat["count"]))
    for terms in by_day.values():             # rule 5: no double booking
        if len(terms) > 1:
            m.row([(j, 1.0) for j in terms], -INF, 1.0)


def _pins(problem: Problem, m: _Model, y: dict, x: dict) -> None:
    """Rule 7: each pinned deployment exactly (the input is valid, so its variables exist)."""
    for p in problem.pinned:
        key = (p.assessor, p.inspection, p.specialism)
        m.row([(y[key], 1.0)], 1.0, 1.0)
        for d, j in x[key].items():
            on = 1.0 if d in p.days else 0.0
            m.row([(j, 1.0)], on, on)

