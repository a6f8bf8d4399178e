"""Assessors' preferences (keen, rather not), partnerships reached and the order of the levels
(spec, "Optional: preferences and the order of the levels"): the optimum follows the order given,
bad input exits 2 naming the field, the checker recomputes the new levels, every engine reaches
the same optimum, and a keen assessor left off is told why."""
import copy
import json
import random

import pytest

from solver import Instance, InvalidInstance, enumerated
from solver.check import check
from solver.model import solve
from solver.objective import NAMES
from solver.preferences import explain_keen

from .generator import generate
from .helpers import assessor, inspection, instance
from .test_cli import run
from .test_schemas import parser_accepts, schema

DEFAULT = ["seats_filled", "days_deployed", "repeat_deployments", "travel_km"]


def solved(data, **kwargs):
    inst = Instance.from_json(data)
    plan = solve(inst, time_limit=30, workers=1, **kwargs)
    assert check(inst, plan).ok
    return plan


def one_seat(order, **prefs):
    """One 5-day children seat in Angus; A1 lives in Fife (51 km), A2 in Highland (123 km)."""
    people = [assessor("A1", home="fife", name="Morag Lyle"),
              assessor("A2", home="highland", name="Iain Ross")]
    for who, pref in prefs.items():
        people[int(who[1]) - 1]["preferences"] = pref
    data = instance(people, [dict(inspection("I1", range(1, 6)), title="Angus children")])
    if order is not None:
        data["policy"]["objective"] = order
    return data


def placed(plan):
    return sorted(d.assessor for d in plan.deployments)


# ----------------------------------------------------------------------------- the levels

def test_without_preferences_the_nearer_assessor_takes_the_seat():
    plan = solved(one_seat(None))
    assert placed(plan) == ["A1"]
    assert list(plan.objective) == list(plan.bound) == DEFAULT


def test_a_keen_assessor_takes_the_seat_when_keen_comes_before_travel():
    plan = solved(one_seat(["seats_filled", "keen", "travel_km"], A2={"keen": ["I1"]}))
    assert placed(plan) == ["A2"]
    assert plan.objective == {"seats_filled": 1, "keen": 1, "travel_km": 123}
    assert list(plan.bound) == ["seats_filled", "keen", "travel_km"]


def test_keen_after_travel_changes_nothing_travel_decided():
    plan = solved(one_seat(DEFAULT + ["keen"], A2={"keen": ["I1"]}))
    assert placed(plan) == ["A1"] and plan.objective["keen"] == 0
    [miss] = explain_keen(Instance.from_json(one_seat(DEFAULT + ["keen"], A2={"keen": ["I1"]})),
                          plan.deployments)
    assert (miss.assessor, miss.inspection, miss.decided_by) == ("A2", "I1", "travel_km")
    assert "went to assessors who travel less to Angus" in miss.reason


def test_rather_not_sends_the_other_assessor():
    plan = solved(one_seat(["seats_filled", "rather_not", "travel_km"],
                           A1={"rather_not": ["I1"]}))
    assert placed(plan) == ["A2"] and plan.objective["rather_not"] == 0


def test_no_preference_ever_costs_a_seat():
    data = one_seat(["seats_filled", "rather_not"], A1={"rather_not": ["I1"]})
    data["assessors"].pop()         # only A1 can sit
    plan = solved(data)
    assert placed(plan) == ["A1"] and plan.objective == {"seats_filled": 1, "rather_not": 1}


def test_keen_and_rather_not_on_one_inspection_from_different_assessors():
    plan = solved(one_seat(["seats_filled", "rather_not", "keen"],
                           A1={"keen": ["I1"]}, A2={"rather_not": ["I1"]}))
    assert placed(plan) == ["A1"] and plan.objective == {"seats_filled": 1, "rather_not": 0,
                                                         "keen": 1}


def two_inspections(order):
    """Two 5-day children seats in Angus, apart in time; A1 and A2 live in Fife, A3 in Highland
    and may work 4 days a deployment."""
    data = instance([assessor("A1", home="fife"), assessor("A2", home="fife"),
                     assessor("A3", home="highland", per=4)],
                    [inspection("I1", range(1, 6), seats=[("children", 1, 4, 5)]),
                     inspection("I2", range(15, 20), seats=[("children", 1, 4, 5)])])
    if order is not None:
        data["policy"]["objective"] = order
    return data


def test_partnerships_second_sends_an_assessor_from_another_area_for_a_day_less():
    default = solved(two_inspections(None))
    assert placed(default) == ["A1", "A2"] and default.objective["days_deployed"] == 10
    order = ["seats_filled", "partnerships_reached", "days_deployed", "travel_km"]
    plan = solved(two_inspections(order))
    assert "A3" in placed(plan)
    assert plan.objective == {"seats_filled": 2, "partnerships_reached": 2,
                              "days_deployed": 9, "travel_km": 51 + 123}
    assert plan.status == "optimal" and plan.bound == plan.objective


