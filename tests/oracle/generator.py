"""Seeded adversarial instances aimed at the edge of every rule, each tagged with its class.

``case(seed)`` is deterministic; the seed picks the class (``CLASSES[seed % len(CLASSES)]``) so
any run of consecutive seeds covers every class evenly. Instances are small (1-12 assessors,
1-5 inspections in March 2027) so the oracle's MIP proves them in milliseconds, and built around
one boundary each: a true minimum set by the mandatory days, agreement totals exactly at and one
below what a pair of deployments needs, caps 1-4, pinned deployments (valid, contradicting,
invalid), days lost to non-working days, absences and agreement windows, ...

    python -m tests.oracle.generator 17 > case.json     # the instance of seed 17
"""
from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from datetime import date

from .checker import between_faults
from .problem import MAX_DAYS, MIN_DAYS, Deployment, Problem
from .validity import input_problems, pin_contradictions

AREAS = [("fife", "Fife", 56.20, -3.15), ("angus", "Angus", 56.64, -2.89),
         ("moray", "Moray", 57.58, -3.28), ("highland", "Highland", 57.48, -4.22),
         ("glasgow-city", "Glasgow City", 55.86, -4.25)]
EMPLOYERS = ["Fife Council", "NHS Tayside", "Includem", "Sacro"]
SPECS = ("children", "adults", "justice")


def day(n: int) -> str:
    return date(2027, 3, n).isoformat()


@dataclass(frozen=True)
class Case:
    id: str
    classes: tuple[str, ...]      # the class it was built for first, then features it shows
    data: dict


# ----------------------------------------------------------------------------- building blocks

def _seat(rng: random.Random, spec: str, n_mand: int) -> dict:
    lo = rng.choice([4, 4, 5, 6])
    return {"specialism": spec, "count": rng.choice([1, 1, 2]), "min_days": lo,
            "max_days": rng.randint(max(lo, n_mand), min(MAX_DAYS, max(lo, n_mand) + 4))}


def _inspection(rng: random.Random, k: int, start: int, length: int, n_mand: int,
                specs: list[str]) -> dict:
    days = list(range(start, min(31, start + length - 1) + 1))
    mand = sorted(rng.sample(days, min(n_mand, len(days))))
    return {"id": f"I{k}", "title": f"Inspection {k}", "area": rng.choice(AREAS)[0],
            "excluded_employers": rng.sample(EMPLOYERS, rng.choice([0, 0, 1])),
            "days": [day(d) for d in days], "mandatory_days": [day(d) for d in mand],
            "seats": [_seat(rng, s, len(mand)) for s in specs]}


def _assessor(rng: random.Random, k: int, specs: list[str]) -> dict:
    a = {"id": f"A{k}", "name": f"Assessor {k}", "specialisms": sorted(specs),
         "sector": rng.choice(["statutory", "third"]), "home_area": rng.choice(AREAS)[0],
         "employer": rng.choice(EMPLOYERS), "unavailable": []}
    if rng.random() < 0.9:
        per = rng.randint(4, 12)
        a["agreement"] = {"from": day(rng.randint(1, 6)), "to": day(rng.randint(24, 31)),
                          "max_days_per_deployment": per,
                          "max_days_total": rng.choice([per, per + 2, 2 * per, 24])}
    if rng.random() < 0.3:
        u = rng.randint(1, 29)
        a["unavailable"].append({"from": day(u), "to": day(min(31, u + rng.randint(0, 2)))})
    return a


def _base(rng: random.Random, n_assessors: int, n_inspections: int) -> dict:
    inspections = []
    for k in range(n_inspections):
        length = rng.randint(4, 10)
        inspections.append(_inspection(rng, k, rng.randint(1, 32 - length), length,
                                       rng.randint(0, 3), rng.sample(SPECS, rng.randint(1, 2))))
    held = sorted({s["specialism"] for i in inspections for s in i["seats"]})
    assessors = [_assessor(rng, k, rng.sample(held, rng.randint(1, len(held))))
                 for k in range(n_assessors)]
    data = {"format": "assessor-deployment-instance/1",
            "horizon": {"start": day(1), "end": day(31)},
            "non_working_days": [], "areas": [{"id": a, "name": n, "lat": la, "lon": lo}
                                              for a, n, la, lo in AREAS],
            "assessors": assessors, "inspections": inspections, "pinned": []}
    cap = rng.choice([None, 1, 2, 2, 3, 4])
    if cap is not None:            # absent: the default cap of 2
        data["policy"] = {"max_deployments_per_assessor": cap}
    return data


