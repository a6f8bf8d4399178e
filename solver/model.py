"""Model for the deployment problem, solved lexicographically over the instance's levels (the
four of the spec unless ``policy.objective`` gives others: :mod:`solver.objective`).

Engines: with at most two new deployments per assessor (the default policy) and a manageable number
of deployment pairs, the pattern model of :mod:`solver.patterns` (HiGHS; LP-first, exact) is used.
With a higher cap and HiGHS: every pattern enumerated (:mod:`solver.enumerated`), or the aggregated
model in HiGHS (:mod:`solver.aggregate`).  Otherwise the CP-SAT model below.  Eligibility comes
from :class:`solver.rules.Pool` (the rules in bulk).

What gets a variable
--------------------
* Only eligible (assessor, inspection, seat) triples - decided by :mod:`solver.rules` - get a
  Boolean ``x``.  A pinned deployment is not a variable: its days are taken out of the assessor's
  feasible days, its seat place, deployment and days out of the capacities.
* Days are *aggregated*: each (assessor, inspection) candidate has one integer ``n`` - how many days
  - in ``[lo, min(hi, |feasible days|, remaining agreement days)]``.  Which optional days are
  worked matters only where two candidates of the same assessor have overlapping feasible days.
  For such a pair (i, j), with ``A_i = F_i - M_j`` (the days i may use next to j, since j's
  mandatory days are j's), a pair of deployments exists iff
  ``M_i & M_j = {}``, ``n_i <= |A_i|``, ``n_j <= |A_j|`` and ``n_i + n_j <= |F_i | F_j|``
  (Hall's condition for assigning days to two deployments; mandatory days are exclusive so they
  can always be swapped in).  These constraints are added only where not implied by the bounds.
  With ``max_deployments_per_assessor`` <= 2 this is exact.  With more, Hall's condition for larger
  sets is checked after each solve and violated sets are cut off lazily (``_hall_cuts``), so the
  model stays exact.
* After the solve the concrete days are recovered per assessor by an exact bipartite assignment
  (mandatory days first, then the earliest free allowed days), which exists by Hall's theorem.

Levels are solved lexicographically: each level is fixed at its proven optimum (or, when time
runs out, at the best value found, making the status ``feasible``), the previous solution is given
as a hint, and the next level is solved.  Independent components (no shared assessor or seat) are
solved separately: lexicographic optima of a sum are the sums of the components' optima.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial
from typing import Callable, Sequence

from ortools.sat.python import cp_model

from . import patterns
from .aggregate import solve_aggregate
from .candidates import Candidate, Prepared, open_partnerships, prepare, recover_days
from .check import Violation, check_deployments, pinned_conflicts
from .domain import Deployment, Instance, Plan
from .enumerated import enumerate_patterns, solve_enumerated
from .highs import highspy
from .objective import honest_bounds, levels_of, objective_of
from .warmstart import warm_start

ProgressFn = Callable[[str, float, float, float], None]
_log = logging.getLogger(__name__)

_DEBUG = bool(os.environ.get("SOLVER_DEBUG"))      # phase timings on stderr

# Above this many candidates the CP-SAT model (caps > 2 or no HiGHS) is not built: its build
# cannot be interrupted by the time limit.  The warm start is returned instead (status feasible).
CPSAT_MAX_CANDIDATES = 60_000
# Likewise the aggregated HiGHS model for caps above 2 (built in Python, ~10 s at 60,000).
AGGREGATE_MAX_CANDIDATES = 60_000



@dataclass(frozen=True)
class KeepPublished:
    """Extra top level for re-planning: keep as many previously published deployments as possible
    (same assessor, inspection and specialism).  Reported as ``objective["kept_published"]``.
    A kept deployment keeps its published days wherever its number of days allows (a tie-break in
    the day recovery: no level's value changes)."""
    deployments: tuple[Deployment, ...]
    name: str = "kept_published"


# ----------------------------------------------------------------------------- the solve

class _Stopper:
    """Polls ``cancel`` in a thread and stops the running CP-SAT search."""

    def __init__(self, cancel: Callable[[], bool] | None):
        self.cancel = cancel
        self.solver: cp_model.CpSolver | None = None
        self.highs = None
        self.cancelled = False
        self._done = threading.Event()
        self._thread = None
        if cancel is not None:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            try:
                stop = self.cancel is not None and bool(self.cancel())
            except Exception:
                stop = False
            if stop:
                self.cancelled = True
                s = self.solver
                if s is not None:
                    s.stop_search()
                h = self.highs
                if h is not None:
                    try:
                        h.cancelSolve()
                    except Exception:
                        pass

    def close(self) -> None:
        self._done.set()


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, level: str, fn: ProgressFn | None, t0: float, offset: float):
        super().__init__()
        self.level, self.fn, self.t0, self.offset = level, fn, t0, offset

    def on_solution_callback(self) -> None:
        if self.fn is not None:
            try:
                self.fn(self.level, self.objective_value + self.offset,
                        self.best_objective_bound + self.offset, time.monotonic() - self.t0)
            except Exception:
                pass


