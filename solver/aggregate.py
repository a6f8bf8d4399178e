"""The aggregated model (one Boolean per candidate seat, one day count per candidate) solved by
HiGHS's MIP, level by level: the engine for caps above 2, where pair patterns do not apply.

Same formulation as the CP-SAT model (:mod:`solver.model`, module doc): seat places, caps,
agreement days, the pair constraints that make two deployments of one assessor exact (Hall's
condition for two), the redundant rows that tie days to repeats, and Hall's condition for three
or more deployments added lazily (re-solving the level while a chosen set breaks it).  HiGHS
proves these levels in well under a second at national size where CP-SAT on one thread did not
in 20 s (issue 10)."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .candidates import Candidate, Prepared, candidate_flags, open_partnerships
from .highs import highspy, new_highs, run_within, start_from
from .objective import levels_of

# a level's best value is reached; below this the MIP's gap closes on integers
_ABS_GAP = 0.999


@dataclass
class _Rows:
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)

    def add(self, terms: dict[int, float] | list[tuple[int, float]], lo: float, up: float) -> None:
        items = terms.items() if isinstance(terms, dict) else terms
        self.starts.append(len(self.index))
        for j, v in items:
            self.index.append(j)
            self.value.append(v)
        self.lower.append(lo)
        self.upper.append(up)


class _Model:
    """Variables: x per (candidate, seat option), n per candidate, u per assessor with 2+, and
    with ``area`` (per assessor, their open home area or -1: the partnerships level) r per area,
    at most the deployments of its assessors."""

    def __init__(self, prep: Prepared, cands: list[Candidate], area: list[int] | None = None):
        self.cands = cands
        self.col_lo: list[float] = []
        self.col_hi: list[float] = []
        self.integer: list[int] = []
        self.x: list[list[int]] = []
        self.n: list[int] = []
        for c in cands:
            self.x.append([self._var(0, 1) for _ in c.seats])
            self.n.append(self._var(0, c.hi))
        self.by_assessor: dict[int, list[int]] = defaultdict(list)
        for t, c in enumerate(cands):
            self.by_assessor[c.a].append(t)
        self.u: dict[int, int] = {}
        for a, ts in self.by_assessor.items():
            if prep.pinned_per_assessor[a] == 0 and len(ts) >= 2 and prep.k_left[a] >= 2:
                self.u[a] = self._var(0, 1)
        self.rows = _Rows()
        self._constraints(prep)
        self.area = area
        self.r: dict[int, int] = {}
        if area is not None:
            members: dict[int, list[int]] = defaultdict(list)
            for t, c in enumerate(cands):
                if area[c.a] >= 0:
                    members[area[c.a]].extend(self.x[t])
            for k, js in members.items():
                self.r[k] = self._var(0, 1)
                self.rows.add([(self.r[k], 1.0)] + [(j, -1.0) for j in js], -float("inf"), 0)

    def _var(self, lo: float, hi: float) -> int:
        self.col_lo.append(lo)
        self.col_hi.append(hi)
        self.integer.append(1)
        return len(self.col_lo) - 1

    def z(self, t: int) -> list[tuple[int, float]]:
        return [(j, 1.0) for j in self.x[t]]

    def _constraints(self, prep: Prepared) -> None:
        rows, inf = self.rows, float("inf")
        by_seat: dict[tuple[int, int], list[int]] = defaultdict(list)
        for t, c in enumerate(self.cands):
            if len(c.seats) > 1:
                rows.add(self.z(t), -inf, 1)
            lo_terms = [(self.n[t], 1.0)] + [(j, -float(lo)) for j, (_, lo, _) in
                                             zip(self.x[t], c.seats)]
            rows.add(lo_terms, 0, inf)                                  # n >= lo x
            rows.add([(self.n[t], 1.0)] + [(j, -float(hi)) for j, (_, _, hi) in
                                           zip(self.x[t], c.seats)], -inf, 0)   # n <= hi x
            for j, (si, _, _) in zip(self.x[t], c.seats):
                by_seat[(c.i, si)].append(j)
        for key, js in by_seat.items():
            if len(js) > prep.seat_cap[key]:
                rows.add([(j, 1.0) for j in js], -inf, prep.seat_cap[key])
        for a, ts in self.by_assessor.items():
            self._assessor_rows(prep, a, ts)

    def _assessor_rows(self, prep: Prepared, a: int, ts: list[int]) -> None:
        rows, inf, cands = self.rows, float("inf"), self.cands
        kl, budget = prep.k_left[a], prep.budget[a]
        zs = [term for t in ts for term in self.z(t)]
        if len(ts) > kl:
            rows.add(zs, -inf, kl)
        if sum(cands[t].hi for t in ts) > budget:
            rows.add([(self.n[t], 1.0) for t in ts], -inf, budget)
        u = self.u.get(a)
        if u is not None:
            rows.add([(u, 1.0)] + [(j, -v) for j, v in zs], -inf, 0)       # u <= sum z
            # days need repeats (model.py): sum n <= H1 u + (B - H1)(deg - u)
            h1 = min(budget, max(cands[t].hi for t in ts))
            terms = [(self.n[t], 1.0) for t in ts] + [(u, -float(h1) + (budget - h1))]
            terms += [(j, -float(budget - h1)) for j, _ in zs]
            rows.add(terms, -inf, 0)
        if kl >= 2 and len(ts) >= 2:
            self._pairs(ts)

    def _pairs(self, ts: list[int]) -> None:
        """Two deployments of one assessor: mandatory days apart and Hall's condition."""
        rows, inf, cands = self.rows, float("inf"), self.cands
        for p, t1 in enumerate(ts):
            c1 = cands[t1]
            for t2 in ts[p + 1:]:
                c2 = cands[t2]
                if not c1.F & c2.F:
                    continue
                a1 = (c1.F & ~c2.M).bit_count()
                a2 = (c2.F & ~c1.M).bit_count()
                union = (c1.F | c2.F).bit_count()
                if c1.M & c2.M or a1 < c1.lo or a2 < c2.lo or c1.lo + c2.lo > union:
                    rows.add(self.z(t1) + self.z(t2), -inf, 1)
                    continue
                if c1.hi > a1:      # n1 <= A1 + (hi1 - A1)(1 - z2)
                    rows.add([(self.n[t1], 1.0)] + [(j, float(c1.hi - a1)) for j, _ in
                                                    self.z(t2)], -inf, c1.hi)
                if c2.hi > a2:
                    rows.add([(self.n[t2], 1.0)] + [(j, float(c2.hi - a2)) for j, _ in
                                                    self.z(t1)], -inf, c2.hi)
                if c1.hi + c2.hi > union:
                    rows.add([(self.n[t1], 1.0), (self.n[t2], 1.0)], -inf, union)

    def level(self, name: str, prep: Prepared, keep: set | None = None,
              flags: np.ndarray | None = None) -> dict[int, float]:
        """The level's objective as {column: coefficient} (``keep``: the extra level's
        (assessor, inspection, seat) triples; ``flags``: per candidate, keen or rather-not)."""
        out: dict[int, float] = defaultdict(float)
        if name == "partnerships_reached":
            return {j: 1.0 for j in self.r.values()}
        for t, c in enumerate(self.cands):
            if name == "days_deployed":
                out[self.n[t]] += 1
                continue
            repeats = prep.pinned_per_assessor[c.a] > 0 or c.a in self.u
            for j, (si, _, _) in zip(self.x[t], c.seats):
                if name == "seats_filled":
                    out[j] += 1
                elif name == "travel_km":
                    out[j] += c.km
                elif name == "repeat_deployments":
                    out[j] += 1 if repeats else 0
                elif flags is not None:
                    out[j] += float(flags[t])
                elif keep is not None and (c.a, c.i, si) in keep:
                    out[j] += 1
        if name == "repeat_deployments":        # sum z - u: all but an assessor's first
            for u in self.u.values():
                out[u] -= 1
        return out


