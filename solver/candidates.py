"""The engines' shared input: candidates (statically eligible assessor x inspection pairs, with
their seats, free days and bounds) and the assignment of concrete days to an assessor's chosen
deployments.  Used by the CP-SAT model, the pair patterns, the warm start and the explanations;
eligibility itself comes from :class:`solver.rules.Pool` (the rules in bulk).
"""
from __future__ import annotations

import contextlib
import gc
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import Any, Iterable, Sequence

import numpy as np

from .domain import Assessor, Deployment, Inspection, Instance, Seat
from .rules import ELIGIBLE, PlanState, Pool, feasible_days, length_bounds, max_deployments

# ----------------------------------------------------------------------------- preparation

@dataclass(slots=True)
class Candidate:
    a: int                      # assessor index
    i: int                      # inspection index
    seats: tuple[tuple[int, int, int], ...]     # (seat index, lo, hi); shared between candidates
    F: int                      # bitmask of feasible (free) day indices
    M: int                      # bitmask of mandatory days
    km: int
    x: Any = None               # CP-SAT variables (set only when that model is built)
    n: Any = None
    z: Any = None

    @property
    def hi(self) -> int:
        return max(h for _, _, h in self.seats)

    @property
    def lo(self) -> int:
        return min(lo for _, lo, _ in self.seats)


@dataclass
class Prepared:
    cands: list[Candidate]
    seat_cap: dict[tuple[int, int], int]        # (inspection, seat) -> remaining count
    k_left: list[int]                           # deployments left per assessor
    budget: list[int]                           # agreement days left per assessor
    pinned_per_assessor: list[int]
    day0: int
    complete: bool = True       # False: the deadline cut the candidate list short
    # (inspection, seat) -> (lo, candidate indices, their assessors), nearest first (then index)
    by_seat: dict[tuple[int, int], tuple[int, np.ndarray, np.ndarray]] = field(
        default_factory=dict)
    pool: Pool | None = None    # the rules in bulk, reused by the explanations


def prepare(instance: Instance, deadline: float | None = None) -> Prepared:
    """The candidates: statically eligible seats (:class:`solver.rules.Pool`, in bulk per
    inspection) less what pinned deployments take (days, places, deployments, agreement days)."""
    assessors, inspections = instance.assessors, instance.inspections
    pool = Pool(instance)
    i_index = {i.id: k for k, i in enumerate(inspections)}
    k = max_deployments(instance)
    k_left = np.full(len(assessors), k, np.int64)
    budget = pool.total.astype(np.int64)
    pinned_n = np.zeros(len(assessors), np.int64)
    pinned = PlanState(pool, instance.pinned)       # the pinned days are no one else's
    seat_cap = {(ii, si): s.count for ii, ins in enumerate(inspections)
                for si, s in enumerate(ins.seats)}
    for p in instance.pinned:
        ai, ii = pool.index[p.assessor], i_index[p.inspection]
        si = next(n for n, s in enumerate(inspections[ii].seats) if s.specialism == p.specialism)
        k_left[ai] -= 1
        budget[ai] -= len(p.days)
        pinned_n[ai] += 1
        seat_cap[(ii, si)] -= 1

    prep = Prepared([], seat_cap, k_left.tolist(), budget.tolist(), pinned_n.tolist(), pool.base,
                     pool=pool)
    with gc_paused():
        prep.complete = _add_candidates(instance, pool, pinned, k_left, budget, prep, deadline)
        # by assessor, then inspection: the engines' input order (their tie-breaks follow it)
        order = np.lexsort((np.array([c.i for c in prep.cands], np.int64),
                            np.array([c.a for c in prep.cands], np.int64)))
        prep.cands = [prep.cands[t] for t in order.tolist()]
    position = np.empty(len(order), np.int64)
    position[order] = np.arange(len(order))
    prep.by_seat = {key: (lo, position[ts], who) for key, (lo, ts, who) in prep.by_seat.items()}
    return prep