def solve(instance: Instance, *, time_limit: float = 60.0, workers: int = 0,
          relative_gap: float = 0.0, progress: ProgressFn | None = None,
          cancel: Callable[[], bool] | None = None,
          extra_levels: Sequence[KeepPublished] | None = None, seed: int = 0,
          log: bool = False) -> Plan:
    """Solve the instance; always returns a Plan (never raises for a valid Instance).

    ``time_limit`` (s) covers all levels; ``workers`` CP-SAT threads (0: all cores, at most 8);
    ``relative_gap`` is accepted per level (0: prove optimality); ``progress(level, objective,
    bound, elapsed)`` is called on each improving solution; ``cancel()`` returning True stops
    the search, keeping the best valid plan found; ``extra_levels`` (e.g. KeepPublished) are
    optimised above the four levels of the spec; ``log`` prints CP-SAT's search log."""
    try:
        return _solve(instance, time_limit, workers, relative_gap, progress, cancel,
                      extra_levels, seed, log)
    finally:
        # the candidates (gc.freeze in prepare) went with _solve's frame; what is left is the
        # collector's again
        gc.unfreeze()


def _solve(instance, time_limit, workers, relative_gap, progress, cancel, extra_levels, seed,
           log) -> Plan:
    from .explain import explain_unfilled

    t0 = time.monotonic()
    conflicts = pinned_conflicts(instance)
    if conflicts:
        return Plan("infeasible", None, None, time.monotonic() - t0, (), ())
    if workers <= 0:
        workers = max(1, min(8, os.cpu_count() or 1))

    # Post-processing (day recovery, the never-worse-than-warm-start comparison, explanations of
    # unfilled seats) runs after the engines, so the engines get the limit less a reserve; the
    # explanations' suggestions stop a quarter into it (their counts are quick: ~2 ms a seat at
    # 5,000 assessors), and the whole solve stays within time_limit, with room left for a caller
    # such as the command line (load, check, save: ~2 s at 5,000 x 1,200).
    reserve = min(0.15 * time_limit, 5.0)
    engine_limit = max(0.0, time_limit - reserve)
    deadline = t0 + engine_limit
    # preparation gets at most 60 % of the limit; the warm start and solve use the rest
    prep = prepare(instance, t0 + 0.6 * engine_limit)
    _debug(t0, f"prepared {len(prep.cands)} candidates (complete: {prep.complete})")
    stopper = _Stopper(cancel)
    try:
        warm = warm_start(instance, prep, deadline)
        _debug(t0, f"warm start: {len(warm)} deployments")
        chosen, proven, bound = _solve_prepared(
            instance, prep, t0, engine_limit, workers, relative_gap, progress, stopper,
            list(extra_levels or ()), seed, log, warm)
        _debug(t0, f"engine: {len(chosen)} deployments, proven {proven}")
    finally:
        stopper.close()
    if not prep.complete:
        proven = [False] * len(proven)
        bound = [None] * len(bound)

    deployments, proven, bound = _checked(instance, prep, chosen, warm, proven, bound,
                                          extra_levels or ())
    obj = objective_of(instance, deployments)
    for ex in extra_levels or ():
        obj[ex.name] = _kept(ex, deployments)
    status = "optimal" if all(proven) else "feasible"
    bnd = honest_bounds(instance, obj, proven, bound)
    _debug(t0, "days recovered")
    unfilled = explain_unfilled(instance, deployments, deadline + reserve / 4, prep.pool)
    _debug(t0, f"{len(unfilled)} unfilled seats explained")
    return Plan(status, obj, bnd, round(time.monotonic() - t0, 3), tuple(deployments),
                tuple(unfilled))