def _hall_violations(model: _Model, values: dict[int, tuple[int, int]]
                     ) -> list[tuple[list[int], list[int], int]]:
    """Chosen sets of 3+ deployments of one assessor that break Hall's condition: (the set T,
    all chosen ts of the assessor, the union's size)."""
    per: dict[int, list[int]] = defaultdict(list)
    for t in values:
        per[model.cands[t].a].append(t)
    out = []
    for ts in per.values():
        if len(ts) < 3:
            continue
        allm = 0
        for t in ts:
            allm |= model.cands[t].M
        avail = {t: model.cands[t].F & ~(allm & ~model.cands[t].M) for t in ts}
        for r in range(1, 1 << len(ts)):
            chosen = [ts[b] for b in range(len(ts)) if r >> b & 1]
            union = 0
            for t in chosen:
                union |= avail[t]
            if sum(values[t][1] for t in chosen) > union.bit_count():
                out.append((chosen, ts, union.bit_count()))
    return out


def solve_aggregate(instance, prep: Prepared, deadline: float, gap: float, stopper, extras,
                    warm: dict[int, tuple[int, int]] | None, progress=None, t0: float = 0.0):
    """(chosen {candidate: (seat index, days)}, proven per level, bound per level) of the
    non-pinned part; ``extras`` (KeepPublished) are optimised above the four levels."""
    names = [lv.name for lv in levels_of(instance)]
    model = _Model(prep, prep.cands, open_partnerships(instance, prep)
                   if "partnerships_reached" in names else None)
    h = new_highs()
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("mip_abs_gap", _ABS_GAP)
    n_cols = len(model.col_lo)
    h.addVars(n_cols, np.array(model.col_lo), np.array(model.col_hi))
    h.changeColsIntegrality(n_cols, np.arange(n_cols, dtype=np.int32),
                            np.full(n_cols, highspy.HighsVarType.kInteger))
    _add_rows(h, model.rows)
    levels: list[tuple[str, int, set | None]] = [(ex.name, +1, keep_of(instance, ex))
                                                 for ex in extras]
    levels += [(lv.name, lv.sense, None) for lv in levels_of(instance)]
    values = dict(warm or {})
    proven, bounds = [], []
    for name, sense, keep in levels:
        flags = (candidate_flags(instance, prep, name) if name in ("keen", "rather_not")
                 else None)
        cost = model.level(name, prep, keep, flags)
        pr, bnd, values = _solve_level(h, model, n_cols, cost, sense, values, deadline, gap,
                                       stopper)
        value = sum(cost.get(j, 0.0) * v for j, v in _columns(model, values).items())
        coefficient = np.zeros(n_cols)
        coefficient[list(cost)] = list(cost.values())
        fix_level(h, np.array(list(cost), np.int32), coefficient, sense, value, pr)
        proven.append(pr)
        bounds.append(bnd)
        if progress is not None:
            progress(name, value, bnd if bnd is not None else value, time.monotonic() - t0)
    nx = len(extras)
    proven_own = proven[nx:] if all(proven[:nx]) else [False] * (len(proven) - nx)
    return values, proven_own, bounds[nx:]