def _true_min(data: dict, i: dict, spec: str) -> int:
    seat = next(s for s in i["seats"] if s["specialism"] == spec)
    return max(MIN_DAYS, seat["min_days"], len(i["mandatory_days"]))


def _eligible(rng: random.Random, a: dict, inspections: list[dict], spec: str) -> None:
    """Make ``a`` able to sit the ``spec`` seat of each inspection as far as rules 1-2 go."""
    if spec not in a["specialisms"]:
        a["specialisms"] = sorted(a["specialisms"] + [spec])
    areas = {i["area"] for i in inspections}
    a["home_area"] = rng.choice([x[0] for x in AREAS if x[0] not in areas] or ["fife"])
    barred = {e for i in inspections for e in i["excluded_employers"]}
    a["employer"] = rng.choice([e for e in EMPLOYERS if e not in barred] or ["Sacro"])
    if a["employer"] in barred:
        for i in inspections:
            i["excluded_employers"] = []
    a.setdefault("agreement", {"from": day(1), "to": day(31), "max_days_per_deployment": 12,
                               "max_days_total": 24})
    a["agreement"]["from"], a["agreement"]["to"] = day(1), day(31)
    a["unavailable"] = []


def _set_mandatory(rng: random.Random, i: dict, n: int) -> None:
    i["mandatory_days"] = sorted(rng.sample(i["days"], n))
    for s in i["seats"]:
        s["max_days"] = max(s["max_days"], n)


# ----------------------------------------------------------------------------- the classes

def mandatory_above_min(rng, data):
    """More mandatory days than a seat's minimum: the true minimum is the mandatory count."""
    i = rng.choice(data["inspections"])
    start = rng.randint(1, 20)
    i["days"] = [day(d) for d in range(start, start + rng.randint(7, 12))]
    m = rng.randint(5, min(len(i["days"]), MAX_DAYS))
    _set_mandatory(rng, i, m)
    for s in i["seats"]:
        s["min_days"] = rng.randint(MIN_DAYS, m - 1)
    spec = i["seats"][0]["specialism"]
    for a in rng.sample(data["assessors"], min(3, len(data["assessors"]))):
        _eligible(rng, a, [i], spec)
        a["agreement"]["max_days_per_deployment"] = rng.choice([m - 1, m, m + 1, 12])
        a["agreement"]["max_days_total"] = rng.choice([m - 1, m, m + 1, 2 * m])


def _pair(rng, data, below: int):
    """Two inspections apart in time; eligible assessors' totals: the pair's true minima - below."""
    i1, i2 = data["inspections"][:2]
    spec = rng.choice(SPECS)
    for k, (i, start) in enumerate(((i1, rng.randint(1, 4)), (i2, rng.randint(16, 19)))):
        i["days"] = [day(d) for d in range(start, start + rng.randint(5, 12))]
        _set_mandatory(rng, i, rng.randint(0, len(i["days"]) if k else min(7, len(i["days"]))))
        if not any(s["specialism"] == spec for s in i["seats"]):
            i["seats"].append(_seat(rng, spec, len(i["mandatory_days"])))
    need = _true_min(data, i1, spec) + _true_min(data, i2, spec)
    for a in rng.sample(data["assessors"], min(2, len(data["assessors"]))):
        _eligible(rng, a, [i1, i2], spec)
        a["agreement"]["max_days_per_deployment"] = MAX_DAYS
        a["agreement"]["max_days_total"] = need - below
    data["policy"] = {"max_deployments_per_assessor": rng.randint(2, 4)}