@contextlib.contextmanager
def gc_paused():
    """Millions of small acyclic objects: the cyclic collector would re-scan them over and over
    (measured: half the candidate building time at 5,000 x 1,200, and 1-2 s for each full scan
    afterwards).  They are made with the collector off and then left out of its scans
    (``gc.freeze``; reference counting still frees them); :func:`solve` hands them back."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _add_candidates(instance, pool, pinned, k_left, budget, prep, deadline) -> bool:
    """Appends each inspection's candidates; False if the deadline cut the list short."""
    cands, seat_cap = prep.cands, prep.seat_cap
    for ii, ins in enumerate(instance.inspections):
        if deadline is not None and time.monotonic() > deadline:
            return False                # a subset of the candidates still gives valid plans
        v = pool.view(ins)
        free = v.feasible & ~pinned.used[:, v.days]
        n_free = np.count_nonzero(free, axis=1)
        # not on this inspection by a pinned deployment, a deployment left, mandatory days free
        open_ = (k_left > 0) & free[:, np.searchsorted(v.days, v.mandatory)].all(axis=1)
        open_[list(pinned.on.get(ins.id, ()))] = False
        seats = []                      # (seat index, lo, hi per assessor, eligible)
        for si, seat in enumerate(ins.seats):
            if seat_cap[(ii, si)] <= 0:
                continue
            codes, lo, hi = pool.seat_codes(v, seat)
            hi = np.minimum(np.minimum(hi, n_free), budget)
            seats.append((si, lo, hi, open_ & (codes == ELIGIBLE) & (lo <= hi)))
        if not seats:
            continue
        # one key per assessor: which seats (and at what hi) they may take; few distinct keys
        key = np.zeros(len(k_left), np.int64)
        for si, lo, hi, ok in seats:
            key = key * 64 + np.where(ok, hi + 1, 0)
        rows = np.flatnonzero(key)
        if not len(rows):
            continue
        seat_lists: dict[int, tuple] = {}
        for kv in np.unique(key[rows]).tolist():
            entries, rest = [], kv
            for si, lo, _, _ in reversed(seats):
                rest, h = divmod(rest, 64)
                if h:
                    entries.append((si, lo, h - 1))
            seat_lists[kv] = tuple(reversed(entries))
        [M] = pool.masks(v, np.isin(v.days, v.mandatory)[None, :])
        km = pool.km(ins)[rows]
        nearest = np.lexsort((rows, km))
        for si, lo, _, ok in seats:
            at = nearest[ok[rows[nearest]]]
            if len(at):
                prep.by_seat[(ii, si)] = (lo, len(cands) + at, rows[at])
        cands.extend(map(Candidate, rows.tolist(), repeat(ii),
                         [seat_lists[kv] for kv in key[rows].tolist()],
                         pool.masks(v, free[rows]), repeat(M), km.tolist()))
    return True


# ----------------------------------------------------------------------------- days recovery

def assign_days(need: list[tuple[int, int, int]], prefer: Sequence[int] = ()
                 ) -> list[list[int]] | None:
    """Exact assignment of day indices to one assessor's deployments.
    ``need``: (n, F mask, M mask) per deployment, where F excludes other deployments' mandatory
    days as needed.  Mandatory days first, then the ``prefer`` mask's days (per deployment: its
    published days, so a re-plan moves none it need not), then earliest days, augmenting paths for
    the rest.  Returns the chosen day indices per deployment, or None if impossible."""
    owner: dict[int, int] = {}
    chosen: list[list[int]] = [[] for _ in need]
    allm = 0
    for t, (n, F, M) in enumerate(need):
        if M & allm:
            return None
        allm |= M
    avail = []
    for t, (n, F, M) in enumerate(need):
        A = (F & ~allm) | M
        P = prefer[t] if t < len(prefer) else 0
        avail.append(sorted(bits(A), key=lambda b: (not (P >> b) & 1, b)))
        for d in bits(M):
            owner[d] = t
            chosen[t].append(d)

    def augment(t: int, seen: set[int]) -> bool:
        for d in avail[t]:
            if d in seen:
                continue
            seen.add(d)
            u = owner.get(d)
            if u is None:
                owner[d] = t
                chosen[t].append(d)
                return True
            if (need[u][2] >> d) & 1:
                continue            # a mandatory day stays with its deployment
            if augment(u, seen):
                chosen[u].remove(d)
                owner[d] = t
                chosen[t].append(d)
                return True
        return False

    for t, (n, F, M) in enumerate(need):
        while len(chosen[t]) < n:
            if not augment(t, set()):
                return None
    return [sorted(c) for c in chosen]


