"""Why seats stay empty, who could fill them, and what change would let them.

* :func:`explain_unfilled` — one :class:`~solver.instance.Unfilled` per seat with vacancies:
  ``holders`` (assessors holding the specialism), ``deployed_here`` and, for every other holder,
  the FIRST rule in the spec's order (own_area, employer_conflict, no_agreement, agreement_window,
  agreement_days, unavailable, deployment_cap, busy) that keeps them off, so that
  ``deployed_here + sum(excluded) == holders``.  A holder who could still take the seat (possible
  only in a plan that is not optimal) is counted under ``busy`` and named in a suggestion.  The
  counts ask :func:`solver.rules.why_not`'s question of all holders at once
  (:class:`solver.rules.PlanState`); past a deadline, seats still get their counts.
* Suggestions are concrete changes computed from the data — a longer release, a wider agreement
  window, more total days, one unavailable day, a mandatory day moved, a swap — and each one is
  verified before it is offered: with the change applied, :func:`solver.rules.why_not` says the
  assessor could take the seat.  Work per seat is bounded (the ``MAX_FIX_ATTEMPTS`` most promising
  holders; mandatory-day moves counted in bulk).
* :func:`candidates` — every holder of a seat, the deployable ones first (fewest deployments, then
  nearest), each with every reason that keeps them off.

Every rule question goes to :mod:`solver.rules`; nothing here restates a rule.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterable, Sequence

import numpy as np

from .domain import (
    EXCLUDED_KEYS,
    Agreement,
    Assessor,
    DateRange,
    Deployment,
    Inspection,
    Instance,
    Seat,
    Unfilled,
)
from .geography import travel_km
from .rules import (
    CODES,
    ELIGIBLE,
    PlanState,
    Pool,
    Reason,
    length_bounds,
    max_deployments,
    rule_agreement,
    rule_conflict,
    rule_days,
    rule_double_booking,
    rule_length,
    why_not,
)

MAX_SUGGESTIONS = 6
MAX_FIX_ATTEMPTS = 40  # holders examined for a one-person fix per seat
_TRY_ORDER = ("agreement_days", "unavailable", "busy", "agreement_window", "no_agreement",
              "deployment_cap")
_FIX_ORDER = ("agreement_days", "unavailable", "agreement_total", "agreement_window",
              "no_agreement", "swap")


# ----------------------------------------------------------------------------- suggestions

@dataclass(frozen=True)
class Suggestion:
    """A change that would let ``assessor`` (or ``count`` assessors) take the seat."""

    kind: str  # agreement_days | agreement_total | agreement_window | no_agreement |
    #            unavailable | mandatory_day | swap | free
    text: str
    assessor: str | None = None
    count: int = 1

    def __str__(self) -> str:
        return self.text


def _fmt_day(d: date) -> str:
    return d.isoformat()


def _without_days(ranges: Iterable[DateRange], days: Iterable[date]) -> tuple[DateRange, ...]:
    """Unavailability ranges with the given days cut out."""
    out: list[DateRange] = []
    cut = sorted(set(days))
    for r in ranges:
        pieces = [(r.start, r.end)]
        for d in cut:
            nxt = []
            for a, b in pieces:
                if a <= d <= b:
                    if a < d:
                        nxt.append((a, d - timedelta(days=1)))
                    if d < b:
                        nxt.append((d + timedelta(days=1), b))
                else:
                    nxt.append((a, b))
            pieces = nxt
        out.extend(DateRange(a, b) for a, b in pieces)
    return tuple(out)


def _could(instance: Instance, a: Assessor, ins: Inspection, specialism: str,
           others: Sequence[Deployment]) -> bool:
    return why_not(instance, a, ins, specialism, others) is None


def _fix_for(instance: Instance, a: Assessor, ins: Inspection, specialism: str,
             others: Sequence[Deployment], reason: Reason) -> Suggestion | None:
    """A single, verified change that lets this assessor take the seat, or None."""
    seat = ins.seat(specialism)
    assert seat is not None
    g = a.agreement
    lo, _ = length_bounds(a, ins, seat)
    code = reason.code

    if code == "no_agreement":
        first, last = ins.days[0], ins.days[-1]
        need = max(lo, len(ins.mandatory_days))
        used = sum(len(o.days) for o in others)
        trial = replace(a, agreement=Agreement(first, last, need, used + need))
        if _could(instance, trial, ins, specialism, others):
            return Suggestion("no_agreement", f"ask {a.employer} to agree to release {a.id} for "
                                              f"{need} days between {_fmt_day(first)} and "
                                              f"{_fmt_day(last)}", a.id)
        return None

    if g is None:
        return None

    if code == "agreement_window":
        start = min(g.start, ins.days[0])
        end = max(g.end, ins.days[-1])
        trial = replace(a, agreement=replace(g, start=start, end=end))
        if _could(instance, trial, ins, specialism, others):
            parts = []
            if start < g.start:
                parts.append(f"from {_fmt_day(start)} instead of {_fmt_day(g.start)}")
            if end > g.end:
                parts.append(f"to {_fmt_day(end)} instead of {_fmt_day(g.end)}")
            return Suggestion("agreement_window", f"ask {a.employer} to extend {a.id}'s "
                                                  f"agreement {' and '.join(parts)}", a.id)
        return None

    if code == "agreement_days":
        need = max(lo, len(ins.mandatory_days))
        per = max(g.max_days_per_deployment, need)
        used = sum(len(o.days) for o in others)
        total = max(g.max_days_total, used + need)
        trial = replace(a, agreement=replace(g, max_days_per_deployment=per, max_days_total=total))
        if _could(instance, trial, ins, specialism, others):
            parts = []
            if per != g.max_days_per_deployment:
                parts.append(f"for {per} days per deployment instead of {g.max_days_per_deployment}")
            if total != g.max_days_total:
                parts.append(f"for {total} days in total instead of {g.max_days_total}")
            return Suggestion("agreement_days", f"ask {a.employer} to release {a.id} "
                                                + " and ".join(parts), a.id)
        return None

    if code == "unavailable":
        blocked = [d for d in ins.mandatory_days if a.is_unavailable(d)]
        if not blocked or len(blocked) > 2:
            return None
        trial = replace(a, unavailable=_without_days(a.unavailable, blocked))
        if _could(instance, trial, ins, specialism, others):
            days = " and ".join(_fmt_day(d) for d in blocked)
            word = "day" if len(blocked) == 1 else "days"
            return Suggestion("unavailable", f"{a.id} is unavailable on mandatory {word} {days} "
                                             f"only: ask whether they could make {days}", a.id)
        return None

    if code == "busy":
        # more total days?
        used = sum(len(o.days) for o in others)
        if used + lo > g.max_days_total:
            total = used + lo
            trial = replace(a, agreement=replace(g, max_days_total=total))
            if _could(instance, trial, ins, specialism, others):
                return Suggestion("agreement_total", f"ask {a.employer} to release {a.id} for "
                                                     f"{total} days in total instead of "
                                                     f"{g.max_days_total}", a.id)
    if code in ("busy", "deployment_cap"):
        for o in others:
            rest = [x for x in others if x is not o]
            if _could(instance, a, ins, specialism, rest):
                return Suggestion("swap", f"{a.id} could take this seat instead of their place on "
                                          f"{o.inspection} ({o.specialism})", a.id)
    return None


def _mandatory_day_moves(pool: Pool, plan: PlanState, ins: Inspection, seat: Seat,
                         blocked: np.ndarray) -> list[Suggestion]:
    """For each mandatory day: how many of the ``blocked`` holders could take the seat were it not
    mandatory (made optional or moved)."""
    out = []
    for d in ins.mandatory_days:
        trial = replace(ins, mandatory_days=tuple(x for x in ins.mandatory_days if x != d))
        v = pool.view(trial)
        static, lo, _ = pool.seat_codes(v, seat)
        n = int((blocked & (plan.codes(v, lo, static) == ELIGIBLE)).sum())
        if n:
            word = "assessor" if n == 1 else "assessors"
            out.append(Suggestion("mandatory_day", f"move mandatory day {_fmt_day(d)} (or make it "
                                                   f"optional): {n} more {word} could take this "
                                                   f"seat", None, n))
    out.sort(key=lambda s: -s.count)
    return out


# ----------------------------------------------------------------------------- unfilled seats

def _index(deployments: Sequence[Deployment]) -> dict[str, list[Deployment]]:
    by_assessor: dict[str, list[Deployment]] = defaultdict(list)
    for d in deployments:
        by_assessor[d.assessor].append(d)
    return by_assessor


def explain_seat(instance: Instance, ins: Inspection, specialism: str,
                 deployments: Sequence[Deployment],
                 by_assessor: dict[str, list[Deployment]] | None = None, *,
                 pool: Pool | None = None, plan: PlanState | None = None, suggest: bool = True,
                 ) -> tuple[int, int, dict[str, int], list[Suggestion]]:
    """(holders, deployed_here, excluded counts, verified suggestions) for one seat.  The counts
    are :func:`solver.rules.why_not`'s first reasons, asked of every holder at once
    (:class:`solver.rules.PlanState`); ``suggest=False`` skips the suggestions."""
    if by_assessor is None:
        by_assessor = _index(deployments)
    pool = pool or Pool(instance)
    plan = plan or PlanState(pool, deployments)
    seat = ins.seat(specialism)
    assert seat is not None
    v = pool.view(ins)
    static, lo, _ = pool.seat_codes(v, seat)
    codes = plan.codes(v, lo, static)
    holders = pool.holds.get(specialism, np.zeros(len(codes), bool))
    here = np.zeros(len(codes), bool)
    here[[a for a, sp in plan.on.get(ins.id, {}).items() if sp == specialism]] = True
    here &= holders
    counted = holders & ~here
    n_code = np.bincount(codes[counted], minlength=len(CODES))
    excluded = {k: int(n_code[CODES.index(k)]) for k in EXCLUDED_KEYS}
    excluded["busy"] += int(n_code[ELIGIBLE])   # could take it: only in a plan not optimal
    if not suggest:
        return int(holders.sum()), int(here.sum()), excluded, []

    assessors = instance.assessors
    free = [Suggestion("free", f"{assessors[a].id} is free to take this seat", assessors[a].id)
            for a in np.flatnonzero(counted & (codes == ELIGIBLE))[:2].tolist()]
    # Look for one-person fixes among the most promising holders only (bounded work on large
    # pools): smallest change first, then fewest deployments, then nearest.
    try_rank = np.array([_TRY_ORDER.index(c) if c in _TRY_ORDER else -1 for c in CODES])
    tries = np.flatnonzero(counted & (try_rank[codes] >= 0))
    tries = tries[np.lexsort((pool.id_rank[tries], pool.km(ins)[tries], plan.count[tries],
                              try_rank[codes[tries]]))][:MAX_FIX_ATTEMPTS]
    fixes: list[tuple[tuple, Suggestion]] = []
    for a in tries.tolist():
        holder, others = assessors[a], by_assessor.get(assessors[a].id, [])
        r = why_not(instance, holder, ins, specialism, others)
        assert r is not None
        fix = _fix_for(instance, holder, ins, specialism, others, replace(r, code=CODES[codes[a]]))
        if fix is not None:
            fixes.append(((_FIX_ORDER.index(fix.kind), len(others),
                           travel_km(instance, holder, ins), holder.id), fix))
    fixes.sort(key=lambda t: t[0])
    # Someone free first, then the mandatory-day move that frees most people, then one-person
    # fixes, at most two of a kind.
    suggestions: list[Suggestion] = free
    blocked = counted & np.isin(codes, [CODES.index("unavailable"),
                                        CODES.index("agreement_window")])
    if blocked.sum() > 1:       # a move is offered only when it frees two or more
        moves = _mandatory_day_moves(pool, plan, ins, seat, blocked)
        suggestions += [m for m in moves[:1] if m.count > 1]
    per_kind: Counter[str] = Counter()
    for _, s in fixes:
        if per_kind[s.kind] < 2:
            suggestions.append(s)
            per_kind[s.kind] += 1
    return int(holders.sum()), int(here.sum()), excluded, suggestions[:MAX_SUGGESTIONS]


def explain_unfilled(instance: Instance, deployments: Sequence[Deployment],
                     deadline: float | None = None, pool: Pool | None = None) -> list[Unfilled]:
    """One entry per seat with vacancies (see the module docstring).  Past ``deadline``
    (time.monotonic()) the remaining seats get their counts but no suggestions."""
    by_seat = Counter((d.inspection, d.specialism) for d in deployments)
    by_assessor = _index(deployments)
    pool = pool or Pool(instance)
    plan = PlanState(pool, deployments)
    out: list[Unfilled] = []
    for ins in instance.inspections:
        for seat in ins.seats:
            missing = seat.count - by_seat[(ins.id, seat.specialism)]
            if missing <= 0:
                continue
            suggest = deadline is None or time.monotonic() < deadline
            holders, here, excluded, sugg = explain_seat(instance, ins, seat.specialism,
                                                         deployments, by_assessor, pool=pool,
                                                         plan=plan, suggest=suggest)
            out.append(Unfilled(ins.id, seat.specialism, missing, holders, here, excluded,
                                tuple(s.text for s in sugg)))
    return out


# ----------------------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Candidate:
    """One holder of a seat's specialism and where they stand for it."""

    assessor: str
    name: str
    employer: str
    home_area: str
    status: str  # "deployed_here", "eligible" or the first excluding reason's code
    deployments: int
    km: int
    reasons: tuple[Reason, ...]  # every rule that keeps them off (spec order), empty if none
    suggestion: str | None = None

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"


