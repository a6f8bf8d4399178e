"""solver.explain: counts by the first excluding rule (spec order) and suggestions that are true."""
from __future__ import annotations

import copy
import datetime as dt
import re
import time
from dataclasses import replace

import pytest

from solver.explain import candidates, explain_seat, explain_unfilled
from solver.instance import EXCLUDED_KEYS, Deployment, Instance
from solver.rules import why_not

D = dt.date.fromisoformat
# Inspection I1 in Angus: ten working days, mandatory 1 and 8-9 March.
DAYS = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05",
        "2027-03-08", "2027-03-09", "2027-03-10", "2027-03-11", "2027-03-12"]
MANDATORY = ["2027-03-01", "2027-03-08", "2027-03-09"]
NAMES = {"A1": "Ailsa MacKay"}
FULL = {"from": "2027-01-04", "to": "2027-12-17", "max_days_per_deployment": 8,
        "max_days_total": 16}


def assessor(aid, **kw):
    a = {"id": aid, "name": NAMES.get(aid, aid), "specialisms": ["children"], "sector": "statutory",
         "home_area": "fife", "employer": "Fife Council", "agreement": dict(FULL),
         "unavailable": []}
    a.update(kw)
    if a["agreement"] is None:
        del a["agreement"]
    return a


def instance(assessors, seats=None, extra_inspections=(), policy=None):
    return Instance.from_json({
        "format": "assessor-deployment-instance/1",
        "horizon": {"start": "2027-01-04", "end": "2027-12-17"},
        "non_working_days": [],
        "policy": policy or {"max_deployments_per_assessor": 2},
        "areas": [{"id": "fife", "name": "Fife", "lat": 56.20, "lon": -3.17},
                  {"id": "angus", "name": "Angus", "lat": 56.64, "lon": -2.89},
                  {"id": "highland", "name": "Highland", "lat": 57.48, "lon": -4.22},
                  {"id": "glasgow-city", "name": "Glasgow City", "lat": 55.86, "lon": -4.25}],
        "assessors": assessors,
        "inspections": [{
            "id": "I1", "title": "Children in Angus", "area": "angus",
            "excluded_employers": ["Angus Council", "NHS Tayside"],
            "days": DAYS, "mandatory_days": MANDATORY,
            "seats": seats or [{"specialism": "children", "count": 3, "min_days": 6,
                                "max_days": 8}],
        }, *extra_inspections],
        "pinned": [],
    })


OTHER = {"id": "I2", "title": "Children in Highland", "area": "highland",
         "excluded_employers": ["The Highland Council", "NHS Highland"],
         "days": DAYS, "mandatory_days": ["2027-03-02"],
         "seats": [{"specialism": "children", "count": 2, "min_days": 4, "max_days": 8}]}
LATER = {**OTHER, "id": "I3", "days": ["2027-05-03", "2027-05-04", "2027-05-05", "2027-05-06",
                                          "2027-05-07"], "mandatory_days": ["2027-05-03"]}


def dep(aid, iid="I2", days=DAYS[:6]):
    return Deployment(aid, iid, "children", tuple(D(d) for d in days))


def only(inst, deployments=()):
    [u] = [u for u in explain_unfilled(inst, deployments) if u.inspection == "I1"]
    return u


def counted(u):
    return {k: v for k, v in u.excluded.items() if v}


# ----------------------------------------------------------------------------- counts by rule

def test_own_area_comes_first_even_when_other_rules_also_apply():
    inst = instance([assessor("A1", home_area="angus", employer="Angus Council", agreement=None)])
    assert counted(only(inst)) == {"own_area": 1}


def test_employer_conflict_before_agreement_rules():
    inst = instance([assessor("A1", employer="NHS Tayside", agreement=None)])
    assert counted(only(inst)) == {"employer_conflict": 1}


def test_no_agreement():
    assert counted(only(instance([assessor("A1", agreement=None)]))) == {"no_agreement": 1}


