"""The seven hard rules, written once.

Each ``rule_*`` function answers, for one assessor and one seat (an inspection + specialism),
*why* the assessor cannot take it - a :class:`Reason` (code, rule number, sentence) - or ``None``.
Called without concrete days it asks "is there any deployment at all?" (eligibility: used by the
model to decide which variables exist, by explanations and by the web "why not this assessor?");
called with concrete ``days`` it checks that deployment (used by the checker and pinned
validation).  Reason codes are the spec's ``excluded`` keys where the rule is one of those reasons:
own_area, employer_conflict, no_agreement, agreement_window, agreement_days, unavailable,
deployment_cap, busy; otherwise specialism, seat, length, days, double_booking, caps, pinned.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

import numpy as np

from . import wording
from .domain import (
    EXCLUDED_KEYS,
    MAX_DEPLOYMENT_DAYS,
    MIN_DEPLOYMENT_DAYS,
    Assessor,
    Deployment,
    Inspection,
    Instance,
    Seat,
)
from .geography import area_km

RULE_NAMES = {1: "specialism", 2: "conflict of interest", 3: "length", 4: "days",
              5: "no double booking", 6: "caps", 7: "pinned"}


@dataclass(frozen=True)
class Reason:
    code: str
    rule: int
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule} ({RULE_NAMES[self.rule]}): {self.message}"


# ----------------------------------------------------------------------------- day masks
# Day sets as bit masks (bit k = day ``base + k``, base an ordinal).  The rule 4 eligibility tests
# of rule_days/feasible_days (one pair) are written on masks; :class:`Pool` asks the same of all
# assessors at once on boolean day arrays.

def range_mask(start: date, end: date, base: int) -> int:
    lo, hi = max(0, start.toordinal() - base), end.toordinal() - base
    return ((1 << (hi - lo + 1)) - 1) << lo if hi >= lo else 0


def days_mask(days: Iterable[date], base: int) -> int:
    m = 0
    for d in days:
        k = d.toordinal() - base
        if k >= 0:
            m |= 1 << k
    return m


def window_mask(assessor: Assessor, base: int) -> int:
    """The agreement window (0 without an agreement)."""
    g = assessor.agreement
    return 0 if g is None else range_mask(g.start, g.end, base)


def blocked_mask(instance: Instance, assessor: Assessor, base: int, nwd_mask: int | None = None
                 ) -> int:
    """Unavailable ranges and non-working days."""
    m = days_mask(instance.non_working_days, base) if nwd_mask is None else nwd_mask
    for r in assessor.unavailable:
        m |= range_mask(r.start, r.end, base)
    return m


def feasible_mask(D: int, W: int, Bk: int) -> int:
    """Rule 4's allowed days of an inspection (days D) for an assessor (window W, blocked Bk)."""
    return D & W & ~Bk


def window_fails(D: int, M: int, W: int, lo: int) -> bool:
    """Rule 4, agreement window: a mandatory day outside it, or fewer than ``lo`` days inside."""
    return bool(M & ~W) or (D & W).bit_count() < lo


def available_fails(D: int, M: int, W: int, Bk: int, lo: int) -> bool:
    """Rule 4, availability: a mandatory day blocked, or fewer than ``lo`` allowed days."""
    return bool(M & Bk) or feasible_mask(D, W, Bk).bit_count() < lo


def _base(inspection: Inspection) -> int:
    return inspection.days[0].toordinal() if inspection.days else 0


# ----------------------------------------------------------------------------- helpers

def max_deployments(instance: Instance) -> int:
    """The cap (rule 6); one seat per inspection, so a cap above the number of inspections is that
    number (and fits every solver's integers)."""
    return min(instance.policy.max_deployments_per_assessor, max(1, len(instance.inspections)))


def policy_cap(instance: Instance) -> int:
    """The cap as the policy states it, for reasons: an assessor below it who is already on every
    inspection is kept off by one seat per inspection (``busy``), not by the cap."""
    return instance.policy.max_deployments_per_assessor


