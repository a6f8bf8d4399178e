"""Pattern (column) formulation of the deployment problem for at most two deployments per assessor,
solved lexicographically with HiGHS.

Why patterns
------------
Days enter only the second level and only through each assessor's own constraints (length, agreement
total, day competition between their deployments).  So, for a fixed set of deployments, the most
days are found assessor by assessor, and a deployment set never needs fewer days than its most.
With at most two new deployments per assessor, each assessor therefore chooses one *pattern*:

* nothing;
* one candidate seat ``(t, s)``: ``hi`` days (``hi`` already includes the feasible days and the
  remaining agreement total);
* two candidate seats on different inspections, feasible by the same pair conditions as the CP-SAT
  model (mandatory days disjoint, Hall's condition), with days
  ``min(h1 + h2, cap)`` where ``h1 = min(hi1, |F1 - M2|)``, ``h2 = min(hi2, |F2 - M1|)`` and
  ``cap = min(budget, |F1 | F2|)`` when the feasible days overlap (``h = hi``, ``cap = budget`` when
  they do not), provided ``lo1 <= h1``, ``lo2 <= h2`` and ``lo1 + lo2 <= cap``.

Each pattern has fixed values on all four levels (seats, days, repeats, km), so the model is a set
packing: at most one pattern per assessor, seat counts.  Its LP relaxation is the convex hull of
each assessor's choices and is integral or nearly so on realistic instances; each level is first
solved as an LP (an integral LP optimum is proven optimal), and only otherwise as a MIP started from
the previous level's solution.  Levels are fixed (``= optimum``) as rows, exactly as in the CP-SAT
model.  The LP bound is what makes the proofs quick.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict

import numpy as np

try:                                   # optional: without HiGHS the CP-SAT model is used
    import highspy
except ImportError:                    # pragma: no cover
    highspy = None

# Above this many patterns the enumeration (memory, LP size) is not worth it: the CP-SAT model runs.
MAX_PATTERNS = 400_000


def available(prep) -> bool:
    return highspy is not None and all(k <= 2 for k in prep.k_left)


def count_patterns(prep) -> int:
    """An upper bound on the number of patterns (cheap, before enumerating)."""
    per: dict[int, list[int]] = defaultdict(list)
    for c in prep.cands:
        per[c.a].append(len(c.seats))
    total = 0
    for a, ns in per.items():
        s = sum(ns)
        total += s
        if prep.k_left[a] >= 2:
            total += (s * s - sum(n * n for n in ns)) // 2
    return total


def enumerate_patterns(prep):
    """Returns (assessor, entries, days, repeats, km) per pattern; entries are
    ((cand index, seat index, n days), ...)."""
    by: dict[int, list[int]] = defaultdict(list)
    for t, c in enumerate(prep.cands):
        by[c.a].append(t)
    pa, ent, days, rep, km = [], [], [], [], []
    cands = prep.cands
    for a, ts in by.items():
        pin = prep.pinned_per_assessor[a] > 0
        B = prep.budget[a]
        for t in ts:
            c = cands[t]
            for si, lo, hi in c.seats:
                pa.append(a)
                ent.append(((t, si, hi),))
                days.append(hi)
                rep.append(1 if pin else 0)
                km.append(c.km)
        if prep.k_left[a] < 2:
            continue
        for p in range(len(ts)):
            c1 = cands[ts[p]]
            for q in range(p + 1, len(ts)):
                c2 = cands[ts[q]]
                if c1.M & c2.M:
                    continue
                ov = c1.F & c2.F
                if ov:
                    A1 = (c1.F & ~c2.M).bit_count()
                    A2 = (c2.F & ~c1.M).bit_count()
                    cap0 = min(B, (c1.F | c2.F).bit_count())
                else:
                    A1 = A2 = 99
                    cap0 = B
                for s1, lo1, hi1 in c1.seats:
                    h1 = min(hi1, A1)
                    if lo1 > h1:
                        continue
                    for s2, lo2, hi2 in c2.seats:
                        h2 = min(hi2, A2)
                        if lo2 > h2 or lo1 + lo2 > cap0:
                            continue
                        D = min(h1 + h2, cap0)
                        n1 = min(h1, D - lo2)
                        pa.append(a)
                        ent.append(((ts[p], s1, n1), (ts[q], s2, D - n1)))
                        days.append(D)
                        rep.append(2 if pin else 1)
                        km.append(c1.km + c2.km)
    return pa, ent, np.array(days, float), np.array(rep, float), np.array(km, float)


def solve_patterns(instance, prep, deadline, workers, gap, progress, stopper, extras, t0):
    """Same contract as model._solve_prepared: (chosen, proven[4], bound[4] (of the non-pinned part,
    pinned constants added by the caller), extra level values)."""
    pa, ent, days, rep, km = enumerate_patterns(prep)
    n = len(pa)
    seats = np.array([len(e) for e in ent], float)
    # rows: one per assessor (at most one pattern), one per seat whose count can bind
    rows: dict = defaultdict(list)
    for k, (a, e) in enumerate(zip(pa, ent)):
        rows[("a", a)].append(k)
        for t, si, _ in e:
            rows[("s", prep.cands[t].i, si)].append(k)
    keys = [r for r, v in rows.items()
            if (r[0] == "a" and len(v) > 1) or (r[0] == "s" and len(v) > prep.seat_cap[r[1:]])]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # (no "threads": HiGHS fixes its thread pool at the first solve in a process and refuses
    # later runs with another value)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", float(gap))
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(keys)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.col_cost_ = np.zeros(n)
    lp.row_lower_ = np.full(len(keys), -highspy.kHighsInf)
    lp.row_upper_ = np.array([1.0 if r[0] == "a" else float(prep.seat_cap[r[1:]]) for r in keys])
    starts = [0]
    idx: list[int] = []
    for r in keys:
        idx.extend(rows[r])
        starts.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, np.int32)
    lp.a_matrix_.index_ = np.array(idx, np.int32)
    lp.a_matrix_.value_ = np.ones(len(idx))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    if n:
        h.passModel(lp)

    levels = []
    for ex in extras:
        keep = {(d.assessor, d.inspection, d.specialism) for d in ex.deployments}
        coef = np.zeros(n)
        for k, e in enumerate(ent):
            for t, si, _ in e:
                c = prep.cands[t]
                ins = instance.inspections[c.i]
                if (instance.assessors[c.a].id, ins.id, ins.seats[si].specialism) in keep:
                    coef[k] += 1
        levels.append((ex.name, +1, coef))
    levels += [("seats_filled", +1, seats), ("days_deployed", +1, days),
               ("repeat_deployments", -1, rep), ("travel_km", -1, km)]

    x = np.zeros(n)                     # the empty plan is always valid
    vals, proven, bounds = [], [], []
    allc = np.arange(n, dtype=np.int32)
    for name, sense, coef in levels:
        if n == 0 or not coef.any():
            vals.append(0)
            proven.append(True)
            bounds.append(0.0)
            continue
        cost = -sense * coef            # HiGHS minimises
        h.changeColsCost(n, allc, cost)
        pr, bnd, val = False, None, int(round(float(coef @ x)))
        left = deadline - time.monotonic()
        if left > 0 and not stopper.cancelled:
            pr, bnd, val, x = _solve_level(h, n, cost, coef, sense, x, val, deadline, gap,
                                           stopper)
        if progress is not None:
            try:
                progress(name, float(val), float(bnd if bnd is not None else val),
                         time.monotonic() - t0)
            except Exception:
                pass
        vals.append(val)
        proven.append(pr)
        bounds.append(float(val) if pr else (None if bnd is None else float(bnd)))
        nz = np.nonzero(coef)[0].astype(np.int32)
        if pr:
            h.addRow(val, val, len(nz), nz, coef[nz])
        elif sense > 0:
            h.addRow(val, highspy.kHighsInf, len(nz), nz, coef[nz])
        else:
            h.addRow(-highspy.kHighsInf, val, len(nz), nz, coef[nz])

    chosen: dict[int, tuple[int, int]] = {}
    for k in np.nonzero(x > 0.5)[0]:
        for t, si, nd in ent[k]:
            chosen[t] = (si, nd)
    nx = len(extras)
    extra_vals = {levels[k][0]: vals[k] for k in range(nx)}
    proven4 = proven[nx:]
    if nx and not all(proven[:nx]):
        proven4 = [False] * 4
    return chosen, proven4, bounds[nx:], extra_vals


def _solve_level(h, n, cost, coef, sense, x, val, deadline, gap, stopper):
    """One level: LP relaxation, then (if fractional) MIPs restricted by reduced costs.

    With the LP optimum z and reduced costs rc (minimisation form), every integer solution of value
    V satisfies V >= z + sum(rc_j x_j) over the columns at zero in the LP, all terms >= 0.  So a
    solution of value <= V uses only columns with rc_j <= V - z (or positive in the LP): the MIP
    restricted to those columns is exact once its optimum V satisfies V - z <= the threshold used.
    Returns (proven, bound (level sense), value, x)."""
    allc = np.arange(n, dtype=np.int32)
    h.setOptionValue("solve_relaxation", True)
    h.setOptionValue("time_limit", max(0.01, deadline - time.monotonic()))
    stopper.highs = h
    try:
        h.run()
    finally:
        stopper.highs = None
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return False, None, val, x
    z = h.getInfo().objective_function_value             # minimisation form
    sol = h.getSolution()
    xl = np.asarray(sol.col_value)
    rc = np.asarray(sol.col_dual)
    lb = math.ceil(z - 1e-6)                               # bound, minimisation form
    bnd = -sense * lb
    if np.all(np.minimum(np.abs(xl), np.abs(1 - xl)) < 1e-7):
        x = np.round(xl)
        return True, bnd, int(round(float(coef @ x))), x
    inc = -sense * val                                     # incumbent, minimisation form
    if inc <= lb:
        return True, bnd, val, x
    g = lb - z
    h.setOptionValue("solve_relaxation", False)
    upper = np.ones(n)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or stopper.cancelled:
            return False, bnd, val, x
        allowed = (xl > 1e-9) | (rc <= g + 1e-6) | (x > 0.5)
        h.changeColsBounds(n, allc, np.zeros(n), np.where(allowed, upper, 0.0))
        h.setOptionValue("time_limit", max(0.01, left))
        h.setSolution(_sol(x))
        stopper.highs = h
        try:
            h.run()
        finally:
            stopper.highs = None
        st = h.getModelStatus()
        info = h.getInfo()
        if info.primal_solution_status == 2:
            xm = np.round(np.asarray(h.getSolution().col_value))
            vm = float(cost @ xm)
            if vm < inc - 0.5:
                x, inc = xm, vm
                val = int(round(float(coef @ x)))
        h.changeColsBounds(n, allc, np.zeros(n), upper)
        if st == highspy.HighsModelStatus.kOptimal and gap == 0.0:
            if inc - z <= g + 1e-6:
                return True, -sense * inc, val, x
            g = inc - z                                    # widen: the incumbent is included
            continue
        if st == highspy.HighsModelStatus.kInfeasible:
            g = inc - z
            continue
        return False, bnd, val, x


def _sol(x: np.ndarray):
    s = highspy.HighsSolution()
    s.col_value = list(map(float, x))
    s.value_valid = True
    return s