def test_agreement_window_before_agreement_days():
    g = {**FULL, "to": "2027-03-05", "max_days_per_deployment": 4}
    assert counted(only(instance([assessor("A1", agreement=g)]))) == {"agreement_window": 1}


def test_agreement_days_before_unavailable():
    g = {**FULL, "max_days_per_deployment": 4}
    a = assessor("A1", agreement=g, unavailable=[{"from": "2027-03-08", "to": "2027-03-08"}])
    assert counted(only(instance([a]))) == {"agreement_days": 1}


def test_unavailable_on_a_mandatory_day():
    a = assessor("A1", unavailable=[{"from": "2027-03-08", "to": "2027-03-08"}])
    assert counted(only(instance([a]))) == {"unavailable": 1}


def test_deployment_cap_before_busy():
    inst = instance([assessor("A1")], extra_inspections=[OTHER, LATER],
                    policy={"max_deployments_per_assessor": 1})
    assert counted(only(inst, [dep("A1", "I3", LATER["days"])])) == {"deployment_cap": 1}


def test_below_the_cap_but_on_every_inspection_is_busy_not_at_the_cap():
    # cap 3, two inspections: on another seat of I1 and on I2, A1 is kept off I1's children
    # seat by one seat per inspection (rule 1), and the sentence must not say "maximum 2"
    seats = [{"specialism": "children", "count": 1, "min_days": 4, "max_days": 8},
             {"specialism": "adults", "count": 1, "min_days": 4, "max_days": 8}]
    inst = instance([assessor("A1", specialisms=["adults", "children"])], seats=seats,
                    extra_inspections=[LATER], policy={"max_deployments_per_assessor": 3})
    plan = [replace(dep("A1", "I1", MANDATORY + DAYS[1:2]), specialism="adults"),
            dep("A1", "I3", LATER["days"])]
    assert counted(only(inst, plan)) == {"busy": 1}
    [holder] = candidates(inst, "I1", "children", plan)
    assert holder.status == "busy" and "maximum" not in str(holder.reasons[0])


def test_busy_when_other_deployment_takes_a_mandatory_day():
    inst = instance([assessor("A1")], extra_inspections=[OTHER])
    assert counted(only(inst, [dep("A1", "I2", ["2027-03-01", *DAYS[1:5]])])) == {"busy": 1}


def test_busy_when_total_days_are_used_up():
    a = assessor("A1", agreement={**FULL, "max_days_total": 10})
    inst = instance([a], extra_inspections=[LATER])
    assert counted(only(inst, [dep("A1", "I3", LATER["days"])])) == {"busy": 1}


def test_deployed_here_and_counts_add_up_to_holders():
    people = [assessor("A1"), assessor("A2", home_area="angus"), assessor("A3", agreement=None),
              assessor("A4", employer="Angus Council"), assessor("A5", specialisms=["adults"]),
              assessor("A6", unavailable=[{"from": "2027-03-01", "to": "2027-03-31"}])]
    inst = instance(people)
    u = only(inst, [dep("A1", "I1", DAYS[:8])])
    assert u.holders == 5  # A5 holds another specialism
    assert u.deployed_here == 1
    assert u.deployed_here + sum(u.excluded.values()) == u.holders
    assert set(u.excluded) == set(EXCLUDED_KEYS)
    assert u.missing == 2


def test_a_holder_free_to_take_the_seat_is_counted_busy_and_named():
    inst = instance([assessor("A1")])
    u = only(inst)
    assert counted(u) == {"busy": 1}
    assert any("A1" in s and "free" in s for s in u.suggestions)


def test_filled_seats_are_not_reported():
    inst = instance([assessor("A1")], seats=[{"specialism": "children", "count": 1,
                                              "min_days": 6, "max_days": 8}])
    assert explain_unfilled(inst, [dep("A1", "I1", DAYS[:8])]) == []