def feasible_days(instance: Instance, assessor: Assessor, inspection: Inspection
                  ) -> tuple[date, ...]:
    """Inspection days inside the agreement window, minus unavailable and non-working days."""
    if assessor.agreement is None:
        return ()
    base = _base(inspection)
    F = feasible_mask(days_mask(inspection.days, base), window_mask(assessor, base),
                      blocked_mask(instance, assessor, base))
    return tuple(d for d in inspection.days if F >> (d.toordinal() - base) & 1)


def seat_minimum(inspection: Inspection, seat: Seat) -> int:
    """Rules 3 and 4 together: at least 4 days, the seat's minimum, and every mandatory day."""
    return max(MIN_DEPLOYMENT_DAYS, seat.min_days, len(inspection.mandatory_days))


def length_bounds(assessor: Assessor, inspection: Inspection, seat: Seat) -> tuple[int, int]:
    """The one definition of a deployment's length bounds: [max(4, min_days, mandatory days),
    min(12, max_days, agreement.max_days_per_deployment)].  ``lo > hi``: no deployment fits."""
    hi = min(MAX_DEPLOYMENT_DAYS, seat.max_days)
    if assessor.agreement is not None:
        hi = min(hi, assessor.agreement.max_days_per_deployment)
    return seat_minimum(inspection, seat), hi


def _why_minimum(inspection: Inspection, seat: Seat) -> str:
    n = len(inspection.mandatory_days)
    if n > max(MIN_DEPLOYMENT_DAYS, seat.min_days):
        return f"its {n} mandatory days"
    if seat.min_days > MIN_DEPLOYMENT_DAYS:
        return "the seat's minimum"
    return f"the {MIN_DEPLOYMENT_DAYS}-day minimum"


def _why_maximum(assessor: Assessor, seat: Seat) -> str:
    g = assessor.agreement
    if g is not None and g.max_days_per_deployment < min(MAX_DEPLOYMENT_DAYS, seat.max_days):
        return f"{wording.person(assessor)}'s agreement allows at most " \
               f"{g.max_days_per_deployment} " \
               "days per deployment"
    if seat.max_days < MAX_DEPLOYMENT_DAYS:
        return f"the seat allows at most {seat.max_days} days"
    return f"no deployment is longer than {MAX_DEPLOYMENT_DAYS} days"


def length_problem(assessor: Assessor, inspection: Inspection, seat: Seat) -> str | None:
    """The impossible range in words ("the seat needs at least 11 days (...), but ..."), or None."""
    lo, hi = length_bounds(assessor, inspection, seat)
    if lo <= hi:
        return None
    return (f"the seat needs at least {lo} days ({_why_minimum(inspection, seat)}), but "
            f"{_why_maximum(assessor, seat)}")


# ----------------------------------------------------------------------------- the rules

def rule_specialism(assessor: Assessor, inspection: Inspection, specialism: str) -> Reason | None:
    """Rule 1: the seat exists and the assessor holds its specialism."""
    words = wording.specialism(specialism)
    if inspection.seat(specialism) is None:
        return Reason("seat", 1, f"{wording.inspection(inspection)} has no {words} seat")
    if specialism not in assessor.specialisms:
        return Reason("specialism", 1, f"{wording.person(assessor)} does not hold the "
                                       f"{words} specialism")
    return None


def rule_conflict(instance: Instance, assessor: Assessor, inspection: Inspection,
                  *, after_own_area: bool = False) -> Reason | None:
    """Rule 2: never in their own home area, never for an excluded employer.
    ``after_own_area``: the employer conflict only (the one own_area would hide)."""
    if assessor.home_area == inspection.area and not after_own_area:
        return Reason("own_area", 2, f"{wording.inspection(inspection)} is in "
                                     f"{wording.person(assessor)}'s own area, "
                                     f"{wording.place(instance, inspection.area)}")
    if assessor.employer in inspection.excluded_employers:
        return Reason("employer_conflict", 2, f"{wording.person(assessor)}'s employer "
                                              f"{assessor.employer} is excluded from "
                                              f"{wording.inspection(inspection)}")
    return None


