"""On small random instances the solver's plan is valid and lexicographically optimal, compared
with a brute force written here from the spec alone (independent of model.py and rules.py)."""
import itertools
import math
from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

from solver import Instance
from solver.check import check
from solver.model import solve

from .helpers import AREAS, instance

SPECS = ["children", "justice"]


@st.composite
def small_instances(draw):
    assessors = []
    for k in range(draw(st.integers(2, 5))):
        specs = draw(st.lists(st.sampled_from(SPECS), min_size=1, max_size=2, unique=True))
        a = {"id": f"A{k}", "name": f"A{k}", "specialisms": sorted(specs), "sector": "third",
             "home_area": draw(st.sampled_from(AREAS))["id"],
             "employer": draw(st.sampled_from(["E1", "E2", "E3"])), "unavailable": []}
        if draw(st.integers(0, 9)) < 8:
            frm = draw(st.integers(1, 3))
            a["agreement"] = {"from": f"2027-03-{frm:02d}",
                              "to": f"2027-03-{draw(st.integers(6, 10)):02d}",
                              "max_days_per_deployment": draw(st.integers(3, 6)),
                              "max_days_total": draw(st.integers(4, 12))}
        if draw(st.booleans()):
            u = draw(st.integers(1, 10))
            a["unavailable"].append({"from": f"2027-03-{u:02d}", "to": f"2027-03-{u:02d}"})
        assessors.append(a)
    inspections = []
    for k in range(draw(st.integers(1, 3))):
        start = draw(st.integers(1, 6))
        days = list(range(start, start + draw(st.integers(4, 5))))
        mand = draw(st.lists(st.sampled_from(days), max_size=2, unique=True))
        seats = []
        for spec in draw(st.lists(st.sampled_from(SPECS), min_size=1, max_size=2, unique=True)):
            seats.append({"specialism": spec, "count": draw(st.integers(1, 2)), "min_days": 4,
                          "max_days": draw(st.integers(4, 5))})
        inspections.append({"id": f"I{k}", "title": "", "area": draw(st.sampled_from(AREAS))["id"],
                            "excluded_employers": draw(st.lists(st.sampled_from(["E1", "E2"]),
                                                                max_size=1)),
                            "days": [f"2027-03-{d:02d}" for d in days],
                            "mandatory_days": [f"2027-03-{d:02d}" for d in sorted(mand)],
                            "seats": seats})
    data = instance(assessors, inspections, k=draw(st.integers(1, 3)),
                    nwd=draw(st.lists(st.integers(1, 10), max_size=1)))
    return data


def km(a_area, b_area):
    a = next(x for x in AREAS if x["id"] == a_area)
    b = next(x for x in AREAS if x["id"] == b_area)
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * 6371.0 * math.asin(math.sqrt(h)))


def brute_force(data):
    """Best (seats, days, -repeats, -km) by enumerating every assessor's deployment sets and
    combining assessors with a DP over seat usage."""
    d = lambda s: date.fromisoformat(s)
    nwd = {d(x) for x in data["non_working_days"]}
    k_max = data["policy"]["max_deployments_per_assessor"]
    seat_keys = [(i["id"], s["specialism"]) for i in data["inspections"] for s in i["seats"]]
    counts = [s["count"] for i in data["inspections"] for s in i["seats"]]
    states = {tuple(0 for _ in seat_keys): (0, 0, 0, 0)}
    for a in data["assessors"]:
        g = a.get("agreement")
        per_insp = []
        for i in data["inspections"]:
            opts = [None]
            if g and a["home_area"] != i["area"] and a["employer"] not in i["excluded_employers"]:
                ok_days = [x for x in map(d, i["days"])
                           if d(g["from"]) <= x <= d(g["to"]) and x not in nwd
                           and not any(d(u["from"]) <= x <= d(u["to"]) for u in a["unavailable"])]
                mand = set(map(d, i["mandatory_days"]))
                for s in i["seats"]:
                    if s["specialism"] not in a["specialisms"]:
                        continue
                    lo = max(4, s["min_days"])
                    hi = min(12, s["max_days"], g["max_days_per_deployment"])
                    for n in range(lo, hi + 1):
                        for days in itertools.combinations(ok_days, n):
                            if mand <= set(days):
                                opts.append((seat_keys.index((i["id"], s["specialism"])),
                                             frozenset(days), km(a["home_area"], i["area"])))
            per_insp.append(opts)
        best_by_usage = {}
        for combo in itertools.product(*per_insp):
            deps = [c for c in combo if c is not None]
            if len(deps) > k_max:
                continue
            if deps and sum(len(c[1]) for c in deps) > g["max_days_total"]:
                continue
            used = set()
            clash = False
            for c in deps:
                if used & c[1]:
                    clash = True
                    break
                used |= c[1]
            if clash:
                continue
            usage = [0] * len(seat_keys)
            for c in deps:
                usage[c[0]] += 1
            val = (len(deps), sum(len(c[1]) for c in deps), -max(0, len(deps) - 1),
                   -sum(c[2] for c in deps))
            key = tuple(usage)
            if key not in best_by_usage or val > best_by_usage[key]:
                best_by_usage[key] = val
        new = {}
        for st_, v in states.items():
            for u, w in best_by_usage.items():
                s2 = tuple(x + y for x, y in zip(st_, u))
                if any(x > c for x, c in zip(s2, counts)):
                    continue
                v2 = tuple(p + q for p, q in zip(v, w))
                if s2 not in new or v2 > new[s2]:
                    new[s2] = v2
        states = new
    best = max(states.values())
    return {"seats_filled": best[0], "days_deployed": best[1], "repeat_deployments": -best[2],
            "travel_km": -best[3]}


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(small_instances())
def test_plan_is_valid_and_matches_the_brute_force_lexicographic_optimum(data):
    inst = Instance.from_json(data)
    plan = solve(inst, time_limit=20, workers=1)
    assert check(inst, plan).violations == []
    assert plan.status == "optimal"
    assert {k: plan.objective[k] for k in brute_force(data)} == brute_force(data)
