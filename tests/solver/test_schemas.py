"""The shipped JSON Schemas (solver/schema/*.json) and the parser agree: every file the parser
accepts is valid for its schema, and each structurally broken file is refused by both.  (The
schemas describe structure only: cross-field rules such as unknown ids are the parser's alone.)"""
import copy
import json
from pathlib import Path

import jsonschema
import pytest

from solver import Instance, Plan
from solver.model import solve

from .generator import generate
from .helpers import tiny

SCHEMAS = Path(__file__).resolve().parents[2] / "solver" / "schema"


def schema(name):
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{name}.schema.json").read_text()),
                                           format_checker=jsonschema.FormatChecker())


def parser_accepts(parse, data) -> bool:
    try:
        parse(data)
    except ValueError:          # InvalidInstance / InvalidPlan
        return False
    return True


VALID_INSTANCES = [tiny(), generate(40, 6, 1), generate(40, 6, 3)]


@pytest.mark.parametrize("data", VALID_INSTANCES)
def test_instances_the_parser_accepts_are_valid_for_the_schema(data):
    assert parser_accepts(Instance.from_json, data)
    assert list(schema("instance").iter_errors(data)) == []


def test_plans_the_solver_writes_are_valid_for_the_schema_and_the_parser():
    data = solve(Instance.from_json(generate(40, 6, 2)), time_limit=10, workers=1).to_json()
    assert parser_accepts(Plan.from_json, data)
    assert list(schema("plan").iter_errors(data)) == []


def broken(change):
    data = copy.deepcopy(tiny())
    change(data)
    return data


BROKEN_INSTANCES = {
    "wrong format": lambda d: d.update(format="something-else/9"),
    "no horizon": lambda d: d.pop("horizon"),
    "unknown top-level field": lambda d: d.update(colour="blue"),
    "date not YYYY-MM-DD": lambda d: d["horizon"].update(start="2027-3-1"),
    "seat count as a string": lambda d: d["inspections"][0]["seats"][0].update(count="2"),
    "seat count beyond 64 bits": lambda d: d["inspections"][0]["seats"][0].update(count=2 ** 64),
    "cap beyond 64 bits": lambda d: d["policy"].update(max_deployments_per_assessor=2 ** 63),
    "cap below 1": lambda d: d["policy"].update(max_deployments_per_assessor=0),
    "latitude above 90": lambda d: d["areas"][0].update(lat=91),
    "unknown specialism": lambda d: d["assessors"][0].update(specialisms=["nursing"]),
    "unknown sector": lambda d: d["assessors"][0].update(sector="private"),
    "negative agreement total": lambda d: next(a for a in d["assessors"] if "agreement" in a)[
        "agreement"].update(max_days_total=-1),
    "seat minimum below 4": lambda d: d["inspections"][0]["seats"][0].update(min_days=3),
    "assessors not a list": lambda d: d.update(assessors={}),
}


@pytest.mark.parametrize("what", sorted(BROKEN_INSTANCES))
def test_structurally_broken_instances_are_refused_by_both(what):
    data = broken(BROKEN_INSTANCES[what])
    assert not parser_accepts(Instance.from_json, data)
    assert list(schema("instance").iter_errors(data)) != []


BROKEN_PLANS = {
    "unknown status": lambda p: p.update(status="done"),
    "no deployments": lambda p: p.pop("deployments"),
    "deployment without days": lambda p: p["deployments"][0].pop("days"),
    "objective as a string": lambda p: p["objective"].update(seats_filled="3"),
}


@pytest.mark.parametrize("what", sorted(BROKEN_PLANS))
def test_structurally_broken_plans_are_refused_by_both(what):
    plan = solve(Instance.from_json(tiny()), time_limit=10, workers=1).to_json()
    BROKEN_PLANS[what](plan)
    assert not parser_accepts(Plan.from_json, plan)
    assert list(schema("plan").iter_errors(plan)) != []