def total_at_pair(rng, data):
    _pair(rng, data, 0)


def total_below_pair(rng, data):
    _pair(rng, data, 1)


def total_at_single(rng, data):
    """Agreement totals at and one below one deployment's true minimum."""
    i = rng.choice(data["inspections"])
    spec = i["seats"][0]["specialism"]
    for a in rng.sample(data["assessors"], min(3, len(data["assessors"]))):
        _eligible(rng, a, [i], spec)
        a["agreement"]["max_days_total"] = _true_min(data, i, spec) - rng.randint(0, 1)


def per_deployment_below_min(rng, data):
    """max_days_per_deployment one below, at, and far below a seat's true minimum."""
    i = rng.choice(data["inspections"])
    if rng.random() < 0.5:
        _set_mandatory(rng, i, rng.randint(0, len(i["days"])))
    spec = i["seats"][0]["specialism"]
    t = _true_min(data, i, spec)
    for a in rng.sample(data["assessors"], min(3, len(data["assessors"]))):
        _eligible(rng, a, [i], spec)
        a["agreement"]["max_days_per_deployment"] = max(1, t - rng.choice([0, 1, 1, 3]))


BUSY_EDGES = ("free_days", "days_left", "mandatory_day")


def busy_edges(rng, data):
    """An assessor pinned on I0 (all its days) with, for I1's seat, exactly what its minimum
    needs or one day less: free days (the pin takes I1's last days), agreement days left (the pin
    uses the rest of the total), or a free mandatory day (the pin ends the day before it, or on
    it). At the limit the assessor could take the seat; one past it they are ``busy``."""
    i0, i1 = data["inspections"][:2]
    spec, how, short = rng.choice(SPECS), rng.choice(BUSY_EDGES), rng.choice([0, 1])
    n1 = rng.randint(6, 10)
    i1["days"] = [day(d) for d in range(10, 10 + n1)]
    i1["mandatory_days"] = sorted(rng.sample(i1["days"][:2], rng.randint(0, 2)))
    i1["seats"] = [_seat(rng, spec, len(i1["mandatory_days"]))]
    if how == "mandatory_day":
        i1["seats"][0]["min_days"] = MIN_DAYS
        i1["mandatory_days"] = [i1["days"][1]]
    need = _true_min(data, i1, spec)
    if how == "free_days":            # the pin takes I1's last days: need - short are left
        first = 10 + need - short
        length = max(MIN_DAYS, 10 + n1 - first) + rng.randint(0, 2)
    elif how == "days_left":          # the pin is before I1; the total leaves need - short
        first, length = 1, rng.randint(MIN_DAYS, 8)
    else:                             # the pin ends the day before I1's mandatory day, or on it
        length = rng.randint(MIN_DAYS, 6)
        first = 11 + short - length
    i0["days"] = [day(d) for d in range(first, first + length)]
    i0["mandatory_days"] = []
    i0["seats"] = [{"specialism": spec, "count": 1, "min_days": MIN_DAYS, "max_days": length}]
    a = rng.choice(data["assessors"])
    _eligible(rng, a, [i0, i1], spec)
    a["agreement"]["max_days_per_deployment"] = MAX_DAYS
    a["agreement"]["max_days_total"] = length + need - (short if how == "days_left" else 0) \
        + (0 if how == "days_left" else rng.choice([0, 12]))
    data["pinned"] = [Deployment(a["id"], i0["id"], spec, tuple(
        date.fromisoformat(d) for d in i0["days"])).to_json()]
    data["policy"] = {"max_deployments_per_assessor": rng.randint(2, 4)}


def _caps(k):
    def cap(rng, data):
        """More short inspections than the cap allows one assessor."""
        n = k + rng.randint(1, 2)
        spec = rng.choice(SPECS)
        data["inspections"] = [_inspection(rng, j, 1 + 5 * j, rng.randint(4, 5),
                                           rng.randint(0, 2), [spec]) for j in range(n)]
        for a in data["assessors"][:rng.randint(1, 3)]:
            _eligible(rng, a, data["inspections"], spec)
            a["agreement"]["max_days_total"] = rng.choice([24, 4 * k, 5 * k + 1])
        data["policy"] = {"max_deployments_per_assessor": k}
    cap.__name__ = f"cap_{k}"
    return cap