def all_reasons(instance: Instance, a: Assessor, ins: Inspection, specialism: str,
                others: Sequence[Deployment]) -> list[Reason]:
    """Every rule that keeps ``a`` off the seat, in the spec's order, one reason per code, the
    first being :func:`solver.rules.why_not`'s."""
    first = why_not(instance, a, ins, specialism, others)
    if first is None:
        return []
    seat = ins.seat(specialism)
    assert seat is not None
    found: list[Reason | None] = [first, rule_conflict(instance, a, ins),
                                  rule_conflict(instance, a, ins, after_own_area=True)]
    found.append(rule_agreement(a))
    if a.agreement is not None:
        found += [rule_days(instance, a, ins, seat, part="window"),
                  rule_length(a, ins, seat),
                  rule_days(instance, a, ins, seat, part="available")]
        mine = [o for o in others if o.assessor == a.id]
        if len(mine) >= max_deployments(instance):
            found.append(Reason("deployment_cap", 6, f"{a.id} already has {len(mine)} "
                                f"deployments (maximum {max_deployments(instance)})"))
        found.append(rule_double_booking(instance, a, ins, seat, mine))
    order = {k: n for n, k in enumerate(EXCLUDED_KEYS)}
    seen: dict[str, Reason] = {}
    for r in found:
        if r is None:
            continue
        code = r.code if r.code in order else "busy"
        if code not in seen:
            seen[code] = r
    rest = sorted((r for c, r in seen.items() if r is not first and c != first.code),
                  key=lambda r: order.get(r.code, len(order)))
    return [first] + rest


