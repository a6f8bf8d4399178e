"""The spec's four-level lexicographic model as a MIP solved by HiGHS (``highspy``), a second
opinion on the CP-SAT solver.

Day-level formulation, exact for the spec:

* ``x[o]`` binary for each option ``o`` = (assessor, inspection, seat) the static rules allow
  (:func:`bench.common.options`, i.e. :func:`solver.rules.static_reason`);
* for each (assessor, inspection) pair, its optional days (feasible, not mandatory) are split into
  *shared* days — also a day of another of the assessor's candidate inspections — each with a binary
  ``y``, and *private* days, which can never clash, so only their number matters: one integer
  ``p``.  Mandatory days are worked exactly when the pair is deployed (``X = Σ_seats x``).
* rows: one seat per inspection (``X ≤ 1``), seat counts, length ``Σ lo·x ≤ |M|·X + Σy + p ≤ Σ hi·x``,
  no double booking per (assessor, shared day), deployments and total days per assessor,
  ``r_a ≥ Σ X − 1`` for repeats; pinned deployments fix their columns.

Each level is solved with the levels above held at their best (the incumbent's value when the time
limit stopped the level before proof; the result is then reported as not proven).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import highspy
import numpy as np

from solver.instance import Deployment, Instance, Plan
from solver.objective import objective_of

from .common import options

LEVELS = ("seats_filled", "days_deployed", "repeat_deployments", "travel_km")
MAXIMISE = {"seats_filled": True, "days_deployed": True,
            "repeat_deployments": False, "travel_km": False}


@dataclass
class HighsResult:
    plan: Plan
    objective: dict[str, int] | None
    bound: dict[str, float]
    proven: dict[str, bool]
    level_seconds: dict[str, float]
    columns: int
    rows: int
    build_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def all_proven(self) -> bool:
        return all(self.proven.get(k, False) for k in LEVELS)


class _Builder:
    def __init__(self) -> None:
        self.cost_lb: list[float] = []
        self.cost_ub: list[float] = []
        self.integer: list[int] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def col(self, lb: float, ub: float, integer: bool) -> int:
        self.cost_lb.append(lb)
        self.cost_ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.cost_lb) - 1

    def row(self, terms: list[tuple[int, float]], lo: float, hi: float) -> None:
        self.starts.append(len(self.index))
        for j, v in terms:
            self.index.append(j)
            self.value.append(v)
        self.row_lo.append(lo)
        self.row_hi.append(hi)


@dataclass
class _Model:
    """The MIP's columns, by what they stand for (see the module's docstring)."""
    opts: list
    b: _Builder
    x: list[int]
    pair_opts: dict[tuple[str, str], list[int]]
    cover: dict[tuple[str, date], int]
    y: dict[tuple[str, str, date], int]
    p: dict[tuple[str, str], tuple[int, list[date]]]
    by_assessor: dict[str, list[tuple[str, str]]]
    r: dict[str, int]
    y_by_pair: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    y_by_day: dict[tuple[str, date], list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for (aid, iid, d), j in self.y.items():
            self.y_by_pair[(aid, iid)].append(j)
            self.y_by_day[(aid, d)].append((iid, j))

    def pair_days(self, pair: tuple[str, str]) -> list[tuple[int, float]]:
        """Terms for the mandatory days of a pair (worked exactly when it is deployed)."""
        ks = self.pair_opts[pair]
        m = len(self.opts[ks[0]].inspection.mandatory_days)
        return [(self.x[k], float(m)) for k in ks] if m else []

    def days_terms(self, pair: tuple[str, str]) -> list[tuple[int, float]]:
        terms = self.pair_days(pair)
        terms += [(j, 1.0) for j in self.y_by_pair.get(pair, ())]
        if pair in self.p:
            terms.append((self.p[pair][0], 1.0))
        return terms


def solve_highs(instance: Instance, time_limit: float = 60.0, threads: int | None = None,
                verbose: bool = False) -> HighsResult:
    """Solve lexicographically; ``time_limit`` seconds per level."""
    t0 = time.perf_counter()
    model = _columns(options(instance))
    _pin(model, instance)
    _pair_rows(model)
    _seat_rows(model, instance)
    _clash_rows(model)
    _assessor_rows(model, instance)
    level_cost = _level_costs(model)
    h, n, nrows = _highs(model.b, threads, verbose)
    build_seconds = time.perf_counter() - t0

    sol, proven, bound, secs, notes = _solve_levels(h, level_cost, n, time_limit)
    deployments = _deployments(model, sol) if sol is not None else []
    obj = objective_of(instance, deployments) if sol is not None else None
    if sol is None:
        status = "unknown"
    elif all(proven.get(k, False) for k in LEVELS):
        status = "optimal"
    else:
        status = "feasible"
    plan = Plan(status, obj, bound or None, time.perf_counter() - t0, tuple(deployments), ())
    return HighsResult(plan, obj, bound, proven, secs, n, nrows + len(LEVELS), build_seconds, notes)


def _columns(opts: list) -> _Model:
    """x per option, y per shared optional day, p per pair with private days, r per assessor of 2+ pairs."""
    b = _Builder()
    x = [b.col(0, 1, True) for _ in opts]
    pair_opts: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, o in enumerate(opts):
        pair_opts[(o.assessor.id, o.inspection.id)].append(k)
    # days each assessor could work, per candidate inspection
    cover: dict[tuple[str, date], int] = defaultdict(int)
    for (aid, iid), ks in pair_opts.items():
        for d in opts[ks[0]].days:
            cover[(aid, d)] += 1
    y: dict[tuple[str, str, date], int] = {}
    p: dict[tuple[str, str], tuple[int, list[date]]] = {}
    for (aid, iid), ks in pair_opts.items():
        o = opts[ks[0]]
        mand = set(o.inspection.mandatory_days)
        private = []
        for d in o.days:
            if d in mand:
                continue
            if cover[(aid, d)] > 1:
                y[(aid, iid, d)] = b.col(0, 1, True)
            else:
                private.append(d)
        if private:
            p[(aid, iid)] = (b.col(0, len(private), True), private)
    by_assessor: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair in pair_opts:
        by_assessor[pair[0]].append(pair)
    r = {aid: b.col(0, highspy.kHighsInf, False) for aid, pairs in by_assessor.items() if len(pairs) > 1}
    return _Model(opts, b, x, pair_opts, cover, y, p, by_assessor, r)


def _pin(model: _Model, instance: Instance) -> None:
    """Pinned deployments fix their columns."""
    b = model.b
    pinned_keys = {(d.assessor, d.inspection, d.specialism): d for d in instance.pinned}
    for k, o in enumerate(model.opts):
        dep = pinned_keys.get((o.assessor.id, o.inspection.id, o.seat.specialism))
        if dep is None:
            continue
        b.cost_lb[model.x[k]] = 1
        worked = set(dep.days)
        for d in o.days:
            j = model.y.get((o.assessor.id, o.inspection.id, d))
            if j is not None:
                b.cost_lb[j] = b.cost_ub[j] = 1 if d in worked else 0
        if (o.assessor.id, o.inspection.id) in model.p:
            j, private = model.p[(o.assessor.id, o.inspection.id)]
            n = sum(1 for d in private if d in worked)
            b.cost_lb[j] = b.cost_ub[j] = n


def _pair_rows(model: _Model) -> None:
    """One seat per inspection for an assessor, and the deployment's length within its seat's bounds."""
    inf = highspy.kHighsInf
    b, x, opts = model.b, model.x, model.opts
    for pair, ks in model.pair_opts.items():
        if len(ks) > 1:
            b.row([(x[k], 1.0) for k in ks], -inf, 1)
        m = len(opts[ks[0]].inspection.mandatory_days)
        extra = [(j, 1.0) for j in model.y_by_pair.get(pair, ())]
        if pair in model.p:
            extra.append((model.p[pair][0], 1.0))
        # Σ lo·x ≤ m·X + extra ≤ Σ hi·x
        b.row(extra + [(x[k], float(m - opts[k].lo)) for k in ks], 0, inf)
        b.row(extra + [(x[k], float(m - opts[k].hi)) for k in ks], -inf, 0)


def _seat_rows(model: _Model, instance: Instance) -> None:
    """No seat holds more assessors than its count."""
    seat_opts: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, o in enumerate(model.opts):
        seat_opts[(o.inspection.id, o.seat.specialism)].append(k)
    for (iid, spec), ks in seat_opts.items():
        count = instance.inspection_by_id[iid].seat(spec).count
        if len(ks) > count:
            model.b.row([(model.x[k], 1.0) for k in ks], -highspy.kHighsInf, count)


def _clash_rows(model: _Model) -> None:
    """No double booking on days two candidate inspections share."""
    mand_by_day: dict[tuple[str, date], list[str]] = defaultdict(list)
    for (aid, iid), ks in model.pair_opts.items():
        for d in model.opts[ks[0]].inspection.mandatory_days:
            mand_by_day[(aid, d)].append(iid)
    for key, n in model.cover.items():
        if n < 2:
            continue
        aid, d = key
        terms = [(model.x[k], 1.0) for iid in mand_by_day.get(key, ()) for k in model.pair_opts[(aid, iid)]]
        terms += [(j, 1.0) for _, j in model.y_by_day.get(key, ())]
        if len(terms) > 1:
            model.b.row(terms, -highspy.kHighsInf, 1)


def _assessor_rows(model: _Model, instance: Instance) -> None:
    """Each assessor's deployments within the policy's cap, days within the agreement, and repeats."""
    inf = highspy.kHighsInf
    b, x, pair_opts = model.b, model.x, model.pair_opts
    kmax = instance.policy.max_deployments_per_assessor
    for aid, pairs in model.by_assessor.items():
        a = instance.assessor_by_id[aid]
        xs = [(x[k], 1.0) for pair in pairs for k in pair_opts[pair]]
        if len(pairs) > kmax:
            b.row(xs, -inf, kmax)
        most = sum(max(model.opts[k].hi for k in pair_opts[pair]) for pair in pairs)
        assert a.agreement is not None
        if most > a.agreement.max_days_total:
            b.row([t for pair in pairs for t in model.days_terms(pair)], -inf, a.agreement.max_days_total)
        if aid in model.r:
            b.row(xs + [(model.r[aid], -1.0)], -inf, 1)


def _level_costs(model: _Model) -> dict[str, np.ndarray]:
    """Each level's objective as a dense cost vector."""
    n = len(model.b.cost_lb)
    level_cost: dict[str, np.ndarray] = {}
    c = np.zeros(n)
    c[model.x] = 1.0
    level_cost["seats_filled"] = c
    c = np.zeros(n)
    for pair in model.pair_opts:
        for j, v in model.days_terms(pair):
            c[j] += v
    level_cost["days_deployed"] = c
    c = np.zeros(n)
    for j in model.r.values():
        c[j] = 1.0
    level_cost["repeat_deployments"] = c
    c = np.zeros(n)
    for k, o in enumerate(model.opts):
        c[model.x[k]] = float(o.km)
    level_cost["travel_km"] = c
    return level_cost