def rule_agreement(assessor: Assessor) -> Reason | None:
    """An assessor without an employer agreement cannot be deployed: no day of theirs lies inside
    an agreement (rule 4)."""
    if assessor.agreement is None:
        return Reason("no_agreement", 4, f"{wording.person(assessor)} has no agreement with "
                                         "their employer, so no day of theirs is agreed")
    return None


def rule_length(assessor: Assessor, inspection: Inspection, seat: Seat,
                n_days: int | None = None) -> Reason | None:
    """Rule 3 (with rule 4's mandatory days): the day count lies within :func:`length_bounds`;
    without ``n_days``: some count does, and the agreement's total allows the minimum (rule 6)."""
    r = rule_agreement(assessor)
    if r:
        return r
    lo, hi = length_bounds(assessor, inspection, seat)
    g = assessor.agreement
    assert g is not None
    problem = length_problem(assessor, inspection, seat)
    if n_days is not None:
        if problem:
            return Reason("length", 3, f"no length fits: {problem}")
        if n_days < lo:
            return Reason("length", 3, f"{n_days} days is fewer than the {lo} this deployment "
                                       f"needs ({_why_minimum(inspection, seat)})")
        if n_days > hi:
            return Reason("length", 3, f"{n_days} days is more than allowed: "
                                       f"{_why_maximum(assessor, seat)}")
        return None
    if problem:
        return Reason("agreement_days", 3, problem)
    if g.max_days_total < lo:
        return Reason("agreement_days", 6, f"{wording.person(assessor)}'s agreement allows "
                                           f"{g.max_days_total} days in total; the seat needs at "
                                           f"least {lo} ({_why_minimum(inspection, seat)})")
    return None


def _deployment_days_reason(instance: Instance, assessor: Assessor, inspection: Inspection,
                            days: Sequence[date]) -> Reason | None:
    """Rule 4 for concrete days."""
    g = assessor.agreement
    assert g is not None
    who, where = wording.person(assessor), wording.inspection(inspection)
    dset = set(days)
    idays = set(inspection.days)
    bad = [d for d in dset if d not in idays]
    if bad:
        return Reason("days", 4, f"{wording.days(bad)}: not among the days of {where}")
    bad = [d for d in dset if d not in g]
    if bad:
        return Reason("agreement_window", 4, f"{wording.days(bad)}: outside {who}'s agreement "
                                             f"({wording.day(g.start)} to {wording.day(g.end)})")
    bad = [d for d in dset if assessor.is_unavailable(d)]
    if bad:
        return Reason("unavailable", 4, f"{who} is unavailable on {wording.days(bad)}")
    bad = [d for d in dset if d in instance.non_working_days]
    if bad:
        return Reason("unavailable", 4, f"{wording.days(bad)}: not a working day")
    miss = [d for d in inspection.mandatory_days if d not in dset]
    if miss:
        return Reason("days", 4, f"{who} would miss {wording.named_days('mandatory', miss)} "
                                 f"of {where}")
    if len(dset) != len(days):
        return Reason("days", 4, "a day is listed twice")
    return None


