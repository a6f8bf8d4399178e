"""Every pattern enumerated: the set-packing model of :mod:`solver.patterns` for caps above 2.

A *pattern* is a set of an assessor's candidate seats on different inspections that they can work
together (mandatory days apart, Hall's condition for the shortest lengths, the agreement total);
its levels are fixed: seats = its size, days = the most its deployments can hold together (a
maximum flow of days, below), repeats and km.  At most one pattern per assessor and the seat counts
make a set packing whose LP relaxation is tight, so HiGHS proves each level quickly; with every
pattern present no column generation is needed.  Where the patterns would be too many, the
aggregated model (:mod:`solver.aggregate`) is used instead.

Days of a pattern T with available days ``A_t`` (feasible days less the others' mandatory days)
and maximum lengths ``hi_t``: deployments get days from their ``A_t``, one deployment a day, so
the most is ``min(budget, min over S of (sum of hi_t outside S + |union of A_t in S|))`` (a cut of
the bipartite flow), and the shortest lengths fit iff ``sum of lo_t in S <= |union of A_t in S|``
for every S (Hall; mandatory days are their deployment's alone, so they can always be swapped in).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .aggregate import fix_level, keep_of
from .candidates import Prepared, assign_days, candidate_flags, open_partnerships
from .highs import highspy, new_highs, run_within, start_from
from .objective import levels_of

MAX_PATTERNS = 300_000
_MAX_WIDENING = 50.0      # beyond this distance from the LP bound a level is left unproven
_FACE_VERTICES = 8        # LPs for the face's columns (8 at 64-117 x 24: 400-600 columns)


@dataclass
class _Patterns:
    assessor: list[int] = field(default_factory=list)
    entries: list[tuple[tuple[int, int], ...]] = field(default_factory=list)   # (t, si) each
    days: list[int] = field(default_factory=list)


def pattern_days(cands, entries: tuple[tuple[int, int, int, int], ...], budget: int) -> int:
    """The most days of a set of (t, si, lo, hi) deployments of one assessor, or -1 if their
    shortest lengths do not fit together (module doc)."""
    allm = 0
    for t, _, _, _ in entries:
        if cands[t].M & allm:
            return -1
        allm |= cands[t].M
    los = [lo for _, _, lo, _ in entries]
    his = [hi for _, _, _, hi in entries]
    if sum(los) > budget:
        return -1
    avail = [cands[t].F & ~(allm & ~cands[t].M) for t, _, _, _ in entries]
    best = sum(his)
    union = [0] * (1 << len(entries))       # union of avail over the subset (bit mask)
    for s in range(1, 1 << len(entries)):
        low = (s & -s).bit_length() - 1
        union[s] = union[s & (s - 1)] | avail[low]
        size = union[s].bit_count()
        lo_in = hi_out = 0
        for k in range(len(entries)):
            if s >> k & 1:
                lo_in += los[k]
            else:
                hi_out += his[k]
        if lo_in > size:
            return -1                       # Hall: the shortest lengths do not fit
        best = min(best, size + hi_out)
    return min(best, budget)


def _as_words(masks: list[int], width: int) -> np.ndarray:
    """Day bit masks as rows of 64-bit words."""
    n_words = max(1, (width + 63) // 64)
    raw = b"".join(m.to_bytes(8 * n_words, "little") for m in masks)
    return np.frombuffer(raw, np.uint64).reshape(len(masks), n_words)


def _days_in_bulk(F: np.ndarray, M: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  budget: np.ndarray, combos: np.ndarray) -> np.ndarray:
    """pattern_days for many sets of entries at once (rows of ``combos``), -1 where they do not
    fit: the same cut and Hall conditions, on day masks as 64-bit words."""
    m = combos.shape[1]
    ms = [M[combos[:, k]] for k in range(m)]
    allm = ms[0].copy()
    for k in range(1, m):
        allm |= ms[k]
    avail = [F[combos[:, k]] & ~(allm & ~ms[k]) for k in range(m)]
    los, his = lo[combos], hi[combos]
    best = his.sum(axis=1)
    ok = los.sum(axis=1) <= budget
    for subset in range(1, 1 << m):
        inside = [k for k in range(m) if subset >> k & 1]
        union = avail[inside[0]].copy()
        for k in inside[1:]:
            union |= avail[k]
        size = np.bitwise_count(union).sum(axis=1, dtype=np.int64)
        ok &= los[:, inside].sum(axis=1) <= size
        outside = [k for k in range(m) if not subset >> k & 1]
        best = np.minimum(best, size + (his[:, outside].sum(axis=1) if outside else 0))
    return np.where(ok, np.minimum(best, budget), -1)


class _Enumeration:
    """The entries (candidate, seat, lo, hi) of every assessor and the patterns found so far."""

    def __init__(self, prep: Prepared):
        self.prep, cands = prep, prep.cands
        self.entries = [(t, si, lo, hi) for t, c in enumerate(cands) for si, lo, hi in c.seats]
        self.by_a: dict[int, list[int]] = {}
        for e, (t, _, _, _) in enumerate(self.entries):
            self.by_a.setdefault(cands[t].a, []).append(e)
        self.out = _Patterns()
        self.fits: set[tuple[int, int]] = set()

    def add(self, a: int, combo: tuple[int, ...], days: int) -> None:
        self.out.assessor.append(a)
        self.out.entries.append(tuple(self.entries[e][:2] for e in combo))
        self.out.days.append(days)

    def singles_and_pairs(self) -> dict[int, list[tuple[int, ...]]]:
        """Adds every single and pair; returns the pairs by assessor."""
        cands, entries = self.prep.cands, self.entries
        pairs: dict[int, list[tuple[int, ...]]] = {}
        for a, es in self.by_a.items():
            budget = self.prep.budget[a]
            for e in es:
                self.add(a, (e,), min(entries[e][3], budget))
            pairs[a] = []
            if self.prep.k_left[a] < 2:
                continue
            for x, e in enumerate(es):
                for f in es[x + 1:]:
                    if cands[entries[e][0]].i == cands[entries[f][0]].i:
                        continue
                    days = pattern_days(cands, (entries[e], entries[f]), budget)
                    if days >= 0:
                        self.fits.add((e, f))
                        pairs[a].append((e, f))
                        self.add(a, (e, f), days)
        return pairs

    def grown(self, layer: dict[int, list[tuple[int, ...]]], size: int
              ) -> tuple[list[tuple[int, ...]], list[int]]:
        """Sets one larger than ``layer``'s whose every pair fits, and their assessors."""
        sets, owner = [], []
        for a, combos in layer.items():
            if self.prep.k_left[a] < size:
                continue
            for combo in combos:
                for f in self.by_a[a]:
                    if f > combo[-1] and all((e, f) in self.fits for e in combo):
                        sets.append(combo + (f,))
                        owner.append(a)
        return sets, owner


