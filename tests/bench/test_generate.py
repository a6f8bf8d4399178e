"""The benchmark generator makes valid, deterministic, realistic instances; greedy plans are valid."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench.generate import TIERS, generate, is_scarce, tier_names
from scheduler import reference as ref
from solver.instance import Instance


@pytest.mark.parametrize("tier", list(TIERS))
def test_every_tier_passes_instance_validation(tier: str) -> None:
    data = generate(tier, 1)
    inst = Instance.from_json(data)
    assert len(inst.assessors) == TIERS[tier].assessors
    assert len(inst.inspections) == TIERS[tier].inspections


def test_regional_names_the_three_smaller_pools_of_24_inspections() -> None:
    tiers = tier_names("national,regional")
    assert tiers[0] == "national"
    assert [TIERS[t].assessors for t in tiers[1:]] == [64, 90, 117]
    assert {TIERS[t].inspections for t in tiers[1:]} == {24}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_national_seeds_pass_instance_validation(seed: int) -> None:
    Instance.from_json(generate("national", seed))


def test_generation_is_deterministic_per_seed() -> None:
    a = json.dumps(generate("national", 5), sort_keys=True)
    b = json.dumps(generate("national", 5), sort_keys=True)
    c = json.dumps(generate("national", 6), sort_keys=True)
    assert a == b
    assert a != c


def test_instance_round_trips_through_the_parser() -> None:
    data = generate("national", 2)
    again = Instance.from_json(data).to_json()
    assert Instance.from_json(again) == Instance.from_json(data)


def test_excluded_employers_come_from_reference_data() -> None:
    data = generate("national", 1)
    for insp in data["inspections"]:
        assert tuple(insp["excluded_employers"]) == ref.excluded_employers_for(insp["area"])


def test_working_days_avoid_weekends_and_scottish_bank_holidays() -> None:
    import datetime as dt

    data = generate("national", 1)
    closed = set(data["non_working_days"])
    # 2027: Good Friday 26 March, St Andrew's Day 30 November, first Monday in August.
    assert {"2027-03-26", "2027-08-02", "2027-11-30"} <= closed
    for insp in data["inspections"]:
        for d in insp["days"]:
            assert dt.date.fromisoformat(d).weekday() < 5
            assert d not in closed
        assert insp["days"][0] in insp["mandatory_days"]  # the briefing day


def test_pool_is_children_heavy_and_scarce_seeds_lack_justice() -> None:
    normal = Counter(s for a in generate("large", 1)["assessors"] for s in a["specialisms"])
    assert normal["children"] > normal["adults"] > normal["justice"] > 0
    assert is_scarce(3)
    scarce = generate("large", 3)
    holders = sum("justice" in a["specialisms"] for a in scarce["assessors"])
    seats = sum(s["count"] for i in scarce["inspections"] for s in i["seats"]
                if s["specialism"] == "justice")
    assert holders < seats


def test_some_assessors_lack_an_agreement_and_most_have_one() -> None:
    assessors = generate("large", 1)["assessors"]
    missing = sum("agreement" not in a for a in assessors)
    assert 0 < missing < len(assessors) * 0.2


@pytest.mark.parametrize("seed", [1, 3])
def test_greedy_plans_pass_the_checker(seed: int) -> None:
    from bench.greedy import solve_greedy
    from solver.check import check

    inst = Instance.from_json(generate("national", seed))
    plan = solve_greedy(inst)
    result = check(inst, plan)
    assert result.ok, result.violations[:5]
    assert plan.objective == result.objective
    assert plan.objective["seats_filled"] > 0


def test_explanations_add_up_on_a_scarce_generated_plan() -> None:
    from bench.greedy import solve_greedy
    from solver.explain import explain_unfilled

    inst = Instance.from_json(generate("national", 3))
    plan = solve_greedy(inst)
    unfilled = explain_unfilled(inst, plan.deployments)
    assert unfilled, "the scarce seed leaves justice seats empty"
    for u in unfilled:
        assert u.deployed_here + sum(u.excluded.values()) == u.holders


def test_highs_matches_greedy_validity_and_beats_or_ties_it_on_a_small_instance() -> None:
    from bench.greedy import solve_greedy
    from bench.highs_mip import solve_highs
    from solver.check import check

    data = generate("national", 2)
    data["assessors"] = data["assessors"][:40]
    data["inspections"] = data["inspections"][:4]
    inst = Instance.from_json(data)
    res = solve_highs(inst, time_limit=30)
    assert check(inst, res.plan).ok
    g = solve_greedy(inst).objective
    h = res.objective
    assert (h["seats_filled"], h["days_deployed"]) >= (g["seats_filled"], g["days_deployed"])