def test_past_the_deadline_every_unfilled_seat_still_gets_its_counts_but_no_suggestions():
    inst = instance([assessor("A1"), assessor("A2", home_area="angus"), assessor("A3")],
                    extra_inspections=[OTHER])
    full = explain_unfilled(inst, [dep("A3")])
    late = explain_unfilled(inst, [dep("A3")], deadline=time.monotonic() - 1.0)
    assert [u.suggestions for u in full if u.inspection == "I1"] != [()]
    assert [replace(u, suggestions=()) for u in full] == late


# ----------------------------------------------------------------------------- suggestions are true

def _apply_and_check(inst, aid, change, deployments=()):
    """Change the assessor's JSON as the suggestion says; they can then take the seat."""
    data = copy.deepcopy(inst.to_json())
    [a] = [a for a in data["assessors"] if a["id"] == aid]
    change(a)
    new = Instance.from_json(data)
    mine = [d for d in deployments if d.assessor == aid]
    return why_not(new, new.assessor_by_id[aid], new.inspection_by_id["I1"], "children", mine)


def test_one_day_unavailability_suggestion_is_produced_and_true():
    a = assessor("A1", employer="Barnardo's Scotland",
                 unavailable=[{"from": "2027-03-08", "to": "2027-03-08"}])
    inst = instance([a])
    u = only(inst)
    [s] = [s for s in u.suggestions if "unavailable" in s]
    assert s == ("Ailsa MacKay (A1) is unavailable on mandatory day 8 March 2027 only: ask "
                 "whether they could make it")
    assert _apply_and_check(inst, "A1", lambda x: x.update(unavailable=[])) is None


def test_agreement_days_suggestion_names_employer_and_days_and_is_true():
    a = assessor("A1", employer="NHS Fife", agreement={**FULL, "max_days_per_deployment": 4})
    inst = instance([a])
    [s] = [s for s in only(inst).suggestions if "release" in s]
    assert s == "ask NHS Fife to release Ailsa MacKay (A1) for 6 days per deployment instead of 4"
    m = re.search(r"for (\d+) days per deployment", s)
    days = int(m.group(1))
    assert _apply_and_check(inst, "A1", lambda x: x["agreement"].update(
        max_days_per_deployment=days)) is None
    assert _apply_and_check(inst, "A1", lambda x: x["agreement"].update(
        max_days_per_deployment=days - 1)) is not None


def test_agreement_window_suggestion_is_true():
    a = assessor("A1", agreement={**FULL, "from": "2027-03-04"})
    inst = instance([a])
    [s] = [s for s in only(inst).suggestions if "extend" in s]
    assert s == ("ask Fife Council to extend Ailsa MacKay (A1)'s agreement from 1 March 2027 "
                 "instead of 4 March 2027")
    assert _apply_and_check(inst, "A1", lambda x: x["agreement"].update(
        **{"from": "2027-03-01"})) is None


def test_no_agreement_suggestion_is_true():
    inst = instance([assessor("A1", agreement=None)])
    [s] = [s for s in only(inst).suggestions if "agree" in s]
    m = re.fullmatch(r"ask Fife Council to agree to release Ailsa MacKay \(A1\) for (\d+) days "
                     r"between (\d+ \w+ \d{4}) and (\d+ \w+ \d{4})", s)
    assert m
    n = int(m.group(1))
    a, b = (dt.datetime.strptime(x, "%d %B %Y").date().isoformat() for x in m.groups()[1:])
    assert _apply_and_check(inst, "A1", lambda x: x.update(agreement={
        "from": a, "to": b, "max_days_per_deployment": n, "max_days_total": n})) is None


def test_total_days_suggestion_is_true():
    a = assessor("A1", agreement={**FULL, "max_days_total": 10})
    inst = instance([a], extra_inspections=[LATER])
    deps = [dep("A1", "I3", LATER["days"])]
    [s] = [s for s in only(inst, deps).suggestions if "in total" in s]
    assert s == "ask Fife Council to release Ailsa MacKay (A1) for 11 days in total instead of 10"
    assert _apply_and_check(inst, "A1", lambda x: x["agreement"].update(max_days_total=11),
                            deps) is None
    assert _apply_and_check(inst, "A1", lambda x: x["agreement"].update(max_days_total=10),
                            deps) is not None


