"""A fast construction heuristic: the plan every solve starts from (and returns if time runs out).

Works on the prepared candidates of :func:`solver.candidates.prepare`, so every rule check is the
one of :mod:`solver.rules` (static eligibility) plus the engines' day-competition test
(:func:`solver.candidates.assign_days`, exact Hall check) and caps.  Inspections in date order;
each place of a seat goes to the eligible assessor with the fewest deployments so far, then the
nearest, then the lowest index, provided their deployments so far still fit at their minimum
lengths.  Finally each
assessor's days are raised one at a time while they still fit (agreement total, day competition).
Valid for any deployment cap.
"""
from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from .candidates import assign_days


def warm_start(instance, prep, deadline: float | None = None) -> dict[int, tuple[int, int]]:
    """Returns {candidate index: (seat index, days)} - a valid plan for the non-pinned part."""
    cands = prep.cands
    count = np.zeros(len(prep.k_left), np.int64)
    lo_used = [0] * len(prep.k_left)
    mine: dict[int, list[tuple[int, int]]] = defaultdict(list)     # a -> [(t, lo)]
    chosen: dict[int, tuple[int, int]] = {}
    on_insp: set[tuple[int, int]] = set()
    order = sorted(range(len(instance.inspections)),
                   key=lambda i: (instance.inspections[i].days[0] if instance.inspections[i].days
                                  else instance.horizon.start, instance.inspections[i].id))
    for ii in order:
        ins = instance.inspections[ii]
        for si in range(len(ins.seats)):
            opts = prep.by_seat.get((ii, si))
            if opts is None:
                continue
            lo, ts, assessors = opts
            for _ in range(prep.seat_cap[(ii, si)]):
                if deadline is not None and time.monotonic() > deadline:
                    return _raise_days(prep, chosen, mine)
                best = None
                # fewest deployments first; ``opts`` is nearest first, then by index (stable)
                for j in np.argsort(count[assessors], kind="stable").tolist():
                    a, t = int(assessors[j]), int(ts[j])
                    if (a, ii) in on_insp or count[a] >= prep.k_left[a]:
                        continue
                    if lo_used[a] + lo > prep.budget[a]:
                        continue
                    if mine[a]:
                        need = [(n, cands[u].F, cands[u].M) for u, n in mine[a]]
                        need.append((lo, cands[t].F, cands[t].M))
                        if assign_days(need) is None:
                            continue
                    best = (a, t)
                    break
                if best is None:
                    break
                a, t = best
                count[a] += 1
                lo_used[a] += lo
                mine[a].append((t, lo))
                on_insp.add((a, ii))
                chosen[t] = (si, lo)
    return _raise_days(prep, chosen, mine)


def _raise_days(prep, chosen, mine):
    """Raise each assessor's days (to the seat / feasible-day maximum) while they still fit."""
    cands = prep.cands
    for a, lst in mine.items():
        ts = [t for t, _ in lst]
        n = {t: chosen[t][1] for t in ts}
        hi = {t: next(h for s, _, h in cands[t].seats if s == chosen[t][0]) for t in ts}
        left = prep.budget[a] - sum(n.values())
        if len(ts) == 1:
            t = ts[0]
            add = max(0, min(hi[t] - n[t], left))
            n[t] += add
        else:
            progress = True
            while left > 0 and progress:
                progress = False
                for t in ts:
                    if left <= 0 or n[t] >= hi[t]:
                        continue
                    n[t] += 1
                    if assign_days([(n[u], cands[u].F, cands[u].M) for u in ts]) is None:
                        n[t] -= 1
                    else:
                        left -= 1
                        progress = True
        for t in ts:
            chosen[t] = (chosen[t][0], n[t])
    return chosen