def test_keen_and_rather_not_without_preferences_change_no_optimum():
    data = generate(40, 6, 1)
    plain = solved(data)
    data["policy"] = {"objective": DEFAULT + ["rather_not", "keen"]}
    both = solved(data)
    assert both.objective == dict(plain.objective, rather_not=0, keen=0)


def test_an_instance_without_the_new_fields_writes_them_nowhere():
    data = generate(40, 6, 2)
    inst = Instance.from_json(data)
    assert "objective" not in inst.to_json()["policy"]
    assert all("preferences" not in a for a in inst.to_json()["assessors"])
    assert list(solved(data).objective) == DEFAULT


def with_preferences(data, seed, order):
    """Preferences on a third of the assessors (disjoint keen and rather-not lists)."""
    rng = random.Random(seed)
    ids = [i["id"] for i in data["inspections"]]
    for a in data["assessors"][::3]:
        picked = rng.sample(ids, min(len(ids), 4))
        a["preferences"] = {"keen": picked[:2], "rather_not": picked[2:]}
    data.setdefault("policy", {})["objective"] = order
    return data


SEVEN = ["seats_filled", "rather_not", "days_deployed", "keen", "partnerships_reached",
         "repeat_deployments", "travel_km"]
ORDERS = [SEVEN, ["seats_filled", "partnerships_reached", "keen", "travel_km", "rather_not"],
          ["seats_filled", "keen", "repeat_deployments", "partnerships_reached"]]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "-".join(n[:4] for n in o))
def test_the_pattern_and_cp_sat_engines_agree_on_every_order(monkeypatch, order):
    from solver import model, patterns
    data = with_preferences(generate(30, 5, 4), 1, order)
    by_patterns = solved(data)
    monkeypatch.setattr(model, "highspy", None)
    monkeypatch.setattr(patterns, "highspy", None)
    by_cp_sat = solved(data)
    assert by_patterns.status == by_cp_sat.status == "optimal"
    assert by_patterns.objective == by_cp_sat.objective
    assert list(by_patterns.objective) == order


@pytest.mark.parametrize("order", ORDERS[:2], ids=lambda o: "-".join(n[:4] for n in o))
def test_caps_above_two_the_enumerated_and_aggregated_models_agree(monkeypatch, order):
    data = with_preferences(generate(40, 6, 2), 2, order)
    data["policy"]["max_deployments_per_assessor"] = 3
    by_patterns = solved(data)
    monkeypatch.setattr(enumerated, "MAX_PATTERNS", 0)     # the aggregated model
    by_aggregate = solved(data)
    assert by_patterns.status == by_aggregate.status == "optimal"
    assert by_patterns.objective == by_aggregate.objective


# ----------------------------------------------------------------------------- invalid input

def refused(change):
    data = one_seat(None, A1={"keen": ["I1"]})
    change(data)
    with pytest.raises(InvalidInstance) as exc:
        Instance.from_json(data)
    return exc.value.errors


@pytest.mark.parametrize("change, path", [
    (lambda d: d["assessors"][1].update(preferences={"keen": ["I9"]}),
     "assessors[1].preferences.keen[0]: unknown inspection id 'I9'"),
    (lambda d: d["assessors"][0].update(preferences={"keen": ["I1"], "rather_not": ["I1"]}),
     "assessors[0].preferences.rather_not[0]: 'I1' is also in keen"),
    (lambda d: d["assessors"][0].update(preferences={"keen": "I1"}),
     "assessors[0].preferences.keen: expected array"),
    (lambda d: d["assessors"][0].update(preferences={"liked": ["I1"]}),
     "assessors[0].preferences.liked: unknown field"),
    (lambda d: d["policy"].update(objective=["seats_filled", "kean"]),
     "policy.objective[1]: \"kean\" is not a level"),
    (lambda d: d["policy"].update(objective=["seats_filled", "keen", "keen"]),
     "policy.objective[2]: 'keen' is listed twice"),
    (lambda d: d["policy"].update(objective=["keen", "seats_filled"]),
     "policy.objective[0]: 'keen' cannot come first"),
    (lambda d: d["policy"].update(objective=[]), "policy.objective: must list the levels"),
    (lambda d: d["policy"].update(objective="keen"), "policy.objective: expected array"),
])
def test_bad_preferences_and_orders_are_refused_naming_the_field(change, path):
    assert any(e.startswith(path) for e in refused(change)), refused(change)