def _checked(instance, prep, chosen, warm, proven, bound, extra_levels):
    """The engine's deployments (pinned ones included) if they keep every hard rule; otherwise,
    logged as an error, the warm start's (valid by construction), with nothing proven and none of
    the engine's bounds: a plan that fails its check never leaves the solver."""
    published = {(d.assessor, d.inspection, d.specialism): d.days
                 for ex in extra_levels for d in ex.deployments}
    try:
        deployments = list(instance.pinned) + recover_days(instance, prep, chosen, published)
        violations = check_deployments(instance, deployments)
    except AssertionError as exc:       # day recovery found no days: the engine was wrong
        violations = [Violation((), 4, str(exc))]
    if violations:
        _log.error("the engine's plan breaks %d hard rule(s), first: %s; returning the warm "
                   "start instead", len(violations), violations[0])
        deployments = list(instance.pinned) + recover_days(instance, prep, warm or {}, published)
        proven, bound = [False] * len(proven), [None] * len(bound)
    deployments.sort(key=lambda d: (d.inspection, d.specialism, d.assessor))
    return deployments, proven, bound


def _kept(ex: KeepPublished, deployments: Sequence[Deployment]) -> int:
    """How many of the previously published deployments the plan keeps (the extra level)."""
    keep = {(d.assessor, d.inspection, d.specialism) for d in ex.deployments}
    return sum(1 for d in deployments if (d.assessor, d.inspection, d.specialism) in keep)


def _debug(t0: float, what: str) -> None:
    if _DEBUG:
        print(f"[solver {time.monotonic() - t0:7.2f} s] {what}", file=sys.stderr, flush=True)


def _components(prep: Prepared) -> list[list[int]]:
    """Candidate indices grouped into independent components (union-find over assessors and
    seats; pair constraints stay within an assessor)."""
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in prep.cands:
        ra = find(("a", c.a))
        for si, _, _ in c.seats:
            rs = find(("s", c.i, si))
            if ra != rs:
                parent[rs] = ra
    groups: dict = defaultdict(list)
    for t, c in enumerate(prep.cands):
        groups[find(("a", c.a))].append(t)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _lex_key(instance, prep, chosen, extras):
    """Lexicographic key (smaller is better) of a solution of the non-pinned part."""
    deps = list(instance.pinned) + recover_days(instance, prep, chosen)
    o = objective_of(instance, deps)
    return [-_kept(ex, deps) for ex in extras] + [-level.sense * o[level.name]
                                                  for level in levels_of(instance)]


def _solve_prepared(instance, prep, t0, time_limit, workers, gap, progress, stopper,
                    extras, seed, log=False, warm=None):
    """The engine's result, or the warm start when that is lexicographically better (time out):
    never worse than the warm start."""
    chosen, proven, bound, ran = _solve_engine(instance, prep, t0, time_limit, workers, gap,
                                               progress, stopper, extras, seed, log, warm)
    if not ran or (warm and _lex_key(instance, prep, warm, extras)
                   < _lex_key(instance, prep, chosen, extras)):
        # bounds stay valid (they bound every plan); nothing is proven for this plan
        return dict(warm or {}), [False] * len(proven), bound
    return chosen, proven, bound


