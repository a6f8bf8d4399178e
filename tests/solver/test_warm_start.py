"""The warm start (solver/warmstart.py) and the time limit: always a valid plan, honestly labelled,
and never fewer seats than the coordinator's greedy method (the benchmark baseline)."""
import time

import numpy as np
import pytest

from solver import Instance
from solver.candidates import prepare, recover_days
from solver.check import check
from solver.enumerated import build_model, enumerate_patterns, warm_solution
from solver.highs import highspy
from solver.instance import Plan
from solver.model import solve
from solver.warmstart import warm_start
from tests.oracle.checker import check as oracle_check
from tests.oracle.generator import case, expected_kind
from tests.oracle.problem import Problem

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


# ----------------------------------------------------------------------------- the hint of the
# enumerated engine (caps above 2): the warm start as the model's first incumbent

def _rows_broken(h, x) -> list[int]:
    """The rows of the HiGHS model that the column values ``x`` break (and -1 for a column
    outside its bounds or not integral)."""
    lp = h.getLp()
    a = lp.a_matrix_
    start, index = np.asarray(a.start_, np.int64), np.asarray(a.index_, np.int64)
    value = np.asarray(a.value_, float)
    if a.format_ == highspy.MatrixFormat.kRowwise:
        activity = np.array([value[start[r]:start[r + 1]] @ x[index[start[r]:start[r + 1]]]
                             for r in range(lp.num_row_)])
    else:
        activity = np.zeros(lp.num_row_)
        for j in range(lp.num_col_):
            activity[index[start[j]:start[j + 1]]] += value[start[j]:start[j + 1]] * x[j]
    out = [-1] if (np.any(x < np.asarray(lp.col_lower_)) or np.any(x > np.asarray(lp.col_upper_))
                   or np.any(x != np.round(x))) else []
    return out + np.flatnonzero((activity < np.asarray(lp.row_lower_) - 1e-9)
                                | (activity > np.asarray(lp.row_upper_) + 1e-9)).tolist()


def _adversarial_instances():
    for seed in range(286):
        c = case(seed)
        if expected_kind(c.data) == "solve":
            yield pytest.param(c.data, id=c.id)
    for seed in (1, 2, 3):
        data = generate(40, 6, seed)
        data["policy"] = {"max_deployments_per_assessor": 3}
        yield pytest.param(data, id=f"generated-40x6-{seed}-cap-3")


@pytest.mark.parametrize("data", _adversarial_instances())
def test_the_enumerated_engines_hint_is_the_whole_warm_start_and_keeps_every_row(data):
    inst = Instance.from_json(data)
    prep = prepare(inst)
    warm = warm_start(inst, prep)
    pats = enumerate_patterns(prep)
    if pats is None or not pats.days:
        pytest.skip("no pattern model: the enumerated engine is not used")
    h, n_areas = build_model(inst, prep, pats)
    x = warm_solution(prep, pats, warm, len(pats.days) + n_areas)
    hinted = {e for p in np.flatnonzero(x[:len(pats.days)]) for e in pats.entries[p]}
    assert hinted == {(t, si) for t, (si, _) in warm.items()}       # no deployment dropped
    assert _rows_broken(h, x) == []
    plan = _warm_plan(inst)
    assert check(inst, plan).violations == []
    assert oracle_check(Problem(data), plan.to_json()).violations == []
