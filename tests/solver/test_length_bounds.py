"""Rules 3 and 4 together: a deployment's true minimum is max(4, the seat's min_days, the
inspection's mandatory days), and that minimum is what counts against the agreement (issue 10).
Every engine (pair patterns for cap 2, CP-SAT for cap 3), the checker, why_not and the command
line agree at each boundary."""
import json

import pytest

from solver import Instance
from solver.check import check
from solver.model import solve
from solver.rules import length_bounds, why_not

from .helpers import assessor, inspection, instance
from .test_cli import run

# Two inspections on separate weeks: I1 on 1-12 March, I2 on 15-26 March (weekdays).
WEEK1 = (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)
WEEK2 = (15, 16, 17, 18, 19, 22, 23, 24, 25, 26)


def solved(data, k=2):
    data = {**data, "policy": {"max_deployments_per_assessor": k}}
    inst = Instance.from_json(data)
    plan = solve(inst, time_limit=20, workers=1)
    assert check(inst, plan).violations == []
    return inst, plan


def one_by_one(total, mandatory=6, per=12, seat_min=4):
    return instance([assessor("A00002", name="Ailsa MacKay", total=total, per=per)],
                    [inspection("I1", WEEK1, mandatory=WEEK1[:mandatory],
                                seats=[("children", 1, seat_min, 12)])])


def one_by_two(total):
    return instance([assessor("A1", total=total)],
                    [inspection("I1", WEEK1[:7], mandatory=WEEK1[:7]),
                     inspection("I2", WEEK2[:6], mandatory=WEEK2[:6])])


def test_minimum_length_counts_the_mandatory_days_above_the_seat_minimum():
    inst = Instance.from_json(one_by_one(24, mandatory=6, seat_min=4))
    a, ins = inst.assessors[0], inst.inspections[0]
    assert length_bounds(a, ins, ins.seats[0]) == (6, 12)


def test_minimum_length_is_the_seat_minimum_when_mandatory_days_are_fewer():
    inst = Instance.from_json(one_by_one(24, mandatory=3, seat_min=5))
    a, ins = inst.assessors[0], inst.inspections[0]
    assert length_bounds(a, ins, ins.seats[0]) == (5, 12)


@pytest.mark.parametrize("k", [2, 3])
def test_agreement_total_below_the_mandatory_days_gives_the_empty_plan(k):
    _, plan = solved(one_by_one(5, mandatory=6), k)
    assert plan.status == "optimal" and plan.deployments == ()
    assert plan.unfilled[0].excluded["agreement_days"] == 1


@pytest.mark.parametrize("k", [2, 3])
def test_agreement_total_exactly_the_mandatory_days_gives_one_deployment_of_that_length(k):
    _, plan = solved(one_by_one(6, mandatory=6), k)
    assert plan.status == "optimal"
    assert [len(d.days) for d in plan.deployments] == [6]


@pytest.mark.parametrize("per, deployed", [(5, 0), (6, 1)])
def test_days_per_deployment_one_below_and_exactly_the_mandatory_days(per, deployed):
    _, plan = solved(one_by_one(24, mandatory=6, per=per))
    assert len(plan.deployments) == deployed


@pytest.mark.parametrize("k", [2, 3])
def test_agreement_total_that_fits_only_one_of_two_inspections_fills_one_seat_of_seven_days(k):
    _, plan = solved(one_by_two(11), k)
    assert plan.status == "optimal"
    assert plan.objective["seats_filled"] == 1 and plan.objective["days_deployed"] == 7


@pytest.mark.parametrize("total, seats", [(12, 1), (13, 2)])
def test_agreement_total_one_below_and_exactly_what_a_pair_needs(total, seats):
    _, plan = solved(one_by_two(total))
    assert plan.objective["seats_filled"] == seats
    assert plan.objective["days_deployed"] <= total


def test_why_not_names_the_agreement_total_against_the_true_minimum_in_words():
    inst = Instance.from_json(one_by_one(5, mandatory=6))
    r = why_not(inst, inst.assessors[0], inst.inspections[0], "children")
    assert (r.code, r.rule) == ("agreement_days", 6)
    assert r.message == ("Ailsa MacKay (A00002)'s agreement allows 5 days in total; the seat needs at least 6 "
                         "(its 6 mandatory days)")


def test_why_not_explains_an_impossible_length_range_in_words():
    inst = Instance.from_json(one_by_one(24, mandatory=7, per=6))
    r = why_not(inst, inst.assessors[0], inst.inspections[0], "children")
    assert (r.code, r.rule) == ("agreement_days", 3)
    assert r.message == ("the seat needs at least 7 days (its 7 mandatory days), but Ailsa "
                         "MacKay (A00002)'s agreement allows at most 6 days per deployment")


def test_checker_refuses_a_deployment_beyond_the_agreement_total_by_its_mandatory_days():
    inst = Instance.from_json(one_by_one(5, mandatory=6))
    from solver import Deployment, Plan
    ins = inst.inspections[0]
    plan = Plan("optimal", None, None, 0,
                (Deployment("A00002", "I1", "children", ins.mandatory_days),))
    rules = {v.rule for v in check(inst, plan).violations}
    assert 6 in rules


@pytest.mark.parametrize("data, seats, days", [(one_by_one(5, mandatory=6), 0, 0),
                                               (one_by_two(11), 1, 7)])
def test_command_line_solves_the_smallest_cases_to_the_independent_optimum(tmp_path, data,
                                                                           seats, days):
    path, out = tmp_path / "instance.json", tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    r = run("solve", path, "--out", out, "--time-limit", "10", "--workers", "1")
    assert r.returncode == 0, r.stderr
    plan = json.loads(out.read_text())
    assert plan["status"] == "optimal"
    assert (plan["objective"]["seats_filled"], plan["objective"]["days_deployed"]) == (seats, days)
    assert run("check", path, out).returncode == 0