def overlapping_inspections(rng, data):
    """Three or four inspections over nearly the same days under a cap of 3-4: every pair of
    deployments fits, a triple may not (Hall's condition beyond pairs)."""
    spec = rng.choice(SPECS)
    start, n = rng.randint(1, 10), rng.randint(3, 4)
    data["inspections"] = [_inspection(rng, j, start + rng.randint(0, 2), rng.randint(6, 12),
                                       rng.choice([0, 0, 1, 2]), [spec]) for j in range(n)]
    for a in data["assessors"][:rng.randint(1, 3)]:
        _eligible(rng, a, data["inspections"], spec)
        a["agreement"]["max_days_total"] = rng.choice([12, 16, 24])
    data["policy"] = {"max_deployments_per_assessor": rng.randint(3, 4)}


def crowd(rng, data):
    """A bigger pool (8-12 assessors, 4-5 inspections) with a random cap: the engines' search."""
    more = _base(rng, rng.randint(8, 12), rng.randint(4, 5))
    data["assessors"], data["inspections"] = more["assessors"], more["inspections"]
    data["policy"] = {"max_deployments_per_assessor": rng.randint(1, 4)}


def nonworking_on_mandatory(rng, data):
    """A non-working day on an inspection's mandatory day (nobody can take its seats)."""
    i = rng.choice(data["inspections"])
    if not i["mandatory_days"]:
        _set_mandatory(rng, i, 1)
    nwd = {rng.choice(i["mandatory_days"]), rng.choice(rng.choice(data["inspections"])["days"])}
    data["non_working_days"] = sorted(nwd)


def unavailable_on_mandatory(rng, data):
    i = rng.choice(data["inspections"])
    if not i["mandatory_days"]:
        _set_mandatory(rng, i, rng.randint(1, 3))
    spec = i["seats"][0]["specialism"]
    for a in rng.sample(data["assessors"], min(3, len(data["assessors"]))):
        _eligible(rng, a, [i], spec)
        m = rng.choice(i["mandatory_days"] + i["days"][:1])
        a["unavailable"] = [{"from": m, "to": m}]


def window_cuts_inspection(rng, data):
    """Agreement windows that start or end inside an inspection, leaving about its minimum."""
    i = rng.choice(data["inspections"])
    spec = i["seats"][0]["specialism"]
    t = _true_min(data, i, spec)
    for a in rng.sample(data["assessors"], min(3, len(data["assessors"]))):
        _eligible(rng, a, [i], spec)
        keep = max(1, min(len(i["days"]), t + rng.choice([-1, 0, 0, 1])))
        if rng.random() < 0.5:
            a["agreement"]["to"] = i["days"][keep - 1]
        else:
            a["agreement"]["from"] = i["days"][-keep]


def seat_min_equals_max(rng, data):
    for i in data["inspections"]:
        for s in i["seats"]:
            s["min_days"] = s["max_days"] = rng.randint(max(MIN_DAYS, len(i["mandatory_days"])),
                                                        MAX_DAYS)


def multi_specialism(rng, data):
    for i in data["inspections"]:
        have = {s["specialism"] for s in i["seats"]}
        i["seats"] += [_seat(rng, s, len(i["mandatory_days"])) for s in SPECS
                       if s not in have and rng.random() < 0.7]
    for a in data["assessors"]:
        a["specialisms"] = sorted(rng.sample(SPECS, rng.randint(2, 3)))


def own_area_and_excluded(rng, data):
    for a in data["assessors"]:
        i = rng.choice(data["inspections"])
        if rng.random() < 0.5:
            a["home_area"] = i["area"]
        else:
            i["excluded_employers"] = sorted(set(i["excluded_employers"]) | {a["employer"]})