def enumerate_patterns(prep: Prepared, deadline: float | None = None) -> _Patterns | None:
    """Every pattern of every assessor (up to their cap), or None past MAX_PATTERNS/deadline.
    Pairs one by one; larger sets grow only by entries that fit with each member as a pair, and
    get their days in bulk."""
    en = _Enumeration(prep)
    pairs = sum(len(es) * (len(es) - 1) // 2 for a, es in en.by_a.items() if prep.k_left[a] > 1)
    if len(en.entries) + pairs > MAX_PATTERNS:
        return None                     # too many before counting which fit
    layer = en.singles_and_pairs()
    width = max([c.F.bit_length() for c in prep.cands] + [1])
    F = _as_words([prep.cands[t].F for t, _, _, _ in en.entries], width)
    M = _as_words([prep.cands[t].M for t, _, _, _ in en.entries], width)
    lo = np.array([e[2] for e in en.entries], np.int64)
    hi = np.array([e[3] for e in en.entries], np.int64)
    size = 2
    while len(en.out.days) <= MAX_PATTERNS and any(layer.values()):
        size += 1
        sets, owner = en.grown(layer, size)
        if len(en.out.days) + len(sets) > MAX_PATTERNS or (
                deadline is not None and time.monotonic() > deadline):
            return None
        layer = {a: [] for a in layer}
        if not sets:
            break
        budget = np.array([prep.budget[a] for a in owner], np.int64)
        days = _days_in_bulk(F, M, lo, hi, budget, np.array(sets, np.int64))
        for combo, a, d in zip(sets, owner, days.tolist()):
            if d >= 0:
                en.add(a, combo, d)
                layer[a].append(combo)
    return en.out if len(en.out.days) <= MAX_PATTERNS else None


def _levels(instance, prep: Prepared, pats: _Patterns, extras, n_areas: int
            ) -> list[tuple[str, int, np.ndarray]]:
    """(name, sense, value per column) for the extra levels and the instance's: one column per
    pattern, then one per open home area (the partnerships level's, :func:`_area_rows`)."""
    n = len(pats.days)
    size = np.fromiter((len(e) for e in pats.entries), np.float64, n)
    pinned = np.array([prep.pinned_per_assessor[a] > 0 for a in pats.assessor], bool)
    km = np.fromiter((sum(prep.cands[t].km for t, _ in e) for e in pats.entries), np.float64, n)
    values = {"seats_filled": size, "days_deployed": np.array(pats.days, np.float64),
              "repeat_deployments": np.where(pinned, size, size - 1), "travel_km": km,
              "partnerships_reached": np.zeros(n)}
    for which in ("keen", "rather_not"):
        flag = candidate_flags(instance, prep, which)
        values[which] = np.fromiter((sum(flag[t] for t, _ in e) for e in pats.entries),
                                    np.float64, n)
    areas = np.zeros(n_areas)
    out = []
    for ex in extras:
        keep = keep_of(instance, ex)
        kept = np.fromiter((sum((prep.cands[t].a, prep.cands[t].i, si) in keep for t, si in e)
                            for e in pats.entries), np.float64, n)
        out.append((ex.name, +1, np.concatenate([kept, areas])))
    values = {k: np.concatenate([v, areas]) for k, v in values.items()}
    values["partnerships_reached"][n:] = 1.0
    return out + [(lv.name, lv.sense, values[lv.name]) for lv in levels_of(instance)]


def _area_rows(h, instance, prep: Prepared, pats: _Patterns) -> int:
    """With partnerships a level: a column r per home area no pinned deployment reaches, at most
    the patterns of its assessors (``r - sum <= 0``).  Returns their number."""
    if not any(lv.name == "partnerships_reached" for lv in levels_of(instance)):
        return 0
    area = open_partnerships(instance, prep)
    n_areas = max(area) + 1 if area else 0
    n = len(pats.days)
    h.addVars(n_areas, np.zeros(n_areas), np.ones(n_areas))
    h.changeColsIntegrality(n_areas, np.arange(n, n + n_areas, dtype=np.int32),
                            np.full(n_areas, highspy.HighsVarType.kInteger))
    members: dict[int, list[int]] = {k: [] for k in range(n_areas)}
    for p, a in enumerate(pats.assessor):
        if area[a] >= 0:
            members[area[a]].append(p)
    for k, ps in members.items():
        idx = np.array([n + k] + ps, np.int32)
        h.addRow(-highspy.kHighsInf, 0.0, len(idx), idx,
                 np.concatenate([[1.0], -np.ones(len(ps))]))
    return n_areas


def _build(prep: Prepared, pats: _Patterns):
    """HiGHS with one binary per pattern: one pattern per assessor, seat counts."""
    h = new_highs()
    n = len(pats.days)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                            np.full(n, highspy.HighsVarType.kInteger))
    rows: dict[tuple, list[int]] = {}
    for p, (a, entries) in enumerate(zip(pats.assessor, pats.entries)):
        rows.setdefault(("a", a), []).append(p)
        for t, si in entries:
            rows.setdefault(("s", prep.cands[t].i, si), []).append(p)
    for key, ps in rows.items():
        cap = 1 if key[0] == "a" else prep.seat_cap[(key[1], key[2])]
        if len(ps) > cap:
            h.addRow(-highspy.kHighsInf, cap, len(ps), np.array(ps, np.int32), np.ones(len(ps)))
    return h