def test_swap_suggestion_is_true():
    inst = instance([assessor("A1")], extra_inspections=[OTHER])
    deps = [dep("A1", "I2", ["2027-03-01", *DAYS[1:5]])]
    [s] = [s for s in only(inst, deps).suggestions if "instead of their" in s]
    assert s == ("Ailsa MacKay (A1) could take this seat instead of their Children and young "
                 "people place on Children in Highland (I2)")
    a = inst.assessor_by_id["A1"]
    assert why_not(inst, a, inst.inspection_by_id["I1"], "children", []) is None


def test_moving_a_mandatory_day_counts_the_assessors_it_frees():
    away = [{"from": "2027-03-09", "to": "2027-03-09"}]
    people = [assessor(f"A{k}", unavailable=away) for k in range(1, 5)]
    people.append(assessor("A9", unavailable=[{"from": "2027-03-01", "to": "2027-03-12"}]))
    inst = instance(people)
    u = only(inst)
    [s] = [s for s in u.suggestions if "optional instead of mandatory" in s]
    assert s == ("make 9 March 2027 optional instead of mandatory: 4 assessors who cannot take "
                 "this seat now could")
    data = inst.to_json()
    data["inspections"][0]["mandatory_days"].remove("2027-03-09")
    moved = Instance.from_json(data)
    freed = [a.id for a in moved.assessors
             if why_not(moved, a, moved.inspection_by_id["I1"], "children", []) is None]
    assert freed == ["A1", "A2", "A3", "A4"]


def test_no_suggestion_for_a_conflict_of_interest():
    inst = instance([assessor("A1", home_area="angus"), assessor("A2", employer="NHS Tayside")])
    assert only(inst).suggestions == ()


def test_explain_seat_returns_structured_suggestions():
    inst = instance([assessor("A1", unavailable=[{"from": "2027-03-08", "to": "2027-03-08"}])])
    e = explain_seat(inst, inst.inspection_by_id["I1"], "children", [])
    assert (e.holders, e.deployed_here, e.could_take, e.excluded["unavailable"]) == (1, 0, 0, 1)
    assert [s.kind for s in e.suggestions] == ["unavailable"]
    assert e.suggestions[0].assessor == "A1"


# ----------------------------------------------------------------------------- candidates

def test_candidates_lists_every_holder_eligible_first_by_deployments_then_distance():
    people = [
        assessor("A1", home_area="glasgow-city", employer="Glasgow City Council"),  # far
        assessor("A2", home_area="fife"),  # near
        assessor("A3", home_area="fife", agreement=None),
        assessor("A4", home_area="angus", employer="Angus Council"),
        assessor("A5", home_area="fife"),  # near but already deployed elsewhere
        assessor("A6", specialisms=["justice"]),
    ]
    inst = instance(people, extra_inspections=[LATER])
    deps = [dep("A5", "I3", LATER["days"])]
    cs = candidates(inst, "I1", "children", deps)
    assert [c.assessor for c in cs] == ["A2", "A1", "A5", "A4", "A3"]
    assert [c.status for c in cs] == ["eligible", "eligible", "eligible", "own_area",
                                      "no_agreement"]
    assert cs[0].km < cs[1].km
    assert cs[2].deployments == 1
    a4 = cs[3]
    assert [r.code for r in a4.reasons] == ["own_area", "employer_conflict"]
    assert cs[4].suggestion is not None and "agree to release A3 (A3)" in cs[4].suggestion


def test_candidates_put_those_deployed_here_first():
    inst = instance([assessor("A1"), assessor("A2")])
    cs = candidates(inst, "I1", "children", [dep("A2", "I1", DAYS[:8])])
    assert [(c.assessor, c.status) for c in cs] == [("A2", "deployed_here"), ("A1", "eligible")]


def test_candidates_reject_unknown_seat():
    inst = instance([assessor("A1")])
    with pytest.raises(KeyError):
        candidates(inst, "I1", "justice")