def _valid_deployments(rng, problem: Problem) -> list[Deployment]:
    """One random deployment per assessor and seat that keeps rules 1-4 and its agreement
    total on its own."""
    out = []
    for aid in problem.assessors:
        for iid, spec, _ in problem.seats():
            if not problem.may_sit(aid, iid, spec):
                continue
            open_, mand = problem.open_days(aid, iid), problem.mandatory(iid)
            lo, hi = problem.length_range(aid, iid, spec)
            lo = max(lo, len(mand))
            hi = min(hi, len(open_), problem.assessors[aid]["agreement"]["max_days_total"])
            if mand <= set(open_) and lo <= hi:
                extra = rng.sample(sorted(set(open_) - mand), rng.randint(lo, hi) - len(mand))
                out.append(Deployment(aid, iid, spec, tuple(sorted(mand | set(extra)))))
    return out


def _pin(rng, data, contradicting: bool) -> list[Deployment]:
    """One or two valid pins that keep the rules together, or two that contradict each other."""
    single = _valid_deployments(rng, Problem(data))
    problem = Problem(data)
    pairs = [[p, q] for k, p in enumerate(single) for q in single[k + 1:]
             if bool(between_faults(problem, [p, q])) == contradicting]
    if not contradicting and (not pairs or rng.random() < 0.4):
        pairs = [[p] for p in single]
    if not pairs:
        return []
    pins = rng.choice(pairs)
    data["pinned"] = [p.to_json() for p in pins]
    return pins


def pinned_valid(rng, data):
    _pin(rng, data, contradicting=False)


def pinned_contradicting(rng, data):
    """Two pins that keep every rule on their own but not together."""
    a = data["assessors"][0]
    if len(data["assessors"]) > 1 and rng.random() < 0.5:   # two on a seat for one
        seat = data["inspections"][0]["seats"][0]
        seat["count"] = 1
        for b in data["assessors"][:2]:
            _eligible(rng, b, data["inspections"][:1], seat["specialism"])
    else:   # one assessor: overlapping inspections, or a tight cap or total
        for i in data["inspections"][:2]:
            _eligible(rng, a, [i], i["seats"][0]["specialism"])
        data["policy"] = {"max_deployments_per_assessor": rng.choice([1, 2])}
    _pin(rng, data, contradicting=True)


_BREAKS = ("drop_mandatory", "extra_day", "too_short", "too_long", "wrong_specialism",
           "own_area", "over_total", "non_working")


def pinned_invalid(rng, data):
    """A pin that breaks one of rules 1-4 or its agreement total on its own."""
    pins = _pin(rng, data, contradicting=False)
    if not pins:
        return
    k = rng.randrange(len(pins))
    p, raw = pins[k], data["pinned"][k]
    a = next(x for x in data["assessors"] if x["id"] == p.assessor)
    i = next(x for x in data["inspections"] if x["id"] == p.inspection)
    how = rng.choice(_BREAKS)
    if how == "drop_mandatory" and i["mandatory_days"]:
        raw["days"].remove(rng.choice(i["mandatory_days"]))
    elif how == "extra_day":
        outside = [day(n) for n in range(1, 32) if day(n) not in i["days"]]
        raw["days"] = sorted(raw["days"] + outside[-1:])
    elif how == "too_short":
        raw["days"] = raw["days"][:3]
    elif how == "too_long":
        a["agreement"]["max_days_per_deployment"] = len(raw["days"]) - 1
    elif how == "wrong_specialism":
        a["specialisms"] = [s for s in SPECS if s != p.specialism][:1]
    elif how == "own_area":
        a["home_area"] = i["area"]
    elif how == "over_total":
        a["agreement"]["max_days_total"] = len(raw["days"]) - 1
    else:
        data["non_working_days"] = sorted(set(data["non_working_days"]) | {raw["days"][-1]})


_INVALID = ("seat_min_3", "seat_max_13", "min_above_max", "mandatory_not_a_day",
            "max_below_mandatory", "unknown_area", "duplicate_id", "huge_integer")


