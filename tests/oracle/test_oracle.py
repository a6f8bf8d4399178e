"""The oracle itself, on instances whose optimum is worked out by hand, and its two exact methods
(the MIP and the brute force) against each other."""
import json

import pytest

from tests.solver.helpers import DATA, assessor, inspection, instance, march

from . import brute, mip
from .checker import check, unfilled_faults
from .generator import NAMES, case, expected_kind
from .problem import Deployment, Problem
from .validity import input_problems, pin_contradictions

EMPTY = {"seats_filled": 0, "days_deployed": 0, "repeat_deployments": 0, "travel_km": 0}


def on_equator(data: dict) -> dict:
    """Areas one degree apart on the equator: 111 km a degree (6371.0 x pi / 180 = 111.19)."""
    where = {"fife": (0.0, 0.0), "angus": (0.0, 1.0), "glasgow-city": (0.0, 2.0),
             "highland": (0.0, -1.0)}
    for a in data["areas"]:
        a["lat"], a["lon"] = where[a["id"]]
    return data


def both_optima(data: dict) -> dict | None:
    """The MIP's optimum, after checking the brute force agrees and the MIP's plan is valid."""
    problem = Problem(data)
    found = mip.optimum(problem)
    assert brute.optimum(problem) == (found and found[0])
    if found is None:
        return None
    best, plan = found
    report = check(problem, {"deployments": [d.to_json() for d in plan]})
    assert report.violations == [] and report.objective == best
    return best


def deployment(aid, iid, days, spec="children"):
    return {"assessor": aid, "inspection": iid, "specialism": spec, "days": march(*days)}


def rules_broken(data, *deployments):
    return sorted({v.fault.rule for v in check(Problem(data), {"deployments": list(deployments)})
                   .violations})


def test_spec_example_optimum_is_the_published_one():
    expected = json.loads((DATA / "tiny.expected.json").read_text())["objective"]
    assert both_optima(json.loads((DATA / "tiny.json").read_text())) == expected


def test_travel_is_great_circle_km_rounded_per_deployment():
    data = on_equator(instance([assessor("A1", home="fife"), assessor("A2", home="glasgow-city")],
                               [inspection("I1", range(1, 6), seats=[("children", 2, 4, 5)])]))
    assert Problem(data).km("A1", "I1") == 111 and Problem(data).km("A2", "I1") == 111
    assert both_optima(data)["travel_km"] == 222


def test_one_deployment_above_the_agreement_total_leaves_the_plan_empty():
    # the smallest case: 6 mandatory days, seat minimum 4, agreement total 5
    data = instance([assessor("A1", total=5)],
                    [inspection("I1", range(1, 9), mandatory=range(1, 7),
                                seats=[("children", 1, 4, 8)])])
    assert both_optima(data) == EMPTY


def pair(total: int) -> dict:
    """Inspections of 7 and 6 mandatory days (all their days), seat minimum 4."""
    return on_equator(instance([assessor("A1", total=total)],
                               [inspection("I1", range(1, 8), mandatory=range(1, 8),
                                           seats=[("children", 1, 4, 8)]),
                                inspection("I2", range(10, 16), mandatory=range(10, 16),
                                           seats=[("children", 1, 4, 6)])]))


def test_agreement_total_one_below_a_pair_allows_only_the_longer_deployment():
    # the second case: total 11 against 7 + 6 mandatory days
    assert both_optima(pair(11)) == {"seats_filled": 1, "days_deployed": 7,
                                     "repeat_deployments": 0, "travel_km": 111}
    assert both_optima(pair(12)) == {"seats_filled": 1, "days_deployed": 7,
                                     "repeat_deployments": 0, "travel_km": 111}


def test_agreement_total_exactly_at_a_pair_allows_both():
    assert both_optima(pair(13)) == {"seats_filled": 2, "days_deployed": 13,
                                     "repeat_deployments": 1, "travel_km": 222}


def test_per_deployment_maximum_below_the_mandatory_days_leaves_the_seat_empty():
    data = instance([assessor("A1", per=5)],
                    [inspection("I1", range(1, 9), mandatory=range(1, 7))])
    assert both_optima(data) == EMPTY
    data["assessors"][0]["agreement"]["max_days_per_deployment"] = 6
    assert both_optima(data)["days_deployed"] == 6


def test_cap_of_one_keeps_the_longer_of_two_deployments():
    data = pair(24)
    data["policy"]["max_deployments_per_assessor"] = 1
    assert both_optima(data) == {"seats_filled": 1, "days_deployed": 7,
                                 "repeat_deployments": 0, "travel_km": 111}