def test_the_command_line_exits_2_naming_the_field(tmp_path):
    data = one_seat(["seats_filled", "keen", "seats_filled"], A2={"keen": ["I1", "I7"]})
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    r = run("solve", path, "--workers", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "error: assessors[1].preferences.keen[1]: unknown inspection id 'I7'" in r.stderr
    assert "error: policy.objective[2]: 'seats_filled' is listed twice" in r.stderr


def test_the_schema_and_the_parser_agree_on_the_new_fields():
    good = one_seat(SEVEN, A1={"keen": ["I1"]}, A2={"rather_not": ["I1"]})
    assert parser_accepts(Instance.from_json, good)
    assert list(schema("instance").iter_errors(good)) == []
    for bad in (one_seat(["keen", "seats_filled"]), one_seat(["seats_filled", "kean"]),
                one_seat(None, A1={"keen": "I1"}), one_seat(None, A1={"liked": []})):
        assert not parser_accepts(Instance.from_json, bad)
        assert list(schema("instance").iter_errors(bad)) != []
    plan = solved(good).to_json()
    assert list(schema("plan").iter_errors(plan)) == [] and list(plan["objective"]) == SEVEN


# ----------------------------------------------------------------------------- the checker

def test_the_checker_recomputes_the_new_levels_and_refuses_a_wrong_claim(tmp_path):
    data = one_seat(SEVEN, A2={"keen": ["I1"]}, A1={"rather_not": ["I1"]})
    plan = solved(data).to_json()
    assert plan["objective"]["keen"] == 1 and plan["objective"]["partnerships_reached"] == 1
    (tmp_path / "i.json").write_text(json.dumps(data))
    wrong = copy.deepcopy(plan)
    wrong["objective"]["keen"] = 0
    (tmp_path / "p.json").write_text(json.dumps(wrong))
    r = run("check", tmp_path / "i.json", tmp_path / "p.json")
    assert r.returncode == 1
    assert "objective.keen: the plan claims 0, its deployments give 1" in r.stdout
    wrong["deployments"][0]["assessor"] = "A1"          # A1 would rather not: rather_not 1
    (tmp_path / "p.json").write_text(json.dumps(wrong))
    r = run("check", tmp_path / "i.json", tmp_path / "p.json")
    assert '"rather_not": 1' in r.stdout and '"keen": 0' in r.stdout


def test_every_level_name_is_one_the_plan_format_reads():
    assert set(SEVEN) == set(NAMES)


# ----------------------------------------------------------------------------- explanations

def test_a_keen_assessor_in_their_own_area_is_told_the_rule():
    data = one_seat(SEVEN, A2={"keen": ["I1"]})
    data["assessors"][1]["home_area"] = "angus"
    inst = Instance.from_json(data)
    [miss] = explain_keen(inst, solved(data).deployments)
    assert miss.decided_by == "own_area"
    assert miss.reason == ("Iain Ross (A2) asked to join Angus children (I1): Angus children (I1) "
                           "is in Iain Ross (A2)'s own area, Angus")


def test_a_keen_assessor_without_the_specialism_is_told_so():
    data = one_seat(SEVEN, A2={"keen": ["I1"]})
    data["assessors"][1]["specialisms"] = ["justice"]
    [miss] = explain_keen(Instance.from_json(data), solved(data).deployments)
    assert miss.decided_by == "specialism" and "it needs Children and young people" in miss.reason


def test_a_keen_assessor_outdone_on_days_is_told_the_level():
    # A2 may work 4 days, A1 all 5: days come before keen
    data = one_seat(DEFAULT[:2] + ["keen"], A2={"keen": ["I1"]})
    data["assessors"][1]["agreement"]["max_days_per_deployment"] = 4
    [miss] = explain_keen(Instance.from_json(data), solved(data).deployments)
    assert miss.decided_by == "days_deployed"
    assert ("the Children and young people seats went to assessors who add more inspection days"
            in miss.reason)


def test_the_seat_went_to_another_keen_assessor():
    data = one_seat(["seats_filled", "keen", "travel_km"], A1={"keen": ["I1"]},
                    A2={"keen": ["I1"]})
    plan = solved(data)
    [miss] = explain_keen(Instance.from_json(data), plan.deployments)
    assert miss.assessor == "A2" and miss.decided_by == "travel_km"


def test_the_command_line_explains_keen_assessors_left_off(tmp_path):
    data = one_seat(DEFAULT + ["keen"], A2={"keen": ["I1"]})
    (tmp_path / "i.json").write_text(json.dumps(data))
    (tmp_path / "p.json").write_text(json.dumps(solved(data).to_json()))
    r = run("explain", tmp_path / "i.json", tmp_path / "p.json")
    assert r.returncode == 0
    assert ("Not placed where keen: Iain Ross (A2) asked to join Angus children (I1): the "
            "Children and young people seats went to assessors who travel less to Angus (travel km)") in r.stdout