def invalid_input(rng, data):
    """One of the spec's invalid inputs (exit 2, the field named by its path)."""
    i, a = data["inspections"][-1], data["assessors"][-1]
    s = i["seats"][-1]
    how = rng.choice(_INVALID)
    if how == "seat_min_3":
        s["min_days"] = 3
    elif how == "seat_max_13":
        s["max_days"] = 13
    elif how == "min_above_max":
        s["min_days"], s["max_days"] = 9, 8
        i["mandatory_days"] = i["mandatory_days"][:3]
    elif how == "mandatory_not_a_day":
        i["mandatory_days"] = sorted(set(i["mandatory_days"]) | {"2027-04-01"})
    elif how == "max_below_mandatory":
        _set_mandatory(rng, i, min(len(i["days"]), 6))
        s["min_days"], s["max_days"] = 4, len(i["mandatory_days"]) - 1
    elif how == "unknown_area":
        a["home_area"] = "fyfe"
    elif how == "duplicate_id":
        data["assessors"].append(dict(a, name="Twin"))
    else:
        target, key = rng.choice([(s, "count"), (s, "max_days"),
                                  (data["areas"][0], "lat"), (data.setdefault("policy", {}),
                                                              "max_deployments_per_assessor")]
                                 + ([(a["agreement"], "max_days_total")] if "agreement" in a
                                    else []))
        target[key] = rng.choice([2 ** 64, 2 ** 63, -(2 ** 70)])


# ----------------------------------------------------------------------------- preferences, orders

OTHER_LEVELS = ("days_deployed", "repeat_deployments", "travel_km", "rather_not", "keen",
                "partnerships_reached")


def _order(rng, first: tuple[str, ...] = ()) -> list[str]:
    """seats_filled, then ``first``, then a random choice of the other levels in random order."""
    rest = [n for n in OTHER_LEVELS if n not in first]
    return ["seats_filled", *first] + rng.sample(rest, rng.randint(0 if first else 1, len(rest)))


def _prefer(rng, data, share: float = 0.7) -> None:
    """Keen and rather-not lists (disjoint) on about ``share`` of the assessors."""
    ids = [i["id"] for i in data["inspections"]]
    for a in data["assessors"]:
        if rng.random() < share:
            picked = rng.sample(ids, rng.randint(1, len(ids)))
            cut = rng.randint(0, len(picked))
            a["preferences"] = {"keen": picked[:cut], "rather_not": picked[cut:]}


def preferences(rng, data):
    """Preferences on most assessors, in a larger pool half the time, under a random order of a
    random choice of the levels."""
    if rng.random() < 0.5:
        crowd(rng, data)
    _prefer(rng, data)
    data.setdefault("policy", {})["objective"] = _order(rng)


def preference_edges(rng, data):
    """A keen and a rather-not on the same inspection for different assessors; every assessor
    keen on one inspection; partnerships with one assessor; orders with partnerships second."""
    i = rng.choice(data["inspections"])
    spec = i["seats"][0]["specialism"]
    how = rng.choice(["same_inspection", "all_keen", "one_assessor"])
    if how == "one_assessor":
        data["assessors"] = data["assessors"][:1]
        _prefer(rng, data, 1.0)
    else:
        for a in data["assessors"]:
            _eligible(rng, a, [i], spec)
        if how == "all_keen":
            for a in data["assessors"]:
                a["preferences"] = {"keen": [i["id"]]}
        else:
            _prefer(rng, data, 0.5)
            keen, rather = (data["assessors"] * 2)[:2] if len(data["assessors"]) > 1 else (
                data["assessors"][0], None)
            keen["preferences"] = {"keen": [i["id"]], "rather_not": []}
            if rather is not None and rather is not keen:
                rather["preferences"] = {"keen": [], "rather_not": [i["id"]]}
    second = rng.choice([("partnerships_reached",), ("partnerships_reached",), ("keen",),
                         ("rather_not",)])
    data.setdefault("policy", {})["objective"] = _order(rng, second)


