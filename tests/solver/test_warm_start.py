"""The warm start (solver/warmstart.py) and the time limit: always a valid plan, honestly labelled,
and never fewer seats than the coordinator's greedy method (the benchmark baseline)."""
import time

import pytest

from solver import Instance
from solver.check import check
from solver.instance import Plan
from solver.candidates import prepare, recover_days
from solver.model import solve
from solver.warmstart import warm_start

from .generator import generate


def _warm_plan(inst):
    prep = prepare(inst)
    chosen = warm_start(inst, prep)
    deps = tuple(list(inst.pinned) + recover_days(inst, prep, chosen))
    return Plan("feasible", None, None, 0.0, deps, ())


@pytest.mark.parametrize("seed", range(1, 9))
def test_warm_start_is_valid_and_never_fewer_seats_than_greedy(seed):
    greedy = pytest.importorskip("bench.greedy")
    inst = Instance.from_json(generate(40, 6, seed))
    res = check(inst, _warm_plan(inst))
    assert res.violations == []
    g = check(inst, greedy.solve_greedy(inst))
    assert g.violations == []
    assert res.objective["seats_filled"] >= g.objective["seats_filled"]
    plan = solve(inst, time_limit=20, workers=1)
    assert check(inst, plan).violations == []
    assert plan.objective["seats_filled"] >= g.objective["seats_filled"]


@pytest.mark.parametrize("k", [1, 3])
def test_warm_start_respects_any_cap(k):
    data = generate(40, 6, 2)
    data["policy"] = {"max_deployments_per_assessor": k}
    inst = Instance.from_json(data)
    assert check(inst, _warm_plan(inst)).violations == []


@pytest.mark.parametrize("limit", [0.0, 0.01, 0.2])
def test_tiny_time_limit_returns_a_valid_plan_with_an_honest_status(limit):
    inst = Instance.from_json(generate(200, 24, 1))
    t0 = time.monotonic()
    plan = solve(inst, time_limit=limit, workers=1)
    assert time.monotonic() - t0 < limit + 5.0
    assert check(inst, plan).violations == []
    assert plan.status in ("optimal", "feasible", "unknown")
    if plan.status == "optimal":
        assert plan.bound == plan.objective
    else:
        b = plan.bound or {}
        if b.get("seats_filled") is not None:
            assert b["seats_filled"] >= plan.objective["seats_filled"]