def test_repeats_are_avoided_before_travel_is_shortened():
    # A1 (111 km away) could take both seats; A2 (222 km away) takes one so no one repeats
    data = on_equator(instance(
        [assessor("A1", home="fife"), assessor("A2", home="glasgow-city")],
        [inspection("I1", range(1, 6), area="angus"),
         inspection("I2", range(10, 15), area="angus")]))
    data["areas"][2]["lon"] = 3.0          # Glasgow City 2 degrees from Angus: 222 km
    assert both_optima(data) == {"seats_filled": 2, "days_deployed": 10,
                                 "repeat_deployments": 0, "travel_km": 333}


def test_travel_picks_the_nearer_of_two_assessors_for_one_seat():
    data = on_equator(instance([assessor("A1", home="highland"), assessor("A2", home="fife")],
                               [inspection("I1", range(1, 6))]))
    assert both_optima(data) == {"seats_filled": 1, "days_deployed": 5,
                                 "repeat_deployments": 0, "travel_km": 111}


def test_pins_that_double_book_an_assessor_have_no_plan():
    data = instance([assessor("A1")], [inspection("I1", range(1, 6)),
                                       inspection("I2", range(3, 8))],
                    pinned=[deployment("A1", "I1", range(1, 5)),
                            deployment("A1", "I2", range(4, 8))])
    assert input_problems(data) == []
    assert pin_contradictions(Problem(data))
    assert both_optima(data) is None


def test_a_pin_is_kept_even_where_a_longer_deployment_would_score_more():
    data = instance([assessor("A1")], [inspection("I1", range(1, 9))],
                    pinned=[deployment("A1", "I1", range(1, 5))])
    assert both_optima(data)["days_deployed"] == 4


@pytest.mark.parametrize("days, rules", [
    (range(1, 7), []),                 # the true minimum: all 6 mandatory days
    (range(1, 5), ["4"]),              # 4 days (the seat minimum) miss mandatory days
    (range(1, 10), ["3", "4"]),        # 9 days: above the seat's 8, and 9 March is not a day
])
def test_checker_judges_length_against_the_mandatory_days(days, rules):
    data = instance([assessor("A1")], [inspection("I1", range(1, 9), mandatory=range(1, 7),
                                                  seats=[("children", 1, 4, 8)])])
    assert rules_broken(data, deployment("A1", "I1", days)) == rules


def test_checker_counts_the_true_minimum_against_the_agreement_total():
    data = instance([assessor("A1", total=5)],
                    [inspection("I1", range(1, 9), mandatory=range(1, 7))])
    assert rules_broken(data, deployment("A1", "I1", range(1, 7))) == ["6"]


def test_checker_names_each_broken_rule():
    data = instance([assessor("A1", home="angus", employer="NHS Tayside", unavailable=[(9, 9)]),
                     assessor("A2", specs=["justice"]), assessor("A3"), assessor("A4")],
                    [inspection("I1", range(1, 10), excluded=["NHS Tayside"]),
                     inspection("I2", range(1, 10), area="highland")],
                    pinned=[deployment("A4", "I2", range(1, 5))], k=1)
    assert rules_broken(data, deployment("A2", "I1", range(1, 5))) == ["1", "7"]
    assert rules_broken(data, deployment("A1", "I1", range(1, 5))) == ["2", "7"]
    assert rules_broken(data, deployment("A3", "I1", range(1, 5)),
                        deployment("A4", "I1", range(5, 9)),
                        deployment("A4", "I2", range(1, 5))) == ["1", "6"]
    assert rules_broken(data, deployment("A3", "I1", range(1, 4)),
                        deployment("A4", "I2", range(1, 5))) == ["3"]
    assert rules_broken(data, deployment("A4", "I2", range(1, 5)),
                        deployment("A3", "I2", range(6, 10)),
                        deployment("A3", "I1", range(6, 10))) == ["1", "5", "6"]


