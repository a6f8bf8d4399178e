import json

import pytest

from solver import Instance, InvalidInstance, Plan, load_instance, load_plan, save_plan
from solver.instance import InvalidPlan

from .helpers import DATA, march, tiny


def errors_of(data) -> list[str]:
    with pytest.raises(InvalidInstance) as exc:
        Instance.from_json(data)
    return exc.value.errors


def test_the_tiny_example_loads():
    inst = load_instance(DATA / "tiny.json")
    assert [a.id for a in inst.assessors] == ["A1", "A2", "A3", "A4"]
    assert inst.assessor_by_id["A4"].agreement is None
    assert inst.policy.max_deployments_per_assessor == 2


def test_seat_below_four_days_is_named_by_its_path():
    d = tiny()
    d["inspections"][1]["seats"][0]["min_days"] = 3
    assert "inspections[1].seats[0].min_days: 3 is below the 4-day minimum" in errors_of(d)


def test_every_error_is_reported_not_just_the_first():
    d = tiny()
    d["inspections"][0]["seats"][0]["max_days"] = 13
    d["assessors"][1]["home_area"] = "fyfe"
    d["assessors"][2]["id"] = "A1"
    d["areas"][0]["lat"] = "north"
    d["inspections"][1]["days"][0] = "2027-02-30"
    d["assessors"][0]["specialisms"] = ["children", "pensions"]
    d["assessors"][0]["sector"] = "private"
    errs = errors_of(d)
    expected = ["inspections[0].seats[0].max_days: 13 is above the 12-day maximum",
                "assessors[1].home_area: unknown area id 'fyfe'",
                "assessors[2].id: duplicate id 'A1' (also assessors[0])",
                "areas[0].lat: expected finite number, got string \"north\"",
                "inspections[1].days[0]: \"2027-02-30\" is not a valid date (YYYY-MM-DD)",
                "assessors[0].specialisms[1]: \"pensions\" is not one of children, adults, justice",
                "assessors[0].sector: \"private\" is not one of statutory, third"]
    for e in expected:
        assert e in errs, (e, errs)


def test_min_days_above_max_days_is_rejected():
    d = tiny()
    d["inspections"][0]["seats"][0].update(min_days=9, max_days=6)
    assert "inspections[0].seats[0].min_days: 9 is greater than max_days 6" in errors_of(d)


def test_mandatory_day_outside_the_inspection_days_is_rejected():
    d = tiny()
    d["inspections"][0]["mandatory_days"].append("2027-03-20")
    assert any(e.startswith("inspections[0].mandatory_days[3]: 2027-03-20 is not one")
               for e in errors_of(d))


def test_missing_fields_and_wrong_types_are_named():
    d = tiny()
    del d["inspections"][0]["area"]
    d["assessors"][0]["agreement"]["max_days_total"] = "ten"
    d["policy"]["max_deployments_per_assessor"] = 1.5
    errs = errors_of(d)
    assert "inspections[0].area: is required" in errs
    assert any(e.startswith("assessors[0].agreement.max_days_total: expected integer") for e in errs)
    assert any(e.startswith("policy.max_deployments_per_assessor: expected integer") for e in errs)


def test_unknown_inspection_area_and_wrong_format_are_rejected():
    d = tiny()
    d["inspections"][0]["area"] = "mars"
    d["format"] = "assessor-deployment-plan/1"
    errs = errors_of(d)
    assert "inspections[0].area: unknown area id 'mars'" in errs
    assert any(e.startswith("format:") for e in errs)


def test_impossible_pinned_deployment_names_the_rule():
    d = tiny()
    d["pinned"] = [{"assessor": "A4", "inspection": "I1", "specialism": "children",
                    "days": march(1, 2, 8, 9)},
                   {"assessor": "A1", "inspection": "I1", "specialism": "children",
                    "days": march(1, 2, 8)},
                   {"assessor": "A9", "inspection": "I1", "specialism": "children",
                    "days": march(1, 2, 8, 9)}]
    errs = errors_of(d)
    assert any(e.startswith("pinned[0]:") and "rule 2 (conflict of interest)" in e for e in errs)
    assert any(e.startswith("pinned[1]:") and "rule 3 (length)" in e for e in errs)
    assert any(e.startswith("pinned[2]:") and "unknown assessor id 'A9'" in e for e in errs)


def test_non_object_top_level_is_a_clean_error():
    assert errors_of([1, 2]) == ["instance: expected a JSON object at the top level, got array"]


def test_plan_round_trips_through_json(tmp_path):
    from solver.model import solve
    inst = load_instance(DATA / "tiny.json")
    plan = solve(inst, time_limit=10, workers=1)
    save_plan(plan, tmp_path / "p.json")
    again = load_plan(tmp_path / "p.json")
    assert again.deployments == plan.deployments
    assert again.objective == plan.objective
    assert json.loads((tmp_path / "p.json").read_text())["format"] == "assessor-deployment-plan/1"


def test_a_plan_without_a_bound_below_an_unproven_level_loads(tmp_path):
    plan = Plan("feasible", {"seats_filled": 3, "days_deployed": 24, "repeat_deployments": 0,
                             "travel_km": 90},
                {"seats_filled": 3.0, "days_deployed": 25.0, "repeat_deployments": None,
                 "travel_km": None}, 1.0, (), ())
    save_plan(plan, tmp_path / "p.json")
    assert load_plan(tmp_path / "p.json").bound == plan.bound


def test_malformed_plan_is_rejected_with_paths():
    with pytest.raises(InvalidPlan) as exc:
        Plan.from_json({"format": "assessor-deployment-plan/1", "status": "great",
                        "deployments": [{"assessor": "A1", "days": ["x"]}]})
    errs = exc.value.errors
    assert "status: \"great\" is not one of optimal, feasible, infeasible, unknown" in errs
    assert "deployments[0].inspection: is required" in errs
    assert "deployments[0].days[0]: \"x\" is not a valid date (YYYY-MM-DD)" in errs


def test_instance_round_trips_through_its_own_json():
    inst = load_instance(DATA / "tiny.json")
    assert Instance.from_json(inst.to_json()) == inst


def test_schemas_ship_with_the_package():
    from importlib import resources
    for name in ("instance", "plan"):
        text = resources.files("solver").joinpath(f"schema/{name}.schema.json").read_text()
        assert json.loads(text)["title"] == f"assessor-deployment-{name}/1"