def _solve_engine(instance, prep, t0, time_limit, workers, gap, progress, stopper,
                  extras, seed, log=False, warm=None):
    """Returns (chosen: {cand index: (seat index, n)}, proven per level, bound per level, whether
    an engine ran)."""
    const = objective_of(instance, list(instance.pinned))
    levels = levels_of(instance)
    nothing: tuple[list[bool], list[float | None]] = ([False] * len(levels), [None] * len(levels))
    if time.monotonic() > t0 + time_limit:
        # no time left for any engine (e.g. preparation of a very large instance): warm start
        return dict(warm or {}), *nothing, False
    if patterns.available(prep):
        chosen, proven, bnd, _ = patterns.solve_patterns(
            instance, prep, t0 + time_limit, workers, gap, progress, stopper, extras, t0,
            warm=warm)
        bound = [None if b is None else b + const[lv.name] for b, lv in zip(bnd, levels)]
        return chosen, proven, bound, True
    if highspy is not None:
        return _solve_with_highs(instance, prep, t0, time_limit, workers, gap, progress, stopper,
                                 extras, warm, const)
    if len(prep.cands) > CPSAT_MAX_CANDIDATES:
        # the CP-SAT model build is not interruptible: too big to finish, keep the warm start
        return dict(warm or {}), *nothing, False
    return _solve_cpsat(instance, prep, t0, time_limit, workers, gap, progress, stopper, extras,
                        seed, log, const)


def _solve_cpsat(instance, prep, t0, time_limit, workers, gap, progress, stopper, extras, seed,
                 log, const):
    """The CP-SAT model, component by component (module doc); in one piece when partnerships are
    a level (an area's assessors may lie in several components: the level is no sum over them)."""
    levels = levels_of(instance)
    if any(lv.name == "partnerships_reached" for lv in levels):
        comps = [list(range(len(prep.cands)))] if prep.cands else []
    else:
        comps = _components(prep)
    total = max(1, sum(len(g) for g in comps))
    chosen: dict[int, tuple[int, int]] = {}
    proven = [True] * len(levels)
    # constant parts of the objective and bounds: the pinned deployments
    bound: list[float | None] = [float(const[lv.name]) for lv in levels]
    done = 0
    for g in comps:
        remaining = max(0.0, time_limit - (time.monotonic() - t0))
        share = remaining * len(g) / max(1, total - done)
        done += len(g)
        c_chosen, c_proven, c_bound = _solve_component(
            instance, prep, [prep.cands[t] for t in g], t0, share, workers, gap, progress,
            stopper, extras, seed, log)
        chosen.update({g[t]: v for t, v in c_chosen.items()})
        for L in range(len(levels)):
            proven[L] = proven[L] and c_proven[L]
            b, cb = bound[L], c_bound[L]
            bound[L] = None if b is None or cb is None else b + cb
    return chosen, proven, bound, True


def _solve_with_highs(instance, prep, t0, time_limit, workers, gap, progress, stopper, extras,
                      warm, const):
    """Caps above 2 with HiGHS: every pattern when they are few enough, else the aggregated
    model, else (too large to build in time) the pair-pattern model with each assessor held to two
    new deployments: a valid plan, nothing proven."""
    deadline = t0 + time_limit
    pats = enumerate_patterns(prep, deadline)
    engine: Callable
    if pats is not None:
        engine = partial(solve_enumerated, pats=pats)
    elif len(prep.cands) <= AGGREGATE_MAX_CANDIDATES:
        engine = solve_aggregate
    else:
        two = replace(prep, k_left=[min(k, 2) for k in prep.k_left])
        chosen, _, _, _ = patterns.solve_patterns(instance, two, deadline, workers, gap, progress,
                                                  stopper, extras, t0, warm=None)
        n = len(levels_of(instance))
        return chosen, [False] * n, [None] * n, True
    chosen, proven, bnd = engine(instance, prep, deadline=deadline, gap=gap, stopper=stopper,
                                 extras=extras, warm=warm, progress=progress, t0=t0)
    bound = [None if b is None else b + const[lv.name] for b, lv in zip(bnd, levels_of(instance))]
    return chosen, proven, bound, True