def keep_of(instance, ex) -> set[tuple[int, int, int]]:
    a_index = {a.id: k for k, a in enumerate(instance.assessors)}
    out = set()
    for d in ex.deployments:
        for ii, ins in enumerate(instance.inspections):
            if ins.id == d.inspection and d.assessor in a_index:
                for si, seat in enumerate(ins.seats):
                    if seat.specialism == d.specialism:
                        out.add((a_index[d.assessor], ii, si))
    return out


def _add_rows(h, rows: _Rows, first: int = 0) -> None:
    n = len(rows.lower) - first
    if n <= 0:
        return
    start0 = rows.starts[first]
    starts = np.array(rows.starts[first:], np.int32) - start0
    h.addRows(n, np.array(rows.lower[first:]), np.array(rows.upper[first:]),
              len(rows.index) - start0, starts, np.array(rows.index[start0:], np.int32),
              np.array(rows.value[start0:]))


def _columns(model: _Model, values: dict[int, tuple[int, int]]) -> dict[int, float]:
    """Column values of a solution {candidate: (seat index, days)}."""
    col: dict[int, float] = {}
    for t, (si, n) in values.items():
        c = model.cands[t]
        col[model.x[t][[s for s, _, _ in c.seats].index(si)]] = 1.0
        col[model.n[t]] = float(n)
        u = model.u.get(c.a)
        if u is not None:
            col[u] = 1.0
        if model.area is not None and model.area[c.a] >= 0:
            col[model.r[model.area[c.a]]] = 1.0
    return col


