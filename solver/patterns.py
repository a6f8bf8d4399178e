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

Each pattern has fixed values on every level but one (seats, days, repeats, km, keen, rather not),
so the model is a set packing: at most one pattern per assessor, seat counts.  The exception,
``partnerships_reached``, gets one more column per home area not yet reached by a pinned
deployment, ``r_h <= 1`` with the row ``r_h - (patterns of the area's assessors) <= 0``; the level
is the sum of the ``r_h``, and a pattern's reduced cost carries its area row's dual with its
assessor's.  Its LP relaxation is the convex hull of
each assessor's choices and is integral or nearly so on realistic instances; each level is first
solved as an LP (an integral LP optimum is proven optimal), and only otherwise as MIPs over the
columns the reduced costs allow, the previous level's solution being the incumbent.  Levels are
fixed (``= optimum``) as rows, exactly as in the CP-SAT model; in the MIPs the proven levels' rows
are replaced by exact penalties (``_penalties``).  The LP bound is what makes the proofs quick.
"""
from __future__ import annotations

import heapq
import math
import os
import threading
import time
from collections import defaultdict
from itertools import chain

import numpy as np

from .candidates import candidate_flags, open_partnerships
from .highs import highspy, new_highs
from .objective import levels_of

# At most this many columns (memory, MIP size) when generating every pattern within the gap;
# more leave the level unproven with its LP bound.
MAX_GAP_PATTERNS = 400_000
# Restricted MIPs over more columns than this are skipped while a dense level row (one not turned
# into a penalty, see mip) remains: measured at 2,000 x 240, HiGHS's MIP with the seats row did
# not improve days in 9 min on 37k columns; without it, it proved days on 28k-41k columns in 3-10 s.
MIP_MAX_COLUMNS = 12_000
MAX_PENALTY = 1e6                       # per unit of a level's deviation in the MIPs (_penalties)
INITIAL_PER_SEAT = 40
CG_ROUND_COLUMNS = 50_000
PER_ASSESSOR = int(os.environ.get('SOLVER_PER_ASSESSOR', '60'))
_DUAL, _PRIMAL = 1, 4                    # HiGHS simplex_strategy values
_DEBUG = bool(os.environ.get('SOLVER_DEBUG'))


def available(prep) -> bool:
    return highspy is not None and all(k <= 2 for k in prep.k_left)


def _first_appearance(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Numbers the distinct keys in order of first appearance: (index of each key's first
    occurrence, number of each element's key)."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse.reshape(-1)]


def pair_days(c1, lo1, hi1, c2, lo2, hi2, B):
    """The most days of a pair of deployments (c1 at one of its seats, c2 at one of its), or None
    if the pair cannot be worked: mandatory days disjoint and Hall's condition (module doc).
    Returns (days, n1, n2)."""
    if c1.M & c2.M:
        return None
    if c1.F & c2.F:
        A1 = (c1.F & ~c2.M).bit_count()
        A2 = (c2.F & ~c1.M).bit_count()
        cap0 = min(B, (c1.F | c2.F).bit_count())
        h1, h2 = min(hi1, A1), min(hi2, A2)
    else:
        cap0, h1, h2 = B, hi1, hi2
    if lo1 > h1 or lo2 > h2 or lo1 + lo2 > cap0:
        return None
    D = min(h1 + h2, cap0)
    n1 = min(h1, D - lo2)
    return D, n1, D - n1


class _Columns:
    """Entries (candidate, seat) and the generated pattern columns over them.

    Level values of an entry, in the order of the levels: extras (kept-published flags), seats 1,
    days hi, repeats (1 if the assessor has a pinned deployment), km, keen and rather-not flags,
    partnerships 0 (the area columns carry it).  A pair's values are the sum of its entries' plus a
    repeat bonus (1 without a pinned deployment), except days: ``pair_days``.  An area column's
    entry tuple is ``(-1 - area,)``."""

    def __init__(self, instance, prep, extras, levels):
        self.prep = prep
        n_seats = self._read_entries(prep)
        names = [lv.name for lv in levels]
        self._make_rows(instance, prep, n_seats, names)
        pin = np.array([1.0 if p > 0 else 0.0 for p in prep.pinned_per_assessor])
        self._make_values(instance, prep, extras, n_seats, names, pin)
        self.bonus = 1.0 - pin                      # repeat bonus of a pair, per assessor
        self.by_a = self._pairable(prep)
        # columns
        self.col_ent: list[tuple] = []              # (e,) or (e1, e2, n1, n2)
        self.cV = np.zeros((len(self.V), 0))
        self.seen: set[tuple[int, int]] = set()
        self.has_single = np.zeros(len(self.et), bool)
        self.area_cols: list[int] = []              # column indices of the r_h
        self.banned = np.zeros(len(self.et), bool)  # entries no plan may use (ban)
        self.col_open = np.zeros(0, bool)           # columns not banned

    def _read_entries(self, prep) -> np.ndarray:
        """Every (candidate, seat) entry as arrays (vectorised: 2.6M entries at 5,000 x 1,200,
        measured 2.5 s with Python loops); returns the number of seats per candidate."""
        cands = prep.cands
        n_seats = np.fromiter((len(c.seats) for c in cands), np.int64, len(cands))
        nE = int(n_seats.sum())
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(c.seats for c in cands)),
                           np.int64, 3 * nE).reshape(nE, 3)
        self.first_entry = np.concatenate([[0], np.cumsum(n_seats)[:-1]]).astype(np.int64)
        self.et = np.repeat(np.arange(len(cands), dtype=np.int64), n_seats)
        self.es = flat[:, 0].copy()
        self.elo = flat[:, 1].astype(float)
        self.ehi = flat[:, 2].astype(float)
        self.ea = self._per_entry(n_seats, "a")
        self.L_et = self.et.tolist()
        self.L_elo = flat[:, 1].tolist()
        self.L_ehi = flat[:, 2].tolist()
        return n_seats

    def _per_entry(self, n_seats: np.ndarray, attr: str) -> np.ndarray:
        cands = self.prep.cands
        return np.repeat(np.fromiter((getattr(c, attr) for c in cands), np.int64, len(cands)),
                         n_seats)

    def _make_rows(self, instance, prep, n_seats: np.ndarray, names: list[str]) -> None:
        """Rows: assessors with a candidate, then seats, each in order of first appearance, then
        the partnership rows (only when that level is optimised)."""
        nE = len(self.et)
        assessors, self.earow = _first_appearance(self.ea)
        seat_key = (self._per_entry(n_seats, "i") * (int(self.es.max()) + 1 if nE else 1)
                    + self.es)
        seat_first, srow = _first_appearance(seat_key)
        self.esrow = srow + len(assessors)
        self.n_areas = 0
        self.eharow = np.full(nE, -1, np.int64)
        if "partnerships_reached" in names and nE:
            area = np.array(open_partnerships(instance, prep), np.int64)
            self.n_areas = int(area.max()) + 1
            row0 = len(assessors) + len(seat_first)
            self.eharow = np.where(area[self.ea] >= 0, row0 + area[self.ea], -1)
        self.nrows0 = len(assessors) + len(seat_first) + self.n_areas
        cands = prep.cands
        self.row_upper = np.concatenate([
            np.ones(len(assessors)),
            np.array([float(prep.seat_cap[(cands[t].i, s)])
                      for t, s in zip(self.et[seat_first].tolist(),
                                      self.es[seat_first].tolist())], float),
            np.zeros(self.n_areas)])
        self.area_row0 = len(assessors) + len(seat_first)

    def _make_values(self, instance, prep, extras, n_seats: np.ndarray, names: list[str],
                     pin: np.ndarray) -> None:
        """V: each entry's value on the extra levels, then on each level in its order."""
        cands, nE = prep.cands, len(self.et)
        self.nx = len(extras)
        self.V = V = np.empty((self.nx + len(names), nE))
        for k, ex in enumerate(extras):
            keep = {(d.assessor, d.inspection, d.specialism) for d in ex.deployments}
            V[k] = [1.0 if (instance.assessors[cands[t].a].id,
                            instance.inspections[cands[t].i].id,
                            instance.inspections[cands[t].i].seats[si].specialism)
                    in keep else 0.0 for t, si in zip(self.et.tolist(), self.es.tolist())]
        value = {"seats_filled": np.ones(nE), "days_deployed": self.ehi,
                 "repeat_deployments": pin[self.ea] if nE else np.zeros(0),
                 "travel_km": self._per_entry(n_seats, "km").astype(float),
                 "partnerships_reached": np.zeros(nE)}
        for name in ("keen", "rather_not"):
            if name in names:
                value[name] = np.repeat(candidate_flags(instance, prep, name), n_seats)
        for k, name in enumerate(names):
            V[self.nx + k] = value[name]

        def index(name: str) -> int | None:
            return self.nx + names.index(name) if name in names else None
        self.iday, self.irep, self.ikm = (index("days_deployed"), index("repeat_deployments"),
                                          index("travel_km"))
        self.iarea = index("partnerships_reached")

    def _pairable(self, prep) -> dict[int, np.ndarray]:
        """Per assessor with two deployments left and more than one entry: their entries."""
        by_a: dict[int, np.ndarray] = {}
        order = np.argsort(self.ea, kind="stable")
        if len(self.et):
            bounds = np.flatnonzero(np.diff(self.ea[order])) + 1
            for seg in np.split(order, bounds):
                a = int(self.ea[seg[0]])
                if prep.k_left[a] >= 2 and len(seg) > 1:
                    by_a[a] = seg
        return by_a

    def entry(self, t: int, si: int) -> int:
        """The entry of candidate t at its seat si."""
        return int(self.first_entry[t]) + [s for s, _, _ in self.prep.cands[t].seats].index(si)

    def pair(self, e1: int, e2: int):
        """Pattern values of the pair of entries, or None."""
        cands = self.prep.cands
        t1, t2 = int(self.et[e1]), int(self.et[e2])
        if t1 == t2:
            return None
        c1, c2 = cands[t1], cands[t2]
        r = pair_days(c1, int(self.elo[e1]), int(self.ehi[e1]), c2, int(self.elo[e2]),
                      int(self.ehi[e2]), self.prep.budget[c1.a])
        if r is None:
            return None
        return self.pair_values(e1, e2, r[0]), r[1], r[2]

    def pair_values(self, e1: int, e2: int, days: int) -> np.ndarray:
        v = self.V[:, e1] + self.V[:, e2]
        if self.iday is not None:
            v[self.iday] = days
        if self.irep is not None:
            v[self.irep] += self.bonus[int(self.ea[e1])]
        return v

    def additive(self, L: int) -> bool:
        """A level whose pattern values are the sums of their entries' (>= 0)."""
        return L not in (self.iday, self.irep, self.iarea) and bool((self.V[L] >= 0).all())

    def ban(self, h, L: int) -> None:
        """Level L is proven at 0, its least: every plan keeping it uses no entry with a positive
        value there.  So those entries are left out of every column (existing ones get upper
        bound 0, pricing skips them) instead of a level row: a dense row defeats HiGHS's MIP
        heuristics (see mip), and a 'rather not' proven at 0 is the common case."""
        self.banned |= self.V[L] > 0
        shut = np.flatnonzero(self.col_open & (self.cV[L] > 0))
        self.col_open[shut] = False
        if len(shut):
            h.changeColsBounds(len(shut), shut.astype(np.int32), np.zeros(len(shut)),
                               np.zeros(len(shut)))

    def assessor_dual(self, y: np.ndarray) -> np.ndarray:
        """Per entry, the duals of the rows every pattern of its assessor is in: the assessor's
        (coefficient 1) and their home area's partnership row (coefficient -1)."""
        d = y[self.earow]
        if self.n_areas:
            d = d - np.where(self.eharow >= 0, y[np.maximum(self.eharow, 0)], 0.0)
        return d

    def area_columns(self) -> list[tuple]:
        """The partnership columns r_h (entry tuple ``(-1 - h,)``), value 1 on that level."""
        out = []
        for h in range(self.n_areas):
            v = np.zeros(self.V.shape[0])
            v[self.iarea] = 1.0
            out.append(((-1 - h,), v))
        return out

    def shut_areas(self, h, shut: bool) -> None:
        """The area columns r_h out of the model (upper bound 0) or back in.  Until the
        partnerships level they have no cost and are in no level row, so at 0 they change no
        optimum, and HiGHS's MIPs are faster without them (2,000 x 240, the days level's MIP over
        the LP's support: 2.4-3.4 s against 6.4-11.7 s with them)."""
        self.col_open[self.area_cols] = not shut
        n = len(self.area_cols)
        h.changeColsBounds(n, np.array(self.area_cols, np.int32), np.zeros(n),
                           np.full(n, 0.0 if shut else 1.0))

    def fill_areas(self, x: np.ndarray) -> np.ndarray:
        """The solution with every area column at 1 where its area is reached (a valid
        solution: the incumbent of the partnerships level)."""
        x = x.copy()
        reached = set()
        for k in np.flatnonzero(x > 0.5).tolist():
            e = self.col_ent[k][0]
            if e >= 0 and self.eharow[e] >= 0:
                reached.add(int(self.eharow[e]) - self.area_row0)
        for k in self.area_cols:
            h = -1 - self.col_ent[k][0]
            x[k] = 1.0 if h in reached else 0.0
        return x


class _Master:
    """The restricted master problem in HiGHS: the pattern columns of ``C`` with their assessor,
    seat and area rows, and the rows of the levels fixed so far."""

    def __init__(self, C: _Columns, gap: float):
        self.C = C
        self.h = h = new_highs()
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", float(gap))
        h.setOptionValue("presolve", "off")               # LPs are re-solved from the last basis
        h.addRows(C.nrows0, np.full(C.nrows0, -highspy.kHighsInf), C.row_upper, 0,
                  np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        self.level_rows: list[tuple[int, int]] = []     # (level index, row)
        self.stages: list = []      # per level row: (LP gap, |duals| of the rows above) if proven
        self.cur = [0.0, 0]                             # (cost sign, level) of new columns

    def _column(self, ent: tuple, v: np.ndarray, idx: list[int], val: list[float]) -> None:
        """The column's row entries (appended to ``idx``/``val``), and it joins ``C``."""
        C = self.C
        e1 = ent[0]
        if e1 < 0:                                  # an area column r_h
            C.area_cols.append(len(C.col_ent))
            idx.append(C.area_row0 - 1 - e1)
            val.append(1.0)
        else:
            idx += [int(C.earow[e1]), int(C.esrow[e1])]
            val += [1.0, 1.0]
            if C.eharow[e1] >= 0:
                idx.append(int(C.eharow[e1]))
                val.append(-1.0)
        if len(ent) > 1:
            idx.append(int(C.esrow[ent[1]]))
            val.append(1.0)
            C.seen.add((ent[0], ent[1]))
        for L, r in self.level_rows:
            if v[L]:
                idx.append(r)
                val.append(float(v[L]))
        C.col_ent.append(ent)

    def add_cols(self, cols: list[tuple]) -> None:
        """cols: list of (ent tuple, values vector)."""
        if not cols:
            return
        C = self.C
        starts: list[int] = []
        idx: list[int] = []
        val: list[float] = []
        vals = np.array([v for _, v in cols]).T.reshape(C.V.shape[0], len(cols))
        for ent, v in cols:
            starts.append(len(idx))
            self._column(ent, v, idx, val)
        n = len(cols)
        self.h.addCols(n, self.cur[0] * vals[int(self.cur[1])], np.zeros(n), np.ones(n), len(idx),
                       np.array(starts, np.int32), np.array(idx, np.int32), np.array(val))
        C.cV = np.concatenate([C.cV, vals], axis=1)
        C.col_open = np.concatenate([C.col_open, np.ones(n, bool)])

    def fixed_above(self, levels: list[tuple[str, int]], vals: list) -> list[tuple]:
        """The rows of the proven levels above, which may become penalties in the MIPs (see
        ``_Level.mip``): (level, row, sense, value in minimisation form, LP gap, |duals|)."""
        fixed = []
        for (Lk, r), st in zip(self.level_rows, self.stages):
            if st is None:
                break
            fixed.append((Lk, r, levels[Lk][1], -levels[Lk][1] * vals[Lk]) + st)
        return fixed

    def fix_level(self, L: int, sense: int, proven: bool, val, duals: list) -> None:
        """Level L held at its value (``= val`` when proven, else no worse) for the levels below:
        a row, or a ban when proven at 0 (see _Columns.ban)."""
        C, inf = self.C, highspy.kHighsInf
        coef = C.cV[L]
        if proven and val == 0 and sense < 0 and C.additive(L):
            C.ban(self.h, L)     # no dense row: see _Columns.ban
            return
        nz = np.nonzero(coef)[0].astype(np.int32)
        lo, up = (val, val) if proven else ((val, inf) if sense > 0 else (-inf, val))
        self.h.addRow(lo, up, len(nz), nz, coef[nz])
        self.level_rows.append((L, C.nrows0 + len(self.level_rows)))
        self.stages.append((max(0.0, -sense * val - duals[0]), duals[1])
                           if proven and duals else None)


def _warm_patterns(C: _Columns, prep, warm) -> tuple[list[int], list[tuple]]:
    """The warm start's single entries and pair columns."""
    ws_single: list[int] = []
    ws_pairs: list[tuple] = []
    if not warm:
        return ws_single, ws_pairs
    per: dict[int, list[int]] = defaultdict(list)
    for t, (si, _) in warm.items():
        per[prep.cands[t].a].append(C.entry(t, si))
    for es in per.values():
        p = C.pair(min(es), max(es)) if len(es) == 2 else None
        if p is not None:
            ws_pairs.append(((min(es), max(es), p[1], p[2]), p[0]))
        else:                               # (a pair always passes: same test)
            ws_single.append(es[0])
    return ws_single, ws_pairs


def _initial_columns(C: _Columns, prep, warm) -> tuple[list[tuple], list[int]]:
    """Per seat the INITIAL_PER_SEAT nearest single entries, and the warm start (other singles
    are priced in like pairs, vectorised, so the LPs stay small); with the indexes of the warm
    start's columns among them."""
    nE = len(C.et)
    start = np.zeros(nE, bool)
    order = np.lexsort((C.V[C.ikm] if C.ikm is not None else np.zeros(nE), C.esrow))
    if nE:
        cut = np.flatnonzero(np.diff(C.esrow[order])) + 1
        for seg in np.split(order, cut):
            start[seg[:INITIAL_PER_SEAT]] = True
    ws_single, ws_pairs = _warm_patterns(C, prep, warm)
    start[ws_single] = True
    init = [((int(e),), C.V[:, e].copy()) for e in np.flatnonzero(start)]
    C.has_single[start] = True
    ws_set = set(ws_single)
    x_ws = [k for k, (ent, _) in enumerate(init) if ent[0] in ws_set]
    x_ws += list(range(len(init), len(init) + len(ws_pairs)))
    return init + ws_pairs, x_ws


def _constant_level(C: _Columns, L: int) -> bool:
    """No column, or none with a value on level L: its value and bound are 0."""
    return len(C.col_ent) == 0 or not (C.V[L].any()
                                       or (L == C.irep and C.bonus.any() and bool(C.by_a))
                                       or (L == C.iarea and bool(C.n_areas)))


def _report(progress, name: str, val, bnd, elapsed: float) -> None:
    if progress is None:
        return
    try:
        progress(name, float(val), float(bnd if bnd is not None else val), elapsed)
    except Exception:
        pass


def _chosen(C: _Columns, x: np.ndarray) -> dict[int, tuple[int, int]]:
    """{candidate: (seat index, days)} of the patterns chosen in ``x``."""
    chosen: dict[int, tuple[int, int]] = {}
    for k in np.nonzero(x > 0.5)[0]:
        ent = C.col_ent[k]
        if ent[0] < 0:
            continue                                # an area column
        if len(ent) == 1:
            e = ent[0]
            chosen[int(C.et[e])] = (int(C.es[e]), int(C.ehi[e]))
        else:
            e1, e2, n1, n2 = ent
            chosen[int(C.et[e1])] = (int(C.es[e1]), n1)
            chosen[int(C.et[e2])] = (int(C.es[e2]), n2)
    return chosen


def solve_patterns(instance, prep, deadline, workers, gap, progress, stopper, extras, t0,
                   warm=None):
    """Same contract as model._solve_prepared: (chosen, proven[4], bound[4] (of the non-pinned part,
    pinned constants added by the caller), extra level values).

    Column generation: the LP starts with every single-seat pattern (plus the warm start's pairs);
    pair patterns are priced with the LP duals and added while one has a negative reduced cost, so
    each level's LP optimum is over *all* patterns without enumerating them.  When the LP is
    fractional, every pattern whose reduced cost is within the gap is generated before the
    reduced-cost-restricted MIP (exactness); if there are more than ``MAX_GAP_PATTERNS``, the level
    is reported unproven with its LP bound."""
    levels = [(ex.name, +1) for ex in extras] + [(lv.name, lv.sense)
                                                 for lv in levels_of(instance)]
    C = _Columns(instance, prep, extras, levels_of(instance))
    master = _Master(C, gap)
    cols, x_ws = _initial_columns(C, prep, warm)
    master.add_cols(cols + C.area_columns())
    C.shut_areas(master.h, True)
    x = np.zeros(len(C.col_ent))
    x[x_ws] = 1.0
    vals: list = []
    proven: list[bool] = []
    bounds: list[float | None] = []
    for L, (name, sense) in enumerate(levels):
        if _constant_level(C, L):
            vals.append(0)
            proven.append(True)
            bounds.append(0.0)
            continue
        master.cur[:] = [-sense, L]
        fixed = master.fixed_above(levels, vals)
        duals: list = []
        if L == C.iarea:
            C.shut_areas(master.h, False)
            x = C.fill_areas(x)
        pr, bnd, val, x = _solve_level_cg(master.h, C, L, sense, x, deadline, gap, stopper,
                                          master.level_rows, master.add_cols, fixed, duals)
        _report(progress, name, val, bnd, time.monotonic() - t0)
        vals.append(val)
        proven.append(pr)
        bounds.append(float(val) if pr else (None if bnd is None else float(bnd)))
        master.fix_level(L, sense, pr, val, duals)
    nx = C.nx
    extra_vals = {levels[k][0]: vals[k] for k in range(nx)}
    proven_own = proven[nx:]
    if nx and not all(proven[:nx]):
        proven_own = [False] * len(proven_own)
    return _chosen(C, x), proven_own, bounds[nx:], extra_vals


def _keep(heap: list, item: tuple, per_assessor: int | None, lim: float) -> float:
    """``item`` (-rc, k, column) among the best ``per_assessor`` kept in ``heap`` (all: None);
    returns the threshold, tightened to the worst kept once the heap is full."""
    if per_assessor is None:
        heap.append(item)
    elif len(heap) < per_assessor:
        heapq.heappush(heap, item)
        if len(heap) == per_assessor:
            lim = min(lim, -heap[0][0])
    else:
        heapq.heapreplace(heap, item)
        lim = min(lim, -heap[0][0])
    return lim


def _pair_column(C: _Columns, ei: int, ej: int, b: float, d: float, ld: float, B, lim: float
                 ) -> tuple[float, tuple] | None:
    """(reduced cost, column) of the pair of entries ``ei``, ``ej`` (shares ``b`` of the
    reduced cost and ``d`` of the days together) if it is new, can be worked and prices below
    ``lim``."""
    et, elo, ehi = C.L_et, C.L_elo, C.L_ehi
    ti, tj = et[ei], et[ej]
    if ti == tj:
        return None
    if ld < 0:
        over = d - B
        if over > 0 and b - ld * over >= lim:
            return None
    e1, e2 = (ei, ej) if ei < ej else (ej, ei)
    if (e1, e2) in C.seen:
        return None
    cands = C.prep.cands
    if e1 == ei:
        r = pair_days(cands[ti], elo[ei], ehi[ei], cands[tj], elo[ej], ehi[ej], B)
    else:
        r = pair_days(cands[tj], elo[ej], ehi[ej], cands[ti], elo[ei], ehi[ei], B)
    if r is None:
        return None
    rc = b + ld * (r[0] - d)
    return None if rc >= lim else (rc, (e1, e2, r[1], r[2]))


def _assessor_pairs(C: _Columns, seg: np.ndarray, beta: np.ndarray, dshare: np.ndarray,
                    lim: float, ld: float, B, per_assessor: int | None) -> list[tuple]:
    """One assessor's new pair columns below ``lim``: entries in increasing ``beta``, so the
    scan stops at the first pair whose bound fails.  Returns heap items (-rc, k, column)."""
    b = beta[seg]
    o = np.argsort(b, kind="stable")
    bs = (b[o] + 0.0).tolist()
    es = seg[o].tolist()
    ds = dshare[seg[o]].tolist()
    heap: list = []                              # (-rc, k, column) of the best kept
    k = 0
    for i in range(len(es) - 1):
        bi = bs[i]
        if bi + bs[i + 1] >= lim:
            break
        for j in range(i + 1, len(es)):
            if bi + bs[j] >= lim:
                break
            found = _pair_column(C, es[i], es[j], bi + bs[j], ds[i] + ds[j], ld, B, lim)
            if found is not None:
                k += 1
                lim = _keep(heap, (-found[0], k, found[1]), per_assessor, lim)
    return heap


def _new_singles(C: _Columns, lam, y, ady, thresh, per_assessor) -> list[tuple]:
    """Single columns not yet generated with reduced cost < thresh (exact: beta with days at
    hi), at most 50 per assessor's worth of the best."""
    rcs = lam @ C.V - y[C.esrow] - ady
    rcs[C.banned] = np.inf
    cand = np.flatnonzero((rcs < thresh) & ~C.has_single)
    if per_assessor is not None and len(cand) > 50 * per_assessor:
        cand = cand[np.argsort(rcs[cand], kind="stable")[:50 * per_assessor]]
    C.has_single[cand] = True
    return [((int(e),), C.V[:, e].copy()) for e in cand]


def _price(C, lam, y, thresh, per_assessor, cap=None, deadline=None):
    """Pair columns (not yet generated) with reduced cost < thresh.  lam: per-level weights
    (minimisation form, duals of level rows folded in), y: row duals.  Reduced cost of a pattern =
    lam . values - y_assessor - sum y_seat.  Each entry gets its additive share ``beta`` (days at
    hi, or at lo when days carry a positive cost), so a pair's reduced cost is
    ``beta1 + beta2 + const_a + lam_days * (D - d1 - d2)``: with days at hi the last term is >= 0
    down to ``lam_days * (min(hi1 + hi2, budget) - hi1 - hi2)``, with days at lo it is >= 0.
    Entries are scanned in increasing beta, so the scan stops at the first pair whose bound fails.
    per_assessor: keep the best this many per assessor (the threshold tightens to the worst kept;
    None: all).  Returns (columns, whether complete: False when cut short by cap or deadline)."""
    ld = float(lam[C.iday]) if C.iday is not None else 0.0
    beta = lam @ C.V - y[C.esrow]
    beta[C.banned] = np.inf                         # (ban)
    if ld > 0:                                       # days cost: a pair may use as few as lo
        beta += ld * (C.elo - C.ehi)
        dshare = C.elo
    else:
        dshare = C.ehi
    ady = C.assessor_dual(y)
    out = _new_singles(C, lam, y, ady, thresh, per_assessor)
    lam_rep = float(lam[C.irep]) if C.irep is not None else 0.0
    total = len(out)
    for na, (a, seg) in enumerate(C.by_a.items()):
        if cap is not None and total > cap:
            return out, False
        if deadline is not None and na % 64 == 0 and time.monotonic() > deadline:
            return out, False
        lim = thresh - (lam_rep * C.bonus[a] - ady[seg[0]])
        heap = _assessor_pairs(C, seg, beta, dshare, lim, ld, C.prep.budget[a], per_assessor)
        for _, _, ent in heap:
            e1, e2, n1, n2 = ent
            out.append((ent, C.pair_values(e1, e2, n1 + n2)))
        total += len(heap)
    if cap is not None and total > cap:
        return out, False
    return out, True


def _integral(xl: np.ndarray) -> bool:
    """Whether an LP solution is integral (then it is the level's proven optimum)."""
    return bool(np.all(np.minimum(np.abs(xl), np.abs(1 - xl)) < 1e-7))


def _penalties(fixed, b, delta) -> list[float]:
    """Weights M_k of the deviations s_k = cost_k(x) - w_k of the longest prefix of the fixed
    levels whose weights stay numerically safe (<= MAX_PENALTY).

    For every plan x: s_k = 0 for all k < m implies s_m >= 0 (w_m is optimal); the level-m LP
    gives s_m >= -g_m - sum_j a_mj |s_j| (g_m its gap, a_mj its level-row duals); the current LP
    gives cost(x) >= z - sum_k b_k |s_k|.  Unrolling the second, a negative s_m has
    |s_m| <= G_m + sum_{k<m, s_k>0} A_mk s_k, so with
    M_k = b_k + delta + sum_{m>k} (M_m + b_m) (A_mk + G_m) every plan off some level has
    cost(x) + sum_k M_k s_k >= z + delta (the first nonzero s_k is >= 1 and pays for the rest).
    delta = inc - z + 1: such a plan costs more than the incumbent."""
    for p in range(len(fixed), 0, -1):
        G = np.zeros(p)
        A = np.zeros((p, p))
        for m in range(p):
            a = fixed[m][5]
            G[m] = fixed[m][4] + float(a[:m] @ G[:m])
            for k in range(m):
                A[m, k] = a[k] + float(a[k + 1:m] @ A[k + 1:m, k])
        M = np.zeros(p)
        for k in reversed(range(p)):
            M[k] = b[k] + delta + float((M[k + 1:] + b[k + 1:p]) @ (A[k + 1:, k] + G[k + 1:]))
        if M.max() <= MAX_PENALTY:
            return M.tolist()
    return []


class _Level:
    """One level's solve (:func:`_solve_level_cg`): its state between the steps."""

    def __init__(self, h, C, L, sense, x, deadline, gap, stopper, level_rows, add_cols, fixed):
        self.h, self.C, self.L, self.sense = h, C, L, sense
        self.deadline, self.gap, self.stopper = deadline, gap, stopper
        self.level_rows, self.add_cols, self.fixed = level_rows, add_cols, fixed
        self.x = x
        self.val = int(round(float(C.cV[L] @ x)))
        self.cost = -sense * C.cV[L]
        self.inc = self.z = 0.0
        self.lb = 0

    def lam_of(self, y: np.ndarray) -> np.ndarray:
        lam = np.zeros(self.C.V.shape[0])
        lam[self.L] = -self.sense
        for level, r in self.level_rows:
            lam[level] -= y[r]
        return lam

    def set_cost(self) -> None:
        n = len(self.C.col_ent)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), -self.sense * self.C.cV[self.L])

    def grow(self, v: np.ndarray) -> np.ndarray:
        return np.concatenate([v, np.zeros(len(self.C.col_ent) - len(v))])

    def result(self, proven: bool, bound):
        return proven, bound, self.val, self.x

    # ------------------------------------------------------------------ the LP
    def run_lp(self, left: float, dual: bool) -> bool:
        """The LP from the last basis; whether it ended optimal."""
        h = self.h
        h.setOptionValue("time_limit", h.getRunTime() + max(0.01, left))
        h.setOptionValue("simplex_strategy", _DUAL if dual else _PRIMAL)
        self.stopper.highs = h
        try:
            h.run()
        finally:
            self.stopper.highs = None
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            if _DEBUG:
                print("  LP status", h.getModelStatus(), flush=True)
            return False
        return True

    def generate_columns(self) -> bool:
        """Column generation until no pattern prices in: True with the LP optimum over all
        patterns (``sol``, ``y``, ``lam``), False when the time, a cancel or an LP stopped it."""
        C, L = self.C, self.L
        t = time.monotonic()
        n_new = 0                                   # columns added since the last LP
        km_start = L == C.ikm                       # the first LP of the km level
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0 or self.stopper.cancelled:
                return False
            # The last basis stays primal feasible (a level row is added, costs change, columns
            # are added).  Measured at 2,000 x 240: primal simplex is fast when a level starts
            # (level 3: 0.4 s vs 12.6 s dual) or after up to a few thousand new columns (25:
            # 0.05 s vs 8.4 s; 3,000: 0.08 s vs 7.1 s), dual simplex after more (4.7k-7k:
            # 0.3-0.5 s vs 2.4-2.7 s).  The km level is the exception: km replaces a small
            # integer objective, and dual simplex starts it faster (large seeds 1-3: 1.0-1.4 s
            # vs 3.0-5.4 s primal).
            dual = n_new >= 4000 or km_start
            km_start = False
            if not self.run_lp(left, dual):
                return False
            self.sol = self.h.getSolution()
            self.y = np.asarray(self.sol.row_dual)
            self.lam = self.lam_of(self.y)
            tp = time.monotonic()
            # capped per round (memory, LP size: 246k columns in one round at 5,000 x 1,200); a
            # round cut short by the deadline leaves the level unproven
            new, complete = _price(C, self.lam, self.y, -1e-7, PER_ASSESSOR,
                                   cap=CG_ROUND_COLUMNS, deadline=self.deadline)
            if _DEBUG:
                info = self.h.getInfo()
                print(f"  L{L} cg z={info.objective_function_value:.2f} cols={len(C.col_ent)}"
                      f" new={len(new)} lp={tp - t:.2f}s price={time.monotonic() - tp:.2f}s"
                      f" it={info.simplex_iteration_count}", flush=True)
            t = time.monotonic()
            if not new:
                return complete                     # not complete: the deadline stopped it
            n_new = len(new)
            self.add_cols(new)
            self.x = self.grow(self.x)

    # ------------------------------------------------------------------ the MIPs
    def _as_mip(self, allowed: np.ndarray, pen: list[float]) -> None:
        """The model as a MIP over the allowed columns, the rows of the first ``len(pen)``
        proven levels turned into penalties."""
        h, C = self.h, self.C
        n = len(C.col_ent)
        allc = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, allc, np.full(n, highspy.HighsVarType.kInteger))
        h.changeColsBounds(n, allc, np.zeros(n), np.where(allowed & C.col_open, 1.0, 0.0))
        if pen:
            wcost = self.cost.copy()
            for (Lk, r, sk, _, _, _), Mk in zip(self.fixed, pen):
                h.changeRowBounds(r, -highspy.kHighsInf, highspy.kHighsInf)
                wcost += Mk * -sk * C.cV[Lk]
            h.changeColsCost(n, allc, wcost)
            # objective = cost on plans keeping every level (relative gap as without penalties)
            h.changeObjectiveOffset(-sum(Mk * f[3] for f, Mk in zip(self.fixed, pen)))
        h.setOptionValue("presolve", "on")
        h.setOptionValue("simplex_strategy", _DUAL)   # for the MIP's node LPs

    def _run_mip(self, share: float):
        """(model status, its solution or None)."""
        h = self.h
        # a MIP's time limit counts from its own start (an LP's from the first run: getRunTime)
        h.setOptionValue("time_limit", max(0.01, share * (self.deadline - time.monotonic())))
        self.stopper.highs = h
        # HiGHS's MIP time limit is not always checked in time: a timer cancels the run
        timer = threading.Timer(max(0.01, share * (self.deadline - time.monotonic())) + 0.2,
                                h.cancelSolve)
        timer.start()
        try:
            h.run()
        finally:
            timer.cancel()
            self.stopper.highs = None
        h.setOptionValue("presolve", "off")
        st = h.getModelStatus()
        xm = None
        if h.getInfo().primal_solution_status == 2:
            xm = np.round(np.asarray(h.getSolution().col_value))
        return st, xm

    def _as_lp(self, pen: list[float], xm):
        """The LP again (rows, bounds, costs); ``xm`` unless it is off a level (a time-out's
        best)."""
        h, C = self.h, self.C
        n = len(C.col_ent)
        allc = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, allc, np.full(n, highspy.HighsVarType.kContinuous))
        h.changeColsBounds(n, allc, np.zeros(n), C.col_open.astype(float))
        if pen:
            for Lk, r, sk, wk, _, _ in self.fixed[:len(pen)]:
                h.changeRowBounds(r, -sk * wk, -sk * wk)
                if xm is not None and -sk * C.cV[Lk] @ xm != wk:
                    xm = None                       # off a level (a time-out's best)
            h.changeColsCost(n, allc, self.cost)
            h.changeObjectiveOffset(0.0)
        return xm

    def mip(self, allowed: np.ndarray, share: float = 1.0):
        """MIP over the allowed columns (and the incumbent); returns its model status.

        Level rows are dense (every column) and defeat HiGHS's MIP heuristics (measured at
        2,000 x 240: days 9,816 after 9 min with the seats row, the optimum 9,819 in 10 s
        without).  So the rows of the proven levels are dropped and each level's deviation
        s_k = cost_k(x) - w_k from its optimum w_k is charged M_k per unit (``_penalties``); the
        weights make every plan off some w_k cost more than the incumbent, so the MIP's optimum
        keeps every level and is the optimum under the rows."""
        C, L = self.C, self.L
        allowed = allowed | (self.x > 0.5)
        allowed[C.area_cols] = True                 # (not patterns: always in the model)
        pen = _penalties(self.fixed, np.abs(self.y[[f[1] for f in self.fixed]]),
                         self.inc - self.z + 1)
        if int(allowed.sum()) > MIP_MAX_COLUMNS and len(self.level_rows) > len(pen):
            if _DEBUG:
                print(f"  L{L} mip skipped: {int(allowed.sum())} columns", flush=True)
            return None
        t_mip = time.monotonic()
        basis = self.h.getBasis()                   # the next LP restarts from it
        self._as_mip(allowed, pen)
        st, xm = self._run_mip(share)
        xm = self._as_lp(pen, xm)
        self.h.setBasis(basis)
        if xm is not None:
            vm = float(self.cost @ xm)
            if vm < self.inc - 0.5:
                self.x, self.inc = xm, vm
                self.val = int(round(float(C.cV[L] @ self.x)))
        if _DEBUG:
            print(f"  L{L} mip cols={int(allowed.sum())}/{len(C.col_ent)} status={st} "
                  f"inc={self.inc} lb={self.lb} {time.monotonic() - t_mip:.2f}s", flush=True)
        return st

    # ------------------------------------------------------------------ the steps
    def solve(self, duals: list):
        self.set_cost()
        if not self.generate_columns():
            return self.result(False, None)
        C, sense = self.C, self.sense
        self.cost = -sense * C.cV[self.L]
        self.z = self.h.getInfo().objective_function_value   # minimisation form, all patterns
        duals[:] = [self.z, np.abs(self.y[[r for _, r in self.level_rows]])]
        xl = np.asarray(self.sol.col_value)
        rc = np.asarray(self.sol.col_dual)
        self.lb = math.ceil(self.z - 1e-6)
        bnd = -sense * self.lb
        if _integral(xl):
            x = np.round(xl)
            return True, bnd, int(round(float(C.cV[self.L] @ x))), x
        self.inc = -sense * self.val
        if self.inc <= self.lb:
            return self.result(True, bnd)
        return self.close_gap(xl, rc, bnd)

    def close_gap(self, xl: np.ndarray, rc: np.ndarray, bnd):
        """Steps 0 and 1: MIPs over the LP's support, then the columns within the LP gap."""
        # 0. MIP over the LP's support only (small, near-integral): a good incumbent, fast.  A
        #    tenth of the time: when it is slow it rarely helps (large seed 2 repeats: no better
        #    plan after 3.5-3.9 s with 0.3, where the MIP of step 1 then proved the optimum in
        #    1.8-3.6 s).
        self.mip(xl > 1e-9, 0.1)
        if self.inc <= self.lb:
            return self.result(True, bnd)
        # 1. MIP over the generated columns within the LP gap: reaching the LP bound proves it.
        g = self.lb - self.z
        self.mip((xl > 1e-9) | (rc <= g + 1e-6), 0.5)
        if self.inc <= self.lb:
            return self.result(True, bnd)
        if self.deadline <= time.monotonic() or self.stopper.cancelled or self.gap > 0.0:
            return self.result(False, bnd)
        return self.within_gap(rc, bnd)

    def within_gap(self, rc: np.ndarray, bnd):
        """2. A better solution (value <= inc - 1) uses only patterns with reduced cost <=
        inc-1-z.  The MIP restricted to the patterns within a threshold g proves its optimum v
        once v - 1 - z <= g (every better plan lies inside).  g is an eighth of the gap, then all
        of it: the small set finds a good incumbent fast, which shrinks the full set (large seed
        2 km: gap 133 from 39,573, 133k patterns within it; the optimum is 7.5 above z)."""
        C, y, lam = self.C, self.y, self.lam
        g = (self.inc - 1 - self.z) / 8
        n_allowed = 0                               # size of the last set's MIP (proven optimal)
        while True:
            g = min(g, self.inc - 1 - self.z)
            new, complete = _price(C, lam, y, g + 1e-6, None,
                                   cap=MAX_GAP_PATTERNS - len(C.col_ent), deadline=self.deadline)
            if not complete:
                return self.result(False, bnd)
            ady = C.assessor_dual(y)
            rc_new = [float(lam @ v) - ady[e[0]]
                      - sum(y[C.esrow[u]] for u in e[:1 if len(e) == 1 else 2]) for e, v in new]
            self.add_cols(new)
            self.x = self.grow(self.x)
            rc = np.concatenate([rc, np.array(rc_new)])
            self.cost = -self.sense * C.cV[self.L]
            self.set_cost()
            allowed = rc <= g + 1e-6
            if int(allowed.sum()) > n_allowed:      # (the sets grow: an equal one is solved)
                n_allowed = int(allowed.sum())
                st = self.mip(allowed)
                if st not in (highspy.HighsModelStatus.kOptimal,
                              highspy.HighsModelStatus.kInfeasible):
                    return self.result(False, bnd)
            if self.inc <= self.lb:
                return self.result(True, bnd)
            if self.inc - 1 - self.z <= g + 1e-6:   # nothing better than the incumbent exists
                return True, -self.sense * self.inc, self.val, self.x
            g *= 8


def _solve_level_cg(h, C, L, sense, x, deadline, gap, stopper, level_rows, add_cols, fixed,
                    duals):
    """One level: column generation on the LP, then (if fractional) MIPs restricted by reduced
    costs over a column set proven to hold every pattern within the gap.  fixed: per proven level
    row above, (level, row, sense, value in minimisation form, its LP gap, |duals| of the rows
    above it in its LP).  duals receives (LP value, |duals| of the level rows) once the LP is
    solved.
    Returns (proven, bound (level sense), value, x)."""
    return _Level(h, C, L, sense, x, deadline, gap, stopper, level_rows, add_cols,
                  fixed).solve(duals)