def build_model(instance, prep: Prepared, pats: _Patterns):
    """The set packing in HiGHS: one binary per pattern, then one per open home area where
    partnerships are a level.  Returns (the model, the number of area columns)."""
    h = _build(prep, pats)
    return h, _area_rows(h, instance, prep, pats)


def warm_solution(prep: Prepared, pats: _Patterns, warm: dict[int, tuple[int, int]], n: int
                  ) -> np.ndarray:
    """The warm start as a solution of the model (``n`` columns): each of its assessors' pattern
    of exactly their warm deployments, the area columns 0 (every row holds:
    tests/solver/test_warm_start.py checks it on the adversarial instances)."""
    per: dict[int, frozenset] = {}
    for t, (si, _) in warm.items():
        per[prep.cands[t].a] = per.get(prep.cands[t].a, frozenset()) | {(t, si)}
    x = np.zeros(n)
    for p, a in enumerate(pats.assessor):
        if a in per and frozenset(pats.entries[p]) == per[a]:
            x[p] = 1.0
    return x


def solve_enumerated(instance, prep: Prepared, pats: _Patterns, deadline: float, gap: float,
                     stopper, extras, warm: dict[int, tuple[int, int]] | None, progress=None,
                     t0: float = 0.0):
    """(chosen {candidate: (seat index, days)}, proven per level, bound per level) of the
    non-pinned part, as :func:`solver.aggregate.solve_aggregate`."""
    if not pats.days:                   # no one can take any seat: the empty plan is optimal
        n_levels = len(levels_of(instance))
        return {}, [True] * n_levels, [0.0] * n_levels
    h, n_areas = build_model(instance, prep, pats)
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("mip_abs_gap", 0.999)
    n_pats = len(pats.days)
    n = n_pats + n_areas
    x = warm_solution(prep, pats, warm or {}, n)
    proven, bounds = [], []
    always = np.arange(n_pats, n)               # the area columns are no patterns
    for name, sense, value in _levels(instance, prep, pats, extras, n_areas):
        pr, bnd, x = _solve_level(h, n, value, sense, x, deadline, gap, stopper, always)
        best = float(value @ x)
        fix_level(h, np.flatnonzero(value).astype(np.int32), value, sense, best, pr)
        proven.append(pr)
        bounds.append(bnd)
        if progress is not None:
            progress(name, best, bnd if bnd is not None else best, time.monotonic() - t0)
    nx = len(extras)
    chosen = _days_of(prep, pats, np.flatnonzero(x[:n_pats] > 0.5).tolist())
    return chosen, (proven[nx:] if all(proven[:nx]) else [False] * (len(proven) - nx)), bounds[nx:]