def _solve_level(h, model: _Model, n_cols: int, cost: dict[int, float], sense: int,
                 values: dict[int, tuple[int, int]], deadline: float, gap: float, stopper):
    """Optimise one level from the previous solution; re-solve while Hall's condition is broken.
    Returns (proven, bound, solution)."""
    c = np.zeros(n_cols)
    for j, v in cost.items():
        c[j] = v
    h.changeColsCost(n_cols, np.arange(n_cols, dtype=np.int32), c)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense > 0 else highspy.ObjSense.kMinimize)
    while True:
        _hint(h, model, n_cols, values)
        if not _run(h, c, deadline, stopper):
            return False, None, values
        found = _read(h, model)
        cuts = _hall_violations(model, found)
        if not cuts:
            optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            return optimal and gap == 0.0, float(h.getInfo().mip_dual_bound), found
        first = len(model.rows.lower)
        for chosen, ts, cap in cuts:
            big = sum(model.cands[t].hi for t in chosen)
            terms = [(model.n[t], 1.0) for t in chosen]
            terms += [(j, float(big)) for t in ts for j, _ in model.z(t)]
            model.rows.add(terms, -float("inf"), cap + big * len(ts))
        _add_rows(h, model.rows, first)


def _run(h, c: np.ndarray, deadline: float, stopper) -> bool:
    """Run the MIP; whether it has a feasible solution.  HiGHS (1.16) sometimes reports the
    optimum's objective but hands back its starting point as the solution (found by the oracle:
    a 'proven' km of 811 where the objective said 688); then it runs again without one."""
    if not run_within(h, deadline, stopper, mip=True) or h.getInfo().primal_solution_status != 2:
        return False
    col = np.asarray(h.getSolution().col_value)
    if abs(float(c @ col) - h.getInfo().objective_function_value) <= 0.5:
        return True
    h.clearSolver()
    return run_within(h, deadline, stopper, mip=True) and h.getInfo().primal_solution_status == 2


def _hint(h, model: _Model, n_cols: int, values: dict[int, tuple[int, int]]) -> None:
    """The previous level's solution (or the warm start) as HiGHS's starting point."""
    col = np.zeros(n_cols)
    for j, v in _columns(model, values).items():
        col[j] = v
    start_from(h, col)


def _read(h, model: _Model) -> dict[int, tuple[int, int]]:
    col = np.asarray(h.getSolution().col_value)
    out = {}
    for t, c in enumerate(model.cands):
        for j, (si, _, _) in zip(model.x[t], c.seats):
            if col[j] > 0.5:
                out[t] = (si, int(round(col[model.n[t]])))
    return out


def fix_level(h, columns: np.ndarray, coefficient: np.ndarray, sense: int, value: float,
              proven: bool) -> None:
    """Hold the level (``coefficient`` over all columns, non-zero on ``columns``) at its best
    (proven) or at least as good as found."""
    inf = highspy.kHighsInf
    lo, up = (value, value) if proven else ((value, inf) if sense > 0 else (-inf, value))
    h.addRow(lo, up, len(columns), columns, coefficient[columns].astype(np.float64))
