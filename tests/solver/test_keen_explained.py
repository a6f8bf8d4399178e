"""Why a keen assessor is not on the inspection they asked for: one small hand-made instance per
kind of reason, each with the answer known by hand (a rule, a higher level of the order, a tie, a
plan not proven, no way to fit them in). The plans are solved and judged by the oracle."""
from __future__ import annotations

from datetime import date

import pytest

from solver import Deployment, Instance
from solver.model import KeepPublished, solve
from solver.preferences import explain_keen
from tests.oracle import mip
from tests.oracle.harness import judge_plan
from tests.oracle.problem import Problem

from .helpers import assessor, inspection, instance
from .test_preferences import one_seat, solved


def missed(data, deployments=None, proven=True):
    inst = Instance.from_json(data)
    if deployments is None:
        plan = solved(data)
        problem = Problem(data)
        found = mip.optimum(problem)
        assert found is not None and not judge_plan(problem, found[0], plan.to_json())
        assert plan.status == "optimal"
        deployments = plan.deployments
    [miss] = explain_keen(inst, deployments, proven)
    return miss


def on(who, where, *days, specialism="children"):
    return Deployment(who, where, specialism, tuple(date(2027, 3, d) for d in days))


# ----------------------------------------------------------------------------- rules

@pytest.mark.parametrize("change, code, words", [
    (lambda a: a.update(unavailable=[{"from": "2027-03-01", "to": "2027-03-02"}]), "unavailable",
     "is available on only 3 of the days"),
    (lambda a: a.pop("agreement"), "no_agreement", "agreement"),
    (lambda a: a["agreement"].update({"to": "2027-03-03"}), "agreement_window", "agreement"),
])
def test_a_rule_that_keeps_them_off_is_named_whatever_the_plan(change, code, words):
    data = one_seat(["seats_filled", "keen", "travel_km"], A2={"keen": ["I1"]})
    change(data["assessors"][1])
    miss = missed(data)
    assert miss.decided_by == code
    assert miss.reason.startswith("Iain Ross (A2) asked to join Angus children (I1): ")
    assert words in miss.reason


def test_an_employer_excluded_from_the_inspection_is_named():
    data = one_seat(["seats_filled", "keen"], A2={"keen": ["I1"]})
    data["assessors"][1]["employer"] = "Angus Council"
    data["inspections"][0]["excluded_employers"] = ["Angus Council"]
    assert missed(data).decided_by == "employer_conflict"


# ----------------------------------------------------------------------------- higher levels

def two_in_angus(order):
    """I1 (1-5 March) and I2 (15-19 March) in Angus, one children seat each. A1 (Highland) is keen
    on I1 and the only one free for I2; A3 (Glasgow) is released only until 10 March. Filling both
    seats puts A1 on I2; I1 goes to A3 unless A1 takes both."""
    return dict(instance([assessor("A1", home="highland", name="Iain Ross"),
                          dict(assessor("A3", home="glasgow-city", to=10), name="Ann Bell")],
                         [dict(inspection("I1", range(1, 6)), title="Angus children"),
                          inspection("I2", range(15, 20))]),
                policy={"objective": order})


def with_keen(data):
    data["assessors"][0]["preferences"] = {"keen": ["I1"]}
    return data


def test_a_second_deployment_is_what_spreading_the_work_first_refuses():
    data = with_keen(two_in_angus(["seats_filled", "repeat_deployments", "keen"]))
    miss = missed(data)
    assert miss.decided_by == "repeat_deployments"
    assert ("would give someone a second deployment, and spreading the work came first"
            in miss.reason)


def test_a_partnership_lost_is_what_reaching_partnerships_first_refuses():
    data = with_keen(two_in_angus(["seats_filled", "partnerships_reached", "keen"]))
    miss = missed(data)
    assert miss.decided_by == "partnerships_reached"
    assert "would reach fewer partnerships" in miss.reason


def test_a_seat_left_empty_elsewhere_is_what_filling_seats_first_refuses():
    """I1 and I2 on the same days: A1 (keen on I1) is the only adults assessor, for I2; A2 takes
    I1."""
    data = instance([dict(assessor("A1", specs=("children", "adults"), home="highland"),
                          preferences={"keen": ["I1"]}),
                     assessor("A2", home="fife")],
                    [inspection("I1", range(1, 6)),
                     inspection("I2", range(1, 6), area="glasgow-city",
                                seats=(("adults", 1, 4, 12),))])
    data["policy"]["objective"] = ["seats_filled", "keen", "travel_km"]
    miss = missed(data)
    assert miss.decided_by == "seats_filled"
    assert "would leave a seat empty elsewhere, and filling seats comes first" in miss.reason


# ----------------------------------------------------------------------------- no level decided

def test_two_keen_assessors_for_one_seat_tie_and_the_other_is_told_so():
    data = one_seat(["seats_filled", "keen"], A1={"keen": ["I1"]}, A2={"keen": ["I1"]})
    plan = [on("A1", "I1", 1, 2, 3, 4, 5)]
    miss = missed(data, plan)
    assert (miss.assessor, miss.decided_by) == ("A2", "tie")
    assert miss.reason.endswith(": a plan with them on it is as good on every aim; this one was "
                                "chosen")


def test_a_tie_where_wishes_are_not_weighed_says_so():
    data = one_seat(["seats_filled", "days_deployed"], A2={"keen": ["I1"]})
    data["assessors"][1]["home_area"] = "fife"            # the same travel as A1: a true tie
    miss = missed(data, [on("A1", "I1", 1, 2, 3, 4, 5)])
    assert miss.decided_by == "tie"
    assert "as good on every aim (wishes to join are not among the aims weighed)" in miss.reason


def test_in_a_plan_not_proven_best_a_place_no_worse_is_said_to_be_unproven():
    data = one_seat(["seats_filled", "keen"], A2={"keen": ["I1"]})
    miss = missed(data, [on("A1", "I1", 1, 2, 3, 4, 5)], proven=False)
    assert miss.decided_by == "not_proven"
    assert "not proven best" in miss.reason


def test_an_assessor_whose_days_are_all_pinned_elsewhere_cannot_be_fitted_in():
    data = one_seat(["seats_filled", "keen"], A2={"keen": ["I1"]})
    data["inspections"].append(inspection("I2", range(1, 6), area="glasgow-city"))
    data["pinned"] = [{"assessor": "A2", "inspection": "I2", "specialism": "children",
                       "days": [f"2027-03-0{d}" for d in range(1, 6)]}]
    miss = missed(data)
    assert miss.decided_by == "busy"
    assert "clashes with their agreement days or their other deployments" in miss.reason


def test_in_a_re_plan_keeping_the_published_team_comes_before_every_aim():
    """A1 was published on I1; A2 now asks to join it, and 'keen' comes before travel."""
    data = one_seat(["seats_filled", "keen", "travel_km"], A2={"keen": ["I1"]})
    inst = Instance.from_json(data)
    keep = [KeepPublished((on("A1", "I1", 1, 2, 3, 4, 5),))]
    plan = solve(inst, time_limit=30, workers=1, extra_levels=keep)
    assert [d.assessor for d in plan.deployments] == ["A1"] and plan.status == "optimal"
    [miss] = explain_keen(inst, plan.deployments, True, keep)
    assert miss.decided_by == "kept_published"
    assert ("would take someone off a published team, and keeping the published teams came first"
            in miss.reason)