def _set_integer(h, n: int, columns: np.ndarray) -> None:
    kind = np.full(n, highspy.HighsVarType.kContinuous)
    kind[columns] = highspy.HighsVarType.kInteger
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), kind)


def _solve_level(h, n: int, value: np.ndarray, sense: int, x: np.ndarray, deadline: float,
                 gap: float, stopper, always: np.ndarray):
    """One level: the LP first (an integral LP optimum is proven); otherwise small MIPs that may
    reach the LP bound (:func:`_reach_bound`), then MIPs over the columns
    whose reduced cost allows them in a solution within the gap to the LP bound, widening the gap
    until the MIP's best stays the same (then no column left out can do better).
    Returns (proven, bound, solution)."""
    h.changeColsCost(n, np.arange(n, dtype=np.int32), value)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense > 0 else highspy.ObjSense.kMinimize)
    _set_integer(h, n, np.zeros(0, np.int64))
    # the LP's presolve costs more than it saves here (117 x 24, cap 3: 0.3 s vs 0.5-1.7 s a level)
    h.setOptionValue("presolve", "off")
    if (not run_within(h, deadline, stopper, mip=False)
            or h.getModelStatus() != highspy.HighsModelStatus.kOptimal):
        return False, None, x
    lp = h.getInfo().objective_function_value
    xs = np.asarray(h.getSolution().col_value)
    if np.all(np.minimum(xs, 1 - xs) < 1e-7):
        return True, float(lp), np.round(xs)
    reduced = np.abs(np.asarray(h.getSolution().col_dual))
    target = math.floor(lp + 1e-6) if sense > 0 else math.ceil(lp - 1e-6)
    best = x
    if gap == 0.0:
        face = (xs > 1e-7) | (reduced <= abs(target - lp) + 1e-6)
        face[always] = True
        best = _reach_bound(h, n, value, sense, target, x, xs, face, deadline, stopper, always)
    proven = gap == 0.0 and float(value @ best) == target
    previous = None
    while not proven and time.monotonic() < deadline:
        allowed = (xs > 1e-7) | (best > 0.5) | (reduced <= abs(target - lp) + 1e-6)
        found = _restricted_mip(h, n, allowed, always, best, deadline, stopper)
        if found is None:
            break
        best = found
        got = float(value @ best)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or gap > 0.0:
            break
        if got == target or got == previous:
            proven = True       # the bound reached, or no column left out could do better
            break
        if abs(got - lp) > _MAX_WIDENING:
            break
        previous = target = got     # widen to every column that could reach it, and re-check
    h.changeColsBounds(n, np.arange(n, dtype=np.int32), np.zeros(n), np.ones(n))
    return proven, float(lp), best