def rule_days(instance: Instance, assessor: Assessor, inspection: Inspection, seat: Seat,
              days: Sequence[date] | None = None, *, part: str = "all") -> Reason | None:
    """Rule 4: days are inspection days, in the agreement window, available, working days, and
    include every mandatory day.  Without ``days``: does some allowed day set exist?
    ``part`` limits the eligibility question to 'window' (agreement window only) or
    'available' (unavailability and non-working days)."""
    r = rule_agreement(assessor)
    if r:
        return r
    if days is not None:
        return _deployment_days_reason(instance, assessor, inspection, days)
    g = assessor.agreement
    assert g is not None
    who, where = wording.person(assessor), wording.inspection(inspection)
    lo = length_bounds(assessor, inspection, seat)[0]
    base = _base(inspection)
    D, M = days_mask(inspection.days, base), days_mask(inspection.mandatory_days, base)
    W = window_mask(assessor, base)
    if part in ("all", "window") and window_fails(D, M, W, lo):
        out = [d for d in inspection.mandatory_days if d not in g]
        agreed = f"{who}'s agreement ({wording.day(g.start)} to {wording.day(g.end)})"
        if out:
            verb = "falls" if len(out) == 1 else "fall"
            return Reason("agreement_window", 4, f"{wording.named_days('mandatory', out)} of "
                                                 f"{where} "
                                                 f"{verb} outside {agreed}")
        n = (D & W).bit_count()
        return Reason("agreement_window", 4, f"only {n} of the days of {where} fall in {agreed}; "
                                             f"at least {lo} needed")
    if part in ("all", "available") and available_fails(D, M, W, blocked_mask(instance, assessor,
                                                                             base), lo):
        blocked = [d for d in inspection.mandatory_days
                   if assessor.is_unavailable(d) or d in instance.non_working_days]
        if blocked:
            return Reason("unavailable", 4, f"{who} is unavailable on "
                                            f"{wording.named_days('mandatory', blocked)}")
        n = len(feasible_days(instance, assessor, inspection))
        return Reason("unavailable", 4, f"{who} is available on only {n} of the days of "
                                        f"{where}; at least {lo} needed")
    return None


def rule_double_booking(instance: Instance, assessor: Assessor, inspection: Inspection, seat: Seat,
                        others: Iterable[Deployment], days: Sequence[date] | None = None
                        ) -> Reason | None:
    """Rule 5 (and one seat per inspection, rule 1): no day worked twice.
    ``others`` are the assessor's other deployments.  Without ``days``: is there still an allowed
    day set free of them (every mandatory day free, at least the minimum length)?"""
    others = [o for o in others if o.assessor == assessor.id]
    who, where = wording.person(assessor), wording.inspection(inspection)
    for o in others:
        if o.inspection == inspection.id:
            return Reason("busy", 1, f"{who} already holds a seat on {where}")
    used = {d for o in others for d in o.days}
    if days is not None:
        clash = used.intersection(days)
        if clash:
            return Reason("busy", 5, f"{who} is deployed elsewhere on {wording.days(clash)}")
        return None
    clash = used.intersection(inspection.mandatory_days)
    if clash:
        return Reason("busy", 5, f"{who} is deployed elsewhere on "
                                 f"{wording.named_days('mandatory', clash)}")
    lo = length_bounds(assessor, inspection, seat)[0]
    free = [d for d in feasible_days(instance, assessor, inspection) if d not in used]
    if len(free) < lo:
        return Reason("busy", 5, f"{who} has only {len(free)} free days on {where}; at least "
                                 f"{lo} needed")
    return None


def rule_caps(instance: Instance, assessor: Assessor, inspection: Inspection, seat: Seat,
              others: Iterable[Deployment], n_days: int | None = None) -> Reason | None:
    """Rule 6: at most max_deployments_per_assessor deployments, days within max_days_total.
    ``others`` are the assessor's other deployments; ``n_days`` this deployment's length
    (default: the shortest allowed)."""
    others = [o for o in others if o.assessor == assessor.id]
    who = wording.person(assessor)
    k = policy_cap(instance)
    if len(others) >= k:
        return Reason("deployment_cap", 6, f"{who} already has {len(others)} deployments "
                                           f"(maximum {k})")
    g = assessor.agreement
    if g is None:
        return rule_agreement(assessor)
    used = sum(len(o.days) for o in others)
    need = length_bounds(assessor, inspection, seat)[0] if n_days is None else n_days
    if used + need > g.max_days_total:
        left = max(0, g.max_days_total - used)
        return Reason("busy", 6, f"{who} has {left} of {g.max_days_total} agreed days left; "
                                 f"{need} needed")
    return None


# ----------------------------------------------------------------------------- combinations