def _solve_component(instance, prep: Prepared, cands: list[Candidate], t0, time_limit, workers,
                     gap, progress, stopper: _Stopper, extras, seed, log=False):
    m = cp_model.CpModel()
    by_assessor = _cpsat_variables(m, prep, cands)
    used_vars, repeat_terms = _cpsat_assessor_rows(m, prep, cands, by_assessor)
    levels = _cpsat_levels(m, instance, prep, cands, extras, repeat_terms)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = workers
    p.random_seed = seed
    p.relative_gap_limit = gap
    p.log_search_progress = log
    p.linearization_level = 2
    stopper.solver = solver
    for c in cands:
        for x in c.x:
            m.add_hint(x, 0)
        m.add_hint(c.n, 0)
    for u in used_vars.values():
        m.add_hint(u, 0)
    values: dict[int, tuple[int, int]] = {}     # empty plan is always valid
    proven_all: list[bool] = []
    bounds_all: list[float | None] = []
    for name, sense, expr in levels:
        if isinstance(expr, int):
            proven_all.append(True)
            bounds_all.append(float(expr))
            continue
        pr, bnd, value, values = _cpsat_level(m, solver, instance, prep, cands, used_vars, name,
                                              sense, expr, values, t0 + time_limit, gap,
                                              progress, stopper, t0)
        proven_all.append(pr)
        bounds_all.append(bnd)
        if pr:
            m.add(expr == value)
        elif sense > 0:
            m.add(expr >= value)
        else:
            m.add(expr <= value)
    stopper.solver = None
    nx = len(extras)
    proven_own = proven_all[nx:]
    if nx and not all(proven_all[:nx]):
        proven_own = [False] * len(proven_own)
    return values, proven_own, bounds_all[nx:]


def _cpsat_variables(m: cp_model.CpModel, prep: Prepared, cands: list[Candidate]
                     ) -> dict[int, list[int]]:
    """x per candidate seat, n (days) per candidate, and the seat counts; the candidates by
    assessor."""
    by_assessor: dict[int, list[int]] = defaultdict(list)
    by_seat: dict[tuple[int, int], list] = defaultdict(list)
    for t, c in enumerate(cands):
        by_assessor[c.a].append(t)
        c.x = [m.new_bool_var(f"x{c.a}_{c.i}_{si}") for si, _, _ in c.seats]
        c.n = m.new_int_var(0, c.hi, f"n{c.a}_{c.i}")
        if len(c.x) == 1:
            c.z = c.x[0]
        else:
            m.add(sum(c.x) <= 1)
            c.z = sum(c.x)
        m.add(c.n >= sum(lo * x for (_, lo, _), x in zip(c.seats, c.x)))
        m.add(c.n <= sum(hi * x for (_, _, hi), x in zip(c.seats, c.x)))
        for (si, _, _), x in zip(c.seats, c.x):
            by_seat[(c.i, si)].append(x)
    for key, xs in by_seat.items():
        if len(xs) > prep.seat_cap[key]:
            m.add(sum(xs) <= prep.seat_cap[key])
    return by_assessor


def _cpsat_assessor_rows(m: cp_model.CpModel, prep: Prepared, cands: list[Candidate],
                         by_assessor: dict[int, list[int]]) -> tuple[dict, list]:
    """Caps, agreement days, repeats and the pair constraints of each assessor; returns the
    'used' variables and the repeat terms."""
    used_vars = {}
    repeat_terms: list = []
    for a, ts in by_assessor.items():
        kl = prep.k_left[a]
        if len(ts) > kl:
            m.add(sum(cands[t].z for t in ts) <= kl)
        if sum(cands[t].hi for t in ts) > prep.budget[a]:
            m.add(sum(cands[t].n for t in ts) <= prep.budget[a])
        # Redundant linking for the LP relaxation: presolve turns n <= hi*x into enforced
        # constraints that the LP does not see; an aggregated copy keeps the days bound tight.
        if len(ts) > 1:
            m.add(sum(cands[t].n for t in ts)
                  <= sum(hi * x for t in ts for (_, _, hi), x in zip(cands[t].seats, cands[t].x)))
        if prep.pinned_per_assessor[a] > 0:
            repeat_terms.extend(cands[t].z for t in ts)
        elif len(ts) >= 2 and kl >= 2:
            u = m.new_bool_var(f"used{a}")
            used_vars[a] = u
            m.add(u <= sum(cands[t].z for t in ts))
            repeat_terms.extend(cands[t].z for t in ts)
            repeat_terms.append(-u)
            # Days need repeats: with one deployment an assessor works at most H1 days, each
            # further one adds at most B - H1.  Valid for any cap; it ties the days level to the
            # repeats level in the LP relaxation (measured: national level 3 proven, 24 s vs never).
            B = prep.budget[a]
            H1 = min(B, max(cands[t].hi for t in ts))
            deg = sum(cands[t].z for t in ts)
            m.add(sum(cands[t].n for t in ts) <= H1 * u + (B - H1) * (deg - u))
        if kl >= 2 and len(ts) >= 2:
            _pair_constraints(m, [cands[t] for t in ts])
    if used_vars:
        # Redundant for the LP (presolve makes clauses of u <= sum z): repeats >= 0.
        m.add(sum(used_vars.values())
              <= sum(cands[t].z for a in used_vars for t in by_assessor[a]))
    return used_vars, repeat_terms


