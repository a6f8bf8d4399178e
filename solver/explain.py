"""Why seats stay empty, who could fill them, and what change would let them.

* :func:`explain_seat` — for one seat: ``holders`` (assessors holding the specialism),
  ``deployed_here``, ``could_take`` (holders no rule keeps off it: possible only in a plan that is
  not optimal, or on a full seat) and, for every other holder, the FIRST rule in the spec's order
  (own_area, employer_conflict, no_agreement, agreement_window, agreement_days, unavailable,
  deployment_cap, busy) that keeps them off, so that ``deployed_here + could_take +
  sum(excluded) == holders``, and ``could_take`` is the number of :func:`candidates` marked
  ``eligible``.  The counts ask :func:`solver.rules.why_not`'s question of all holders at once
  (:class:`solver.rules.PlanState`).
* :func:`explain_unfilled` — one :class:`~solver.domain.Unfilled` per seat with vacancies (the
  plan format has no ``could_take`` key: such holders are counted under ``busy`` there, and named
  in a suggestion).
* Suggestions are concrete changes computed from the data — a longer release, a wider agreement
  window, more total days, one unavailable day, a mandatory day made optional, a swap — offered
  only for a seat with a vacancy, and each one is verified by applying it: the assessor's shortest
  allowed deployment on the seat is added to the plan (less the place a swap gives up) and the
  plan's deployments that the change touches are re-checked by :func:`solver.check.
  check_deployments`.  A swap never gives up a pinned deployment (rule 7).  Work per seat is
  bounded (the ``MAX_FIX_ATTEMPTS`` most promising holders; mandatory-day changes counted in bulk).
* :func:`candidates` — every holder of a seat, the deployable ones first (fewest deployments, then
  nearest), each with every reason that keeps them off.

Every rule question goes to :mod:`solver.rules`; every sentence names people as "Name (REF)",
areas by name and dates in words (:mod:`solver.wording`).
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable, Iterable, Sequence

import numpy as np

from . import wording
from .candidates import shortest_days
from .check import check_deployments
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
    policy_cap,
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


@dataclass(frozen=True)
class _Seat:
    """One seat in one plan: what a suggestion is verified against."""

    instance: Instance
    ins: Inspection
    seat: Seat
    by_assessor: dict[str, list[Deployment]]
    members: tuple[Deployment, ...]         # the plan's deployments on this seat
    pinned: frozenset[Deployment]

    @property
    def specialism(self) -> str:
        return self.seat.specialism

    def others(self, a: Assessor) -> list[Deployment]:
        return self.by_assessor.get(a.id, [])

    def applies(self, trial: Assessor, drop: Deployment | None = None) -> bool:
        """With ``trial`` (the assessor as the change leaves them) and without ``drop`` (the place
        a swap gives up), the assessor's shortest deployment on this seat joins the plan and
        every rule still holds for the deployments it touches."""
        if drop is not None and drop in self.pinned:
            return False                        # rule 7: a pinned deployment stays
        others = [d for d in self.others(trial) if d is not drop]
        if why_not(self.instance, trial, self.ins, self.specialism, others) is not None:
            return False
        days = shortest_days(self.instance, trial, self.ins, self.seat, others)
        if days is None:
            return False
        new = Deployment(trial.id, self.ins.id, self.specialism, days)
        members = [d for d in self.members if d.assessor != trial.id]
        people = {trial.id: trial} | {d.assessor: self.instance.assessor_by_id[d.assessor]
                                      for d in members}
        local = replace(self.instance, assessors=tuple(people.values()), pinned=())
        for known in ("inspection_by_id", "area_by_id"):        # the same: not rebuilt per check
            local.__dict__[known] = getattr(self.instance, known)
        return not check_deployments(local, others + [new] + members, require_pinned=False)


def _without_days(ranges: Iterable[DateRange], days: Iterable[date]
                  ) -> tuple[DateRange, ...]:
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


def _fix_no_agreement(s: _Seat, a: Assessor) -> Suggestion | None:
    first, last = s.ins.days[0], s.ins.days[-1]
    need = length_bounds(a, s.ins, s.seat)[0]
    used = sum(len(o.days) for o in s.others(a))
    if not s.applies(replace(a, agreement=Agreement(first, last, need, used + need))):
        return None
    return Suggestion("no_agreement", f"ask {a.employer} to agree to release "
                                      f"{wording.person(a)} for {need} days between "
                                      f"{wording.day(first)} and {wording.day(last)}", a.id)


def _fix_window(s: _Seat, a: Assessor) -> Suggestion | None:
    g = a.agreement
    assert g is not None
    start, end = min(g.start, s.ins.days[0]), max(g.end, s.ins.days[-1])
    if not s.applies(replace(a, agreement=replace(g, start=start, end=end))):
        return None
    parts = []
    if start < g.start:
        parts.append(f"from {wording.day(start)} instead of {wording.day(g.start)}")
    if end > g.end:
        parts.append(f"to {wording.day(end)} instead of {wording.day(g.end)}")
    return Suggestion("agreement_window", f"ask {a.employer} to extend {wording.person(a)}'s "
                                          f"agreement {' and '.join(parts)}", a.id)


def _fix_agreement_days(s: _Seat, a: Assessor) -> Suggestion | None:
    g = a.agreement
    assert g is not None
    need = length_bounds(a, s.ins, s.seat)[0]
    per = max(g.max_days_per_deployment, need)
    total = max(g.max_days_total, sum(len(o.days) for o in s.others(a)) + need)
    if not s.applies(replace(a, agreement=replace(g, max_days_per_deployment=per,
                                                  max_days_total=total))):
        return None
    parts = []
    if per != g.max_days_per_deployment:
        parts.append(f"for {per} days per deployment instead of {g.max_days_per_deployment}")
    if total != g.max_days_total:
        parts.append(f"for {total} days in total instead of {g.max_days_total}")
    return Suggestion("agreement_days", f"ask {a.employer} to release {wording.person(a)} "
                                        + " and ".join(parts), a.id)


def _fix_unavailable(s: _Seat, a: Assessor) -> Suggestion | None:
    blocked = [d for d in s.ins.mandatory_days if a.is_unavailable(d)]
    if not blocked or len(blocked) > 2:
        return None
    if not s.applies(replace(a, unavailable=_without_days(a.unavailable, blocked))):
        return None
    days = wording.days(blocked)
    word = "day" if len(blocked) == 1 else "days"
    return Suggestion("unavailable", f"{wording.person(a)} is unavailable on mandatory {word} "
                                     f"{days} only: ask whether they could make "
                                     f"{'it' if len(blocked) == 1 else 'them'}", a.id)


def _fix_total(s: _Seat, a: Assessor) -> Suggestion | None:
    g = a.agreement
    assert g is not None
    total = sum(len(o.days) for o in s.others(a)) + length_bounds(a, s.ins, s.seat)[0]
    if total <= g.max_days_total or not s.applies(replace(a, agreement=replace(
            g, max_days_total=total))):
        return None
    return Suggestion("agreement_total", f"ask {a.employer} to release {wording.person(a)} for "
                                         f"{total} days in total instead of {g.max_days_total}",
                      a.id)


def _fix_swap(s: _Seat, a: Assessor) -> Suggestion | None:
    for o in s.others(a):
        if s.applies(a, drop=o):
            where = s.instance.inspection_by_id.get(o.inspection)
            name = wording.inspection(where) if where else o.inspection
            return Suggestion("swap", f"{wording.person(a)} could take this seat instead of "
                                      f"their {wording.specialism(o.specialism)} place on {name}",
                              a.id)
    return None


_FIXES: dict[str, tuple[Callable[[_Seat, Assessor], Suggestion | None], ...]] = {
    "no_agreement": (_fix_no_agreement,),
    "agreement_window": (_fix_window,),
    "agreement_days": (_fix_agreement_days,),
    "unavailable": (_fix_unavailable,),
    "busy": (_fix_total, _fix_swap),
    "deployment_cap": (_fix_swap,),
}


def _fix_for(s: _Seat, a: Assessor, code: str) -> Suggestion | None:
    """A single, verified change that lets this assessor take the seat, or None."""
    if code != "no_agreement" and a.agreement is None:
        return None
    for fix in _FIXES.get(code, ()):
        found = fix(s, a)
        if found is not None:
            return found
    return None


def _mandatory_day_moves(pool: Pool, plan: PlanState, ins: Inspection, seat: Seat,
                         blocked: np.ndarray) -> list[Suggestion]:
    """For each mandatory day: how many of the ``blocked`` holders could take the seat were it
    optional."""
    out = []
    for d in ins.mandatory_days:
        trial = replace(ins, mandatory_days=tuple(x for x in ins.mandatory_days if x != d))
        v = pool.view(trial)
        static, lo, _ = pool.seat_codes(v, seat)
        n = int((blocked & (plan.codes(v, lo, static) == ELIGIBLE)).sum())
        if n:
            out.append(Suggestion("mandatory_day", f"make {wording.day(d)} optional instead of "
                                                   f"mandatory: {wording.plural(n, 'assessor')} "
                                                   f"who cannot take this seat now could", None, n))
    out.sort(key=lambda s: -s.count)
    return out


# ----------------------------------------------------------------------------- one seat

@dataclass(frozen=True)
class SeatExplanation:
    holders: int
    deployed_here: int
    could_take: int
    excluded: dict[str, int]        # EXCLUDED_KEYS -> holders kept off by that rule first
    suggestions: list[Suggestion]


def _index(deployments: Sequence[Deployment]) -> dict[str, list[Deployment]]:
    by_assessor: dict[str, list[Deployment]] = defaultdict(list)
    for d in deployments:
        by_assessor[d.assessor].append(d)
    return by_assessor


def explain_seat(instance: Instance, ins: Inspection, specialism: str,
                 deployments: Sequence[Deployment],
                 by_assessor: dict[str, list[Deployment]] | None = None, *,
                 pool: Pool | None = None, plan: PlanState | None = None, suggest: bool = True,
                 deadline: float | None = None) -> SeatExplanation:
    """The counts and verified suggestions for one seat (module docstring); ``suggest=False``
    skips the suggestions, and past ``deadline`` (time.monotonic()) no more are looked for."""
    by_assessor = _index(deployments) if by_assessor is None else by_assessor
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
    members = tuple(d for d in deployments
                    if d.inspection == ins.id and d.specialism == specialism)
    suggestions: list[Suggestion] = []
    if suggest and len(members) < seat.count:       # only a seat with a vacancy
        s = _Seat(instance, ins, seat, by_assessor, members, frozenset(instance.pinned))
        suggestions = _suggestions(s, pool, plan, codes, counted, deadline)
    return SeatExplanation(int(holders.sum()), int(here.sum()), int(n_code[ELIGIBLE]), excluded,
                           suggestions)


def _suggestions(s: _Seat, pool: Pool, plan: PlanState, codes: np.ndarray,
                 counted: np.ndarray, deadline: float | None) -> list[Suggestion]:
    """Someone free first, then the mandatory-day change that frees most people, then verified
    one-person fixes among the most promising holders (smallest change first, then fewest
    deployments, then nearest), at most two of a kind."""
    assessors = s.instance.assessors
    free: list[int] = []
    for a in np.flatnonzero(counted & (codes == ELIGIBLE)).tolist():
        if len(free) == 2:
            break
        if s.applies(assessors[a]):
            free.append(a)
    out = [Suggestion("free", f"{wording.person(assessors[a])} is free to take this seat",
                      assessors[a].id) for a in free]
    blocked = counted & np.isin(codes, [CODES.index("unavailable"),
                                        CODES.index("agreement_window")])
    if blocked.sum() > 1:       # a change of days is offered only when it frees two or more
        moves = _mandatory_day_moves(pool, plan, s.ins, s.seat, blocked)
        out += [m for m in moves[:1] if m.count > 1]
    try_rank = np.array([_TRY_ORDER.index(c) if c in _TRY_ORDER else -1 for c in CODES])
    tries = np.flatnonzero(counted & (try_rank[codes] >= 0))
    tries = tries[np.lexsort((pool.id_rank[tries], pool.km(s.ins)[tries], plan.count[tries],
                              try_rank[codes[tries]]))][:MAX_FIX_ATTEMPTS]
    fixes: list[tuple[tuple, Suggestion]] = []
    for a in tries.tolist():
        if deadline is not None and time.monotonic() > deadline:
            break
        holder = assessors[a]
        fix = _fix_for(s, holder, CODES[codes[a]])
        if fix is not None:
            fixes.append(((_FIX_ORDER.index(fix.kind), len(s.others(holder)),
                           travel_km(s.instance, holder, s.ins), holder.id), fix))
    fixes.sort(key=lambda t: t[0])
    per_kind: Counter[str] = Counter()
    for _, fix in fixes:
        if per_kind[fix.kind] < 2:
            out.append(fix)
            per_kind[fix.kind] += 1
    return out[:MAX_SUGGESTIONS]


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
            e = explain_seat(instance, ins, seat.specialism, deployments, by_assessor, pool=pool,
                             plan=plan, suggest=suggest, deadline=deadline)
            # the format's keys: a holder who could take it is not kept off, so counts as busy
            excluded = {**e.excluded, "busy": e.excluded["busy"] + e.could_take}
            out.append(Unfilled(ins.id, seat.specialism, missing, e.holders, e.deployed_here,
                                excluded, tuple(s.text for s in e.suggestions)))
    return out


# ----------------------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Holder:
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
                                  rule_conflict(instance, a, ins, after_own_area=True),
                                  rule_agreement(a)]
    if a.agreement is not None:
        found += [rule_days(instance, a, ins, seat, part="window"),
                  rule_length(a, ins, seat),
                  rule_days(instance, a, ins, seat, part="available")]
        mine = [o for o in others if o.assessor == a.id]
        if len(mine) >= policy_cap(instance):
            found.append(Reason("deployment_cap", 6, f"{wording.person(a)} already has "
                                f"{len(mine)} deployments (maximum {policy_cap(instance)})"))
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
               deployments: Sequence[Deployment] = ()) -> list[Holder]:
    """Every holder of ``specialism`` for this inspection's seat: those already on it, then the
    deployable ones (fewest deployments, then nearest), then the rest by their first reason in
    the spec's order, each with all its reasons and, where one exists (and the seat has a
    vacancy), a verified fix."""
    ins = instance.inspection_by_id[inspection_id]
    seat = ins.seat(specialism)
    if seat is None:
        raise KeyError(f"{inspection_id} has no {specialism} seat")
    by_assessor = _index(deployments)
    members = tuple(d for d in deployments
                    if d.inspection == ins.id and d.specialism == specialism)
    s = _Seat(instance, ins, seat, by_assessor, members, frozenset(instance.pinned))
    order = {k: n for n, k in enumerate(EXCLUDED_KEYS)}
    out: list[tuple[tuple, Holder]] = []
    for a in instance.assessors:
        if specialism not in a.specialisms:
            continue
        others = by_assessor.get(a.id, [])
        km = travel_km(instance, a, ins)
        here = [o for o in others if o.inspection == ins.id and o.specialism == specialism]
        reasons = [] if here else all_reasons(instance, a, ins, specialism, others)
        code = ("deployed_here" if here else "eligible" if not reasons
                else reasons[0].code if reasons[0].code in order else "busy")
        fix = None
        if reasons and code not in ("own_area", "employer_conflict") and len(members) < seat.count:
            found = _fix_for(s, a, code)
            fix = found.text if found else None
        rank = 0 if here else 1 if not reasons else 2
        out.append(((rank, order.get(code, 0), len(others), km, a.id),
                    Holder(a.id, a.name, a.employer, a.home_area, code, len(others), km,
                           tuple(reasons), fix)))
    out.sort(key=lambda t: t[0])
    return [c for _, c in out]