def bits(m: int) -> Iterable[int]:
    while m:
        low = m & -m
        yield low.bit_length() - 1
        m ^= low



def recover_days(instance: Instance, prep: Prepared, chosen: dict[int, tuple[int, int]],
                  published: dict[tuple[str, str, str], tuple[date, ...]] | None = None
                  ) -> list[Deployment]:
    """The chosen deployments with their days; ``published``: days to keep where possible, by
    (assessor, inspection, specialism)."""
    per: dict[int, list[int]] = defaultdict(list)
    for t in sorted(chosen):
        per[prep.cands[t].a].append(t)
    out: list[Deployment] = []
    for a, ts in per.items():
        need = [(chosen[t][1], prep.cands[t].F, prep.cands[t].M) for t in ts]
        prefer = []
        for t in ts:
            ins = instance.inspections[prep.cands[t].i]
            key = (instance.assessors[a].id, ins.id, ins.seats[chosen[t][0]].specialism)
            prefer.append(sum(1 << (d.toordinal() - prep.day0)
                              for d in (published or {}).get(key, ())
                              if d.toordinal() >= prep.day0))
        days = assign_days(need, prefer)
        if days is None:       # cannot happen: the model enforces Hall's condition
            raise AssertionError(f"day recovery failed for {instance.assessors[a].id}")
        for t, ds in zip(ts, days):
            c = prep.cands[t]
            ins = instance.inspections[c.i]
            si = chosen[t][0]
            out.append(Deployment(instance.assessors[a].id, ins.id, ins.seats[si].specialism,
                                  tuple(date.fromordinal(prep.day0 + d) for d in ds)))
    return out


def shortest_days(instance: Instance, assessor: Assessor, inspection: Inspection, seat: Seat,
                  others: Sequence[Deployment]) -> tuple[date, ...] | None:
    """The shortest allowed deployment next to the assessor's ``others``: every mandatory day,
    then the earliest free allowed days up to the minimum length; None if none fits."""
    used = {d for o in others if o.assessor == assessor.id for d in o.days}
    free = [d for d in feasible_days(instance, assessor, inspection) if d not in used]
    lo, hi = length_bounds(assessor, inspection, seat)
    if lo > hi or any(d not in free for d in inspection.mandatory_days):
        return None
    chosen = set(inspection.mandatory_days)
    for d in free:
        if len(chosen) >= lo:
            break
        chosen.add(d)
    return tuple(sorted(chosen)) if len(chosen) >= lo else None


# ----------------------------------------------------------------------------- preference levels

def candidate_flags(instance: Instance, prep: Prepared, which: str) -> np.ndarray:
    """Per candidate, 1 if its inspection is in the assessor's ``which`` list (``keen`` or
    ``rather_not``): the per-deployment value of that level (spec, "preferences")."""
    wanted = {(a, iid) for a, ass in enumerate(instance.assessors)
              for iid in getattr(ass, which)}
    ids = [i.id for i in instance.inspections]
    return np.fromiter(((c.a, ids[c.i]) in wanted for c in prep.cands), np.float64,
                       len(prep.cands))


def open_partnerships(instance: Instance, prep: Prepared) -> list[int]:
    """Per assessor, the number of their home area among the areas no pinned deployment already
    reaches (the partnerships_reached level's open terms), or -1 (reached, or no area)."""
    reached = {instance.assessor_by_id[p.assessor].home_area for p in instance.pinned}
    number: dict[str, int] = {}
    out = []
    for a in instance.assessors:
        if a.home_area in reached:
            out.append(-1)
        else:
            out.append(number.setdefault(a.home_area, len(number)))
    return out