def static_reason(instance: Instance, assessor: Assessor, inspection: Inspection,
                  specialism: str) -> Reason | None:
    """First reason, in the spec's ``excluded`` order, that keeps the assessor off this seat
    regardless of any plan (specialism, own_area, employer_conflict, no_agreement,
    agreement_window, agreement_days, unavailable)."""
    r = (rule_specialism(assessor, inspection, specialism)
         or rule_conflict(instance, assessor, inspection))
    if r:
        return r
    seat = inspection.seat(specialism)
    assert seat is not None
    return (rule_agreement(assessor)
            or rule_days(instance, assessor, inspection, seat, part="window")
            or rule_length(assessor, inspection, seat)
            or rule_days(instance, assessor, inspection, seat, part="available"))


# ----------------------------------------------------------------------------- in bulk
# The same eligibility rules asked of every assessor at once (numpy arrays over assessors and
# days), for the model's candidates, the explanations' counts and the greedy baseline.  The
# per-pair functions above stay the definition: tests/solver/test_rules_bulk.py checks the two
# agree pair by pair.

ELIGIBLE = 0
# Bulk reason codes: index into CODES (0 = eligible), in the spec's ``excluded`` order.
CODES = ("eligible", "specialism") + EXCLUDED_KEYS
_CODE = {c: k for k, c in enumerate(CODES)}


@dataclass(frozen=True)
class InspectionView:
    """An inspection's plan-independent facts for every assessor (rows) at once."""

    inspection: Inspection
    days: np.ndarray            # day indices (relative to the pool's base)
    mandatory: np.ndarray
    feasible: np.ndarray        # (assessors, days): rule 4's allowed days
    conflict: np.ndarray        # code of rule 2 per assessor (own_area, employer_conflict or 0)
    window_short: np.ndarray    # a mandatory day outside the agreement window, per assessor
    available_short: np.ndarray     # a mandatory day unavailable or not a working day
    in_window: np.ndarray       # days inside the agreement window, per assessor
    n_feasible: np.ndarray      # allowed days, per assessor