def candidates(instance: Instance, inspection_id: str, specialism: str,
               deployments: Sequence[Deployment] = ()) -> list[Candidate]:
    """Every holder of ``specialism`` for this inspection's seat: those already on it, then the
    deployable ones (fewest deployments, then nearest), then the rest by their first reason in
    the spec's order, each with all its reasons and, where one exists, a verified fix."""
    ins = instance.inspection_by_id[inspection_id]
    if ins.seat(specialism) is None:
        raise KeyError(f"{inspection_id} has no {specialism} seat")
    by_assessor = _index(deployments)
    order = {k: n for n, k in enumerate(EXCLUDED_KEYS)}
    out: list[tuple[tuple, Candidate]] = []
    for a in instance.assessors:
        if specialism not in a.specialisms:
            continue
        others = by_assessor.get(a.id, [])
        km = travel_km(instance, a, ins)
        if any(o.inspection == ins.id and o.specialism == specialism for o in others):
            c = Candidate(a.id, a.name, a.employer, a.home_area, "deployed_here", len(others), km, ())
            out.append(((0, 0, len(others), km, a.id), c))
            continue
        reasons = all_reasons(instance, a, ins, specialism, others)
        if not reasons:
            c = Candidate(a.id, a.name, a.employer, a.home_area, "eligible", len(others), km, ())
            out.append(((1, 0, len(others), km, a.id), c))
            continue
        code = reasons[0].code if reasons[0].code in order else "busy"
        fix = None
        if code not in ("own_area", "employer_conflict"):
            s = _fix_for(instance, a, ins, specialism, others, replace(reasons[0], code=code))
            fix = s.text if s else None
        c = Candidate(a.id, a.name, a.employer, a.home_area, code, len(others), km,
                      tuple(reasons), fix)
        out.append(((2, order[code], len(others), km, a.id), c))
    out.sort(key=lambda t: t[0])
    return [c for _, c in out]