def _cpsat_levels(m: cp_model.CpModel, instance, prep: Prepared, cands: list[Candidate], extras,
                  repeat_terms: list) -> list:
    """(name, sense, expression) of the extra levels and the instance's levels in its order."""
    levels = []
    for ex in extras:
        keep = {(d.assessor, d.inspection, d.specialism) for d in ex.deployments}
        terms = []
        for c in cands:
            aid = instance.assessors[c.a].id
            iid = instance.inspections[c.i].id
            for (si, _, _), x in zip(c.seats, c.x):
                if (aid, iid, instance.inspections[c.i].seats[si].specialism) in keep:
                    terms.append(x)
        levels.append((ex.name, +1, sum(terms) if terms else 0))
    expr = {"seats_filled": lambda: sum(c.z for c in cands),
            "days_deployed": lambda: sum(c.n for c in cands),
            "repeat_deployments": lambda: sum(repeat_terms) if repeat_terms else 0,
            "travel_km": lambda: sum(c.km * c.z for c in cands),
            "keen": lambda: _preferred(instance, cands, "keen"),
            "rather_not": lambda: _preferred(instance, cands, "rather_not"),
            "partnerships_reached": lambda: _partnerships(m, instance, prep, cands)}
    return levels + [(lv.name, lv.sense, expr[lv.name]()) for lv in levels_of(instance)]


def _preferred(instance, cands: list[Candidate], which: str):
    """The deployments on inspections in their assessor's ``which`` list (keen, rather_not)."""
    terms = [c.z for c in cands
             if instance.inspections[c.i].id in getattr(instance.assessors[c.a], which)]
    return sum(terms) if terms else 0


def _partnerships(m: cp_model.CpModel, instance, prep: Prepared, cands: list[Candidate]):
    """A Boolean per home area not reached by a pinned deployment, at most the deployments of
    its assessors: their sum is the level (pinned ones are the caller's constant)."""
    area = open_partnerships(instance, prep)
    by_area: dict[int, list] = defaultdict(list)
    for c in cands:
        if area[c.a] >= 0:
            by_area[area[c.a]].append(c.z)
    reached = []
    for h, zs in by_area.items():
        r = m.new_bool_var(f"area{h}")
        m.add(r <= sum(zs))
        reached.append(r)
    return sum(reached) if reached else 0


def _cpsat_level(m, solver, instance, prep, cands, used_vars, name, sense, expr, values,
                 deadline, gap, progress, stopper, t0):
    """One level, re-solved while Hall's condition is broken; returns (proven, bound, value,
    solution)."""
    if sense > 0:
        m.maximize(expr)
    else:
        m.minimize(expr)
    while True:
        p = solver.parameters
        p.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        if stopper.cancelled:
            p.max_time_in_seconds = 0.001
        status = solver.solve(m, _Progress(name, progress, t0, 0.0))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # no solution at this level (time out or cancel): keep the previous one
            return False, None, _evaluate(name, values, cands, instance, prep), values
        new_values = {t: (c.seats[next(k for k, x in enumerate(c.x)
                                       if solver.value(x))][0], solver.value(c.n))
                      for t, c in enumerate(cands) if solver.value(c.z)}
        cuts = _hall_cuts(m, prep, cands, new_values)
        if cuts and not stopper.cancelled and time.monotonic() < deadline:
            continue        # re-solve this level with the violated sets cut off
        if not cuts:
            values = new_values
            _set_hint(m, solver, cands, used_vars)
        value = int(round(solver.objective_value))
        pr = status == cp_model.OPTIMAL and gap == 0.0 and not cuts
        return pr, solver.best_objective_bound, value, values