class Pool:
    """The assessors as arrays: rule questions for one seat answered for all of them."""

    def __init__(self, instance: Instance, base: int | None = None):
        self.instance = instance
        ins_days = [d.toordinal() for i in instance.inspections for d in i.days]
        self.base = min([instance.horizon.start.toordinal()] + ins_days) if base is None else base
        n_days = max([instance.horizon.end.toordinal()] + ins_days) - self.base + 1
        assessors = instance.assessors
        n = len(assessors)
        self.index = {a.id: k for k, a in enumerate(assessors)}
        self._areas = {a.id: k for k, a in enumerate(instance.areas)}
        self.area = np.array([self._areas[a.home_area] for a in assessors], np.int64)
        self.employers: dict[str, int] = {}
        self.employer = np.array([self.employers.setdefault(a.employer, len(self.employers))
                                  for a in assessors], np.int64)
        self.holds = {sp: np.array([sp in a.specialisms for a in assessors], bool)
                      for sp in {sp for a in assessors for sp in a.specialisms}}
        self.agreed = np.array([a.agreement is not None for a in assessors], bool)
        # without an agreement: no window, no days (rule "no_agreement" comes first anyway)
        # agreed days beyond what any plan can use are cut to that (they fit the arrays' type)
        most = MAX_DEPLOYMENT_DAYS * max(1, len(instance.inspections))
        self.per_deployment = np.array([min(a.agreement.max_days_per_deployment,
                                            MAX_DEPLOYMENT_DAYS) if a.agreement
                                        else MAX_DEPLOYMENT_DAYS for a in assessors], np.int32)
        self.total = np.array([min(a.agreement.max_days_total, most) if a.agreement else 0
                               for a in assessors], np.int64)
        self.window = np.zeros((n, n_days), bool)
        self.blocked = np.zeros((n, n_days), bool)
        self.blocked[:, self.day_indices(instance.non_working_days)] = True
        for k, a in enumerate(assessors):
            if a.agreement is not None:
                self._mark(self.window[k], a.agreement.start, a.agreement.end)
            for r in a.unavailable:
                self._mark(self.blocked[k], r.start, r.end)
        order = sorted(range(n), key=lambda k: assessors[k].id)
        self.id_rank = np.empty(n, np.int64)
        self.id_rank[order] = np.arange(n)
        self._km = np.array([[area_km(h, t) for t in instance.areas] for h in instance.areas],
                            np.int64).reshape(len(instance.areas), len(instance.areas))

    def _mark(self, row: np.ndarray, start: date, end: date) -> None:
        lo, hi = max(0, start.toordinal() - self.base), end.toordinal() - self.base
        if hi >= lo:
            row[lo:hi + 1] = True

    def day_indices(self, days: Iterable[date]) -> np.ndarray:
        """Indices of the days inside the pool's range (others can never be worked)."""
        n = self.window.shape[1]
        ks = {d.toordinal() - self.base for d in days}
        return np.array(sorted(k for k in ks if 0 <= k < n), np.int64)

    def km(self, inspection: Inspection) -> np.ndarray:
        """travel_km of every assessor to the inspection."""
        return self._km[self.area, self._areas[inspection.area]]

    def view(self, inspection: Inspection) -> InspectionView:
        d, m = self.day_indices(inspection.days), self.day_indices(inspection.mandatory_days)
        in_window = self.window[:, d]
        feasible = in_window & ~self.blocked[:, d]
        conflict = np.where(self.area == self._areas[inspection.area], _CODE["own_area"],
                            np.where(np.isin(self.employer,
                                             [self.employers[e]
                                              for e in inspection.excluded_employers
                                              if e in self.employers]),
                                     _CODE["employer_conflict"], ELIGIBLE))
        return InspectionView(inspection, d, m, feasible, conflict.astype(np.int8),
                              np.asarray(~self.window[:, m].all(axis=1)),
                              np.asarray(self.blocked[:, m].any(axis=1)),
                              np.count_nonzero(in_window, axis=1),
                              np.count_nonzero(feasible, axis=1))

    def seat_codes(self, v: InspectionView, seat: Seat) -> tuple[np.ndarray, int, np.ndarray]:
        """(code per assessor: :func:`static_reason`'s, ELIGIBLE for none; lo; hi per assessor)
        with ``lo, hi`` as :func:`length_bounds`."""
        lo = seat_minimum(v.inspection, seat)
        hi = np.minimum(min(MAX_DEPLOYMENT_DAYS, seat.max_days), self.per_deployment)
        holds = self.holds.get(seat.specialism, np.zeros(len(self.agreed), bool))
        codes = np.select(
            [~holds, v.conflict != ELIGIBLE, ~self.agreed,
             v.window_short | (v.in_window < lo),                           # window_fails
             (hi < lo) | (self.total < lo),                                 # rule_length
             v.available_short | (v.n_feasible < lo)],                      # available_fails
            [_CODE["specialism"], v.conflict, _CODE["no_agreement"], _CODE["agreement_window"],
             _CODE["agreement_days"], _CODE["unavailable"]], ELIGIBLE).astype(np.int8)
        return codes, lo, hi

    def masks(self, v: InspectionView, rows: np.ndarray) -> list[int]:
        """Day bit masks (bit k = day base + k) of boolean rows over the inspection's days."""
        if not len(rows) or not len(v.days):
            return [0] * len(rows)
        first = int(v.days[0])
        spread = np.zeros((len(rows), int(v.days[-1]) - first + 1), bool)
        spread[:, v.days - first] = rows
        packed = np.packbits(spread, axis=1, bitorder="little")
        width = -packed.shape[1] % 8                   # whole 64-bit words, to sort rows fast
        words = np.ascontiguousarray(np.pad(packed, ((0, 0), (0, width)))).view(np.uint64)
        if words.shape[1] == 1:
            uniq, inverse = np.unique(words[:, 0], return_inverse=True)
        else:
            uniq, inverse = np.unique(words, axis=0, return_inverse=True)
        out = [int.from_bytes(u.tobytes(), "little") << first for u in uniq]
        return [out[k] for k in inverse.ravel().tolist()]    # equal masks share one int