_INVALID_PREFERENCES = ("unknown_inspection", "keen_and_rather_not", "unknown_level",
                        "repeated_level", "first_not_seats", "empty_order")


def invalid_preferences(rng, data):
    """Preferences or an order the spec calls invalid input (exit 2, the field named)."""
    a, ids = data["assessors"][-1], [i["id"] for i in data["inspections"]]
    order = _order(rng)
    how = rng.choice(_INVALID_PREFERENCES)
    if how == "unknown_inspection":
        a["preferences"] = {rng.choice(["keen", "rather_not"]): [ids[0], "I99"]}
    elif how == "keen_and_rather_not":
        a["preferences"] = {"keen": ids[:2], "rather_not": ids[1:2]}
    elif how == "unknown_level":
        order.insert(rng.randint(1, len(order)), rng.choice(["seats", "kean", "distance"]))
    elif how == "repeated_level":
        order.append(rng.choice(order))
    elif how == "first_not_seats":
        order = order[1:] + ["seats_filled"]
    else:
        order = []
    data.setdefault("policy", {})["objective"] = order


VALID_CLASSES = [mandatory_above_min, total_at_pair, total_below_pair, total_at_single,
                 per_deployment_below_min, _caps(1), _caps(2), _caps(3), _caps(4),
                 overlapping_inspections, crowd, busy_edges, nonworking_on_mandatory,
                 unavailable_on_mandatory, window_cuts_inspection,
                 seat_min_equals_max, multi_specialism, own_area_and_excluded, pinned_valid,
                 pinned_contradicting, preferences, preference_edges]


def everything(rng, data):
    """Several classes at once (pins last, so they see the final rules)."""
    pool = [c for c in VALID_CLASSES
            if not c.__name__.startswith(("pinned", "cap_", "overlapping", "crowd", "prefer",
                                          "busy"))]
    for c in rng.sample(pool, rng.randint(4, 7)):
        c(rng, data)
    data["policy"] = {"max_deployments_per_assessor": rng.randint(1, 4)}
    rng.choice([pinned_valid, pinned_valid, pinned_contradicting])(rng, data)


CLASSES = {c.__name__: c for c in VALID_CLASSES + [everything, pinned_invalid, invalid_input,
                                                   invalid_preferences]}
NAMES = list(CLASSES)


def features(data: dict) -> list[str]:
    """The boundaries an instance actually shows, whatever it was built for."""
    out = set()
    for i in data["inspections"]:
        for s in i["seats"]:
            if len(i["mandatory_days"]) > max(MIN_DAYS, s["min_days"]):
                out.add("mandatory_above_min")
            if s["min_days"] == s["max_days"]:
                out.add("seat_min_equals_max")
    if data.get("pinned"):
        out.add("pinned")
    cap = (data.get("policy") or {}).get("max_deployments_per_assessor", 2)
    if isinstance(cap, int) and 1 <= cap <= 4:
        out.add(f"cap_{cap}")
    if any(len(a["specialisms"]) > 1 for a in data["assessors"]):
        out.add("several_specialisms")
    if any(a.get("preferences") for a in data["assessors"]):
        out.add("preferences")
    order = (data.get("policy") or {}).get("objective")
    if isinstance(order, list) and order[1:2] == ["partnerships_reached"]:
        out.add("partnerships_second")
    return sorted(out)


def case(seed: int) -> Case:
    name = NAMES[seed % len(NAMES)]
    rng = random.Random(seed)
    data = _base(rng, rng.randint(1, 6), rng.randint(2, 4))
    CLASSES[name](rng, data)
    return Case(f"seed-{seed}-{name}", tuple([name] + [f for f in features(data) if f != name]),
                data)


def expected_kind(data: dict) -> str:
    """What a correct solver does with it: 'invalid' (exit 2), 'infeasible' or 'solve'."""
    if input_problems(data):
        return "invalid"
    return "infeasible" if pin_contradictions(Problem(data)) else "solve"


if __name__ == "__main__":
    json.dump(case(int(sys.argv[1])).data, sys.stdout, indent=1)