def _evaluate(name, values, cands, instance, prep) -> int:
    if name == "seats_filled":
        return len(values)
    if name == "days_deployed":
        return sum(n for _, n in values.values())
    if name == "travel_km":
        return sum(cands[t].km for t in values)
    if name in ("keen", "rather_not"):
        return sum(instance.inspections[cands[t].i].id in getattr(instance.assessors[cands[t].a],
                                                                     name) for t in values)
    if name == "partnerships_reached":
        area = open_partnerships(instance, prep)
        return len({area[cands[t].a] for t in values} - {-1})
    if name == "repeat_deployments":
        per: dict[int, int] = defaultdict(int)
        for t in values:
            per[cands[t].a] += 1
        pin = prep.pinned_per_assessor
        return sum(max(0, n + pin[a] - 1) - max(0, pin[a] - 1)
                   for a, n in per.items())
    return 0


def _set_hint(m: cp_model.CpModel, solver: cp_model.CpSolver, cands, used_vars) -> None:
    m.clear_hints()
    for c in cands:
        for x in c.x:
            m.add_hint(x, solver.value(x))
        m.add_hint(c.n, solver.value(c.n))
    for u in used_vars.values():
        m.add_hint(u, solver.value(u))


def _pair_constraints(m: cp_model.CpModel, cs: list[Candidate]) -> None:
    """Day-competition constraints between one assessor's candidates (see module doc)."""
    order = sorted(range(len(cs)), key=lambda t: cs[t].F & -cs[t].F)
    tops = [cs[t].F.bit_length() for t in order]
    for p, t1 in enumerate(order):
        c1 = cs[t1]
        top1 = tops[p]
        for q in range(p + 1, len(order)):
            c2 = cs[order[q]]
            if (c2.F & -c2.F).bit_length() > top1:
                break               # sorted by first day: no later candidate overlaps c1
            if not c1.F & c2.F:
                continue
            if c1.M & c2.M:
                m.add(c1.z + c2.z <= 1)
                continue
            A1 = (c1.F & ~c2.M).bit_count()
            A2 = (c2.F & ~c1.M).bit_count()
            U = (c1.F | c2.F).bit_count()
            if A1 < c1.lo or A2 < c2.lo or c1.lo + c2.lo > U:
                m.add(c1.z + c2.z <= 1)
                continue
            if c1.hi > A1:
                m.add(c1.n <= A1 + (c1.hi - A1) * (1 - c2.z))
            if c2.hi > A2:
                m.add(c2.n <= A2 + (c2.hi - A2) * (1 - c1.z))
            if c1.hi + c2.hi > U:
                m.add(c1.n + c2.n <= U)


def _hall_cuts(m: cp_model.CpModel, prep: Prepared, cands: list[Candidate],
               values: dict[int, tuple[int, int]]) -> int:
    """For assessors with 3+ chosen deployments, check Hall's condition on every subset and cut
    off violations: if all of C are chosen then sum(n_t, t in T) <= |union of A_t|."""
    per: dict[int, list[int]] = defaultdict(list)
    for t in values:
        per[cands[t].a].append(t)
    cuts = 0
    for a, ts in per.items():
        if len(ts) < 3:
            continue
        allm = 0
        for t in ts:
            allm |= cands[t].M
        A = {t: (cands[t].F & ~(allm & ~cands[t].M)) for t in ts}
        for r in range(1, 1 << len(ts)):
            T = [ts[b] for b in range(len(ts)) if r >> b & 1]
            union = 0
            for t in T:
                union |= A[t]
            cap = union.bit_count()
            if sum(values[t][1] for t in T) > cap:
                big = sum(cands[t].hi for t in T)
                m.add(sum(cands[t].n for t in T)
                      <= cap + big * (len(ts) - sum(cands[t].z for t in ts)))
                cuts += 1
    return cuts