def _reach_bound(h, n: int, value: np.ndarray, sense: int, target: int, x: np.ndarray,
                 xs: np.ndarray, face: np.ndarray, deadline: float, stopper, always: np.ndarray
                 ) -> np.ndarray:
    """A solution at the LP's bound (``target``) if small MIPs find one, else the best they found.

    The start (warm, or the last level's) may be there already; else the LP's support and the
    start alone: a MIP quick to presolve that often gets there (117 x 24, cap 3: 0.1 s where the
    MIP over every column of zero reduced cost took 7 s), stopped as soon as its bound shows it
    cannot (64 x 24 seed 4: 0.15 s instead of 3.7 s proving it short); then the columns of a few
    more vertices of the LP optimum's face (:func:`_face_columns`).  Every solution at the bound
    is on that face."""
    best = x
    if float(value @ best) != target:
        found = _restricted_mip(h, n, (xs > 1e-7) | (best > 0.5), always, best, deadline, stopper,
                                reach=(target, sense))
        best = best if found is None else found
    if float(value @ best) != target:
        columns = _face_columns(h, n, value, sense, target, face, deadline, stopper)
        found = _restricted_mip(h, n, columns | (best > 0.5), always, best, deadline, stopper,
                                reach=(target, sense))
        best = best if found is None else found
    return best


def _face_columns(h, n: int, value: np.ndarray, sense: int, target: int, face: np.ndarray,
                  deadline: float, stopper) -> np.ndarray:
    """The columns of a few vertices of the LP solutions at the target (random objectives over
    ``face``: the columns that can be in one, by their reduced cost): a MIP over them often
    reaches the target where the LP's support did not, with a tenth of the columns (64 x 24
    seed 4: 601 of 7,159)."""
    everything = np.arange(n, dtype=np.int32)
    nz = np.flatnonzero(value).astype(np.int32)
    h.addRow(*((target, highspy.kHighsInf) if sense > 0 else (-highspy.kHighsInf, target)),
             len(nz), nz, value[nz])
    h.changeColsBounds(n, everything, np.zeros(n), face.astype(np.float64))
    _set_integer(h, n, np.zeros(0, np.int64))
    h.setOptionValue("presolve", "off")
    out = np.zeros(n, bool)
    rng = np.random.default_rng(0)          # the same vertices every run: the same plan
    for _ in range(_FACE_VERTICES):
        h.changeColsCost(n, everything, rng.random(n))
        if (not run_within(h, deadline, stopper, mip=False)
                or h.getModelStatus() != highspy.HighsModelStatus.kOptimal):
            break
        out |= np.asarray(h.getSolution().col_value) > 1e-7
    h.deleteRows(1, np.array([h.getNumRow() - 1], np.int32))
    h.changeColsCost(n, everything, value)
    return out


def _restricted_mip(h, n: int, allowed: np.ndarray, always: np.ndarray, start: np.ndarray,
                    deadline: float, stopper, reach: tuple[float, int] | None = None
                    ) -> np.ndarray | None:
    """The MIP over the allowed columns (and ``always``'s) from ``start``: its best solution, or
    None when it found none in time.  ``reach`` (target, sense): only solutions at least as good
    as the target count (None when there is none)."""
    allowed = allowed.copy()
    allowed[always] = True
    h.changeColsBounds(n, np.arange(n, dtype=np.int32), np.zeros(n), allowed.astype(np.float64))
    _set_integer(h, n, np.flatnonzero(allowed))
    h.setOptionValue("presolve", "choose")      # the MIPs need it (days at 117 x 24: 14 s without)
    if reach is not None:
        # a cutoff on HiGHS's minimisation: the objective, negated when maximising
        h.setOptionValue("objective_bound", -reach[1] * reach[0] + 0.5)
    start_from(h, start)
    try:
        ran = run_within(h, deadline, stopper, mip=True)
    finally:
        h.setOptionValue("objective_bound", highspy.kHighsInf)
    if not ran or h.getInfo().primal_solution_status != 2:
        return None
    return np.round(np.asarray(h.getSolution().col_value))


def _days_of(prep: Prepared, pats: _Patterns, chosen: list[int]) -> dict[int, tuple[int, int]]:
    """Each chosen pattern's days split among its deployments: the shortest lengths, then one
    more day at a time while the days can still be assigned (augmenting paths reach the most)."""
    out: dict[int, tuple[int, int]] = {}
    for p in chosen:
        entries = pats.entries[p]
        lo_hi = [next((lo, hi) for s, lo, hi in prep.cands[t].seats if s == si)
                 for t, si in entries]
        n = [lo for lo, _ in lo_hi]
        grown = True
        while sum(n) < pats.days[p] and grown:
            grown = False
            for k, (_, hi) in enumerate(lo_hi):
                if sum(n) >= pats.days[p] or n[k] >= hi:
                    continue
                n[k] += 1
                if assign_days([(n[j], prep.cands[t].F, prep.cands[t].M)
                                for j, (t, _) in enumerate(entries)]) is None:
                    n[k] -= 1
                else:
                    grown = True
        for (t, si), days in zip(entries, n):
            out[t] = (si, days)
    return out