def _highs(b: _Builder, threads: int | None, verbose: bool) -> tuple[highspy.Highs, int, int]:
    """The built model in HiGHS, with its number of columns and rows."""
    n = len(b.cost_lb)
    h = highspy.Highs()
    h.setOptionValue("output_flag", verbose)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.999)  # every level is integer-valued
    if threads:
        h.setOptionValue("threads", threads)
    h.addCols(n, np.zeros(n), np.array(b.cost_lb, dtype=float), np.array(b.cost_ub, dtype=float),
              0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([], dtype=float))
    integ = np.array(b.integer, dtype=np.uint8)
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integ)
    nrows = len(b.row_lo)
    if nrows:
        h.addRows(nrows, np.array(b.row_lo, dtype=float), np.array(b.row_hi, dtype=float),
                  len(b.index), np.array(b.starts, dtype=np.int32),
                  np.array(b.index, dtype=np.int32), np.array(b.value, dtype=float))
    return h, n, nrows


def _solve_levels(h: highspy.Highs, level_cost: dict[str, np.ndarray], n: int, time_limit: float):
    """Each level in turn, the levels above held at their best: the last solution, and per level
    whether it is proven, its bound and its seconds, and notes on levels without a solution."""
    inf = highspy.kHighsInf
    proven: dict[str, bool] = {}
    bound: dict[str, float] = {}
    secs: dict[str, float] = {}
    notes: list[str] = []
    sol = None
    all_idx = np.arange(n, dtype=np.int32)
    for level in LEVELS:
        cost = level_cost[level]
        h.changeColsCost(n, all_idx, cost)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize if MAXIMISE[level]
                               else highspy.ObjSense.kMinimize)
        h.setOptionValue("time_limit", float(time_limit))
        if sol is not None:
            h.setSolution(sol)
        s0 = time.perf_counter()
        h.run()
        secs[level] = time.perf_counter() - s0
        status = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if not has_sol:
            notes.append(f"{level}: no solution ({h.modelStatusToString(status)})")
            proven[level] = False
            break
        sol = h.getSolution()
        val = int(round(float(np.dot(cost, np.array(sol.col_value)))))
        proven[level] = status == highspy.HighsModelStatus.kOptimal
        bound[level] = float(val) if proven[level] else float(info.mip_dual_bound)
        nz = np.nonzero(cost)[0].astype(np.int32)
        if MAXIMISE[level]:
            h.addRow(float(val), inf, len(nz), nz, cost[nz])
        else:
            h.addRow(-inf, float(val), len(nz), nz, cost[nz])
    return sol, proven, bound, secs, notes


def _deployments(model: _Model, sol) -> list[Deployment]:
    """The deployments the solution's columns describe."""
    deployments: list[Deployment] = []
    v = np.array(sol.col_value)
    y = model.y
    for k, o in enumerate(model.opts):
        if v[model.x[k]] < 0.5:
            continue
        pair = (o.assessor.id, o.inspection.id)
        days = set(o.inspection.mandatory_days)
        days |= {d for d in o.days if (pair[0], pair[1], d) in y and v[y[(pair[0], pair[1], d)]] > 0.5}
        if pair in model.p:
            j, private = model.p[pair]
            days |= set(private[: int(round(v[j]))])
        deployments.append(Deployment(o.assessor.id, o.inspection.id, o.seat.specialism,
                                      tuple(sorted(days))))
    return deployments