class PlanState:
    """Each assessor's deployments in a plan, as arrays: rules 5 and 6 for one seat in bulk."""

    def __init__(self, pool: Pool, deployments: Iterable[Deployment] = ()):
        n, n_days = pool.window.shape
        self.pool = pool
        self.count = np.zeros(n, np.int32)
        self.days_used = np.zeros(n, np.int32)
        self.used = np.zeros((n, n_days), bool)
        self.on: dict[str, dict[int, str]] = defaultdict(dict)   # inspection -> {a: specialism}
        for d in deployments:
            self.add(d)

    def add(self, d: Deployment) -> None:
        a = self.pool.index.get(d.assessor)
        if a is None:
            return      # not in the pool: keeps no one else off a seat (as for why_not)
        self.count[a] += 1
        self.days_used[a] += len(d.days)
        self.used[a, self.pool.day_indices(d.days)] = True
        self.on[d.inspection][a] = d.specialism

    def codes(self, v: InspectionView, lo: int, static: np.ndarray) -> np.ndarray:
        """:func:`why_not`'s code per assessor given this plan (ELIGIBLE: could take the seat),
        from the static codes of :meth:`Pool.seat_codes`."""
        on_it = np.zeros(len(static), bool)
        on_it[list(self.on.get(v.inspection.id, ()))] = True
        busy = (on_it | self.used[:, v.mandatory].any(axis=1)                  # rule 5
                | (np.count_nonzero(v.feasible & ~self.used[:, v.days], axis=1) < lo)
                | (self.days_used + lo > self.pool.total))                     # rule 6 total
        return np.select([static != ELIGIBLE,
                          self.count >= policy_cap(self.pool.instance), busy],
                         [static, _CODE["deployment_cap"], _CODE["busy"]], ELIGIBLE
                         ).astype(np.int8)


def why_not(instance: Instance, assessor: Assessor, inspection: Inspection, specialism: str,
            deployments: Iterable[Deployment] = ()) -> Reason | None:
    """Why this assessor cannot (additionally) take this seat given the plan's other deployments:
    the first reason in the spec's ``excluded`` order, or None if they could."""
    r = static_reason(instance, assessor, inspection, specialism)
    if r:
        return r
    seat = inspection.seat(specialism)
    assert seat is not None
    others = [d for d in deployments if d.assessor == assessor.id]
    if len(others) >= policy_cap(instance):
        return rule_caps(instance, assessor, inspection, seat, others)  # deployment_cap
    return (rule_double_booking(instance, assessor, inspection, seat, others)
            or rule_caps(instance, assessor, inspection, seat, others))  # busy


def deployment_reasons(instance: Instance, d: Deployment) -> list[Reason]:
    """Every rule (1-4, and rule 6's total on its own) a single deployment breaks by itself."""
    a = instance.assessor_by_id.get(d.assessor)
    i = instance.inspection_by_id.get(d.inspection)
    out: list[Reason] = []
    if a is None:
        out.append(Reason("unknown", 1, f"unknown assessor id {d.assessor!r}"))
    if i is None:
        out.append(Reason("unknown", 1, f"unknown inspection id {d.inspection!r}"))
    if a is None or i is None:
        return out
    r = rule_specialism(a, i, d.specialism)
    if r:
        out.append(r)
    r = rule_conflict(instance, a, i)
    if r:
        out.append(r)
    seat = i.seat(d.specialism)
    if seat is None:
        return out
    r = rule_length(a, i, seat, len(d.days))
    if r:
        out.append(r)
        if r.code == "no_agreement":
            return out
    r = rule_days(instance, a, i, seat, d.days)
    if r:
        out.append(r)
    r = rule_caps(instance, a, i, seat, (), len(d.days))
    if r:
        out.append(Reason("caps", 6, r.message))
    return out


def pinned_errors(instance: Instance, d: Deployment) -> list[str]:
    """Messages for a pinned deployment that is impossible on its own (naming the rule)."""
    return [f"impossible pinned deployment of {d.assessor} on {d.inspection}: {r}"
            for r in deployment_reasons(instance, d)]