def test_unfilled_seats_are_counted_by_the_first_rule_that_keeps_each_holder_off():
    data = instance([assessor("A1", home="angus"), assessor("A2", employer="NHS Tayside"),
                     assessor("A3", agreement=False), assessor("A4", specs=["justice"])],
                    [inspection("I1", range(1, 6), excluded=["NHS Tayside"])])
    excluded = {"own_area": 1, "employer_conflict": 1, "no_agreement": 1, "agreement_window": 0,
                "agreement_days": 0, "unavailable": 0, "deployment_cap": 0, "busy": 0}
    entry = {"inspection": "I1", "specialism": "children", "missing": 1, "holders": 3,
             "deployed_here": 0, "excluded": excluded, "suggestions": []}
    assert unfilled_faults(Problem(data), {"deployments": [], "unfilled": [entry]}) == []
    wrong = dict(entry, excluded=dict(excluded, own_area=0, busy=1))
    assert unfilled_faults(Problem(data), {"deployments": [], "unfilled": [wrong]}) == [
        "I1 children: own_area 0, should be 1", "I1 children: busy 1, should be 0"]
    assert unfilled_faults(Problem(data), {"deployments": [], "unfilled": []}) == [
        "I1 children: 1 vacancies not listed"]


@pytest.mark.parametrize("seed", range(0, 400, 7))
def test_mip_and_brute_force_agree_on_generated_instances(seed):
    c = case(seed)
    if expected_kind(c.data) == "invalid":
        return
    try:
        both_optima(c.data)
    except brute.TooLarge:
        pytest.skip("too large to enumerate")


@pytest.mark.parametrize("name", NAMES)
def test_generator_builds_each_class_as_intended(name):
    kinds = {expected_kind(case(seed).data) for seed in range(NAMES.index(name), 400, len(NAMES))}
    if name in ("invalid_input", "invalid_preferences"):
        assert kinds == {"invalid"}
    elif name == "pinned_contradicting":
        assert "infeasible" in kinds and "invalid" not in kinds
    elif name == "pinned_invalid":
        assert "invalid" in kinds
    else:
        assert "invalid" not in kinds


def seeds_of(name: str, n: int = 40) -> range:
    return range(NAMES.index(name), NAMES.index(name) + n * len(NAMES), len(NAMES))


def test_generator_puts_agreements_at_and_one_below_a_seats_true_minimum():
    margins = set()
    for name in ("total_at_single", "per_deployment_below_min", "mandatory_above_min"):
        for seed in seeds_of(name):
            problem = Problem(case(seed).data)
            for aid, a in problem.assessors.items():
                g = a.get("agreement")
                for iid, spec, _ in problem.seats():
                    if g and spec in a["specialisms"] and problem.exclusion(
                            aid, iid, spec, []) in ("agreement_days", "unavailable", None):
                        margins.add(min(g["max_days_per_deployment"], g["max_days_total"])
                                    - problem.true_minimum(iid, spec))
    assert {0, -1} <= margins


def test_generator_leaves_a_pinned_assessor_exactly_enough_or_one_day_too_little():
    seen = set()
    for seed in seeds_of("busy_edges"):
        problem = Problem(case(seed).data)
        [pin] = problem.pinned
        spec = pin.specialism
        seen.add(problem.exclusion(pin.assessor, "I1", spec, [pin]))
        assert problem.exclusion(pin.assessor, "I1", spec, []) is None
    assert seen == {None, "busy"}


def test_busy_is_judged_at_the_limit_and_one_past_it():
    problem = Problem(instance(
        [assessor("A1", total=13), assessor("A2", total=12)],
        [inspection("I1", range(1, 10)), inspection("I2", range(5, 11)),
         inspection("I3", range(5, 11), mandatory=[5]), inspection("I4", range(20, 25))]))

    def why(aid, iid, *others):
        return problem.exclusion(aid, iid, "children",
                                 [Deployment.of(deployment(aid, i, days)) for i, days in others])

    # free days: 4 of I2's left (the minimum), then 3
    assert why("A1", "I2", ("I1", range(1, 7))) is None
    assert why("A1", "I2", ("I1", range(1, 8))) == "busy"
    # a mandatory day: free the day before, taken
    assert why("A1", "I3", ("I1", range(1, 5))) is None
    assert why("A1", "I3", ("I1", range(1, 6))) == "busy"
    # agreement days left: 4 (13 - 9), then 3 (12 - 9)
    assert why("A1", "I4", ("I1", range(1, 10))) is None
    assert why("A2", "I4", ("I1", range(1, 10))) == "busy"
    # one seat per inspection; then the cap comes first
    assert why("A1", "I1", ("I1", range(1, 5))) == "busy"
    assert why("A1", "I4", ("I1", range(1, 5)), ("I2", range(7, 11))) == "deployment_cap"


def test_generator_is_deterministic():
    assert case(123) == case(123) and case(123).data != case(124).data
