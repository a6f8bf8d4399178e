"""A plan that fails its check never leaves the solver; bounds are honest; the command line's
stdout is one JSON document and absurd integers are refused by path (issue 10)."""
import copy
import json

import pytest

from solver import Instance, model
from solver.check import check
from solver.objective import honest_bounds, trivial_bound

from .helpers import DATA, assessor, inspection, instance, tiny
from .test_cli import run

WEEK1 = (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)


def tight_total():
    """One assessor whose agreement allows 5 days in total, one seat of 4-12 days."""
    return Instance.from_json(instance([assessor("A00002", name="Ailsa MacKay", total=5)],
                                       [inspection("I1", WEEK1)]))


def test_engine_plan_that_breaks_a_rule_is_replaced_by_the_warm_start_and_logged(monkeypatch):
    inst = tight_total()

    def engine_breaking_the_agreement_total(instance, prep, *args, **kw):
        return {0: (0, 8)}, [True] * 4, [1, 8, 0, 74]          # 8 days against 5 agreed

    monkeypatch.setattr(model, "_solve_prepared", engine_breaking_the_agreement_total)
    logged = []
    monkeypatch.setattr(model._log, "error", lambda msg, *args: logged.append(msg % args))
    plan = model.solve(inst, time_limit=5, workers=1)
    assert check(inst, plan).ok
    assert [len(d.days) for d in plan.deployments] == [5]
    assert plan.status == "feasible"
    # the broken engine's bounds are dropped: every seat is filled (the trivial bound), so the
    # next level shows its trivial bound (12 days) and the ones below are unproven
    assert plan.bound == {"seats_filled": 1, "days_deployed": 12, "repeat_deployments": None,
                          "travel_km": None}
    assert len(logged) == 1 and "breaks 1 hard rule" in logged[0]


def test_bound_of_the_first_unproven_level_is_never_null():
    inst = Instance.from_json(tiny())
    obj = {"seats_filled": 3, "days_deployed": 18, "repeat_deployments": 1, "travel_km": 354}
    bound = honest_bounds(inst, obj, [True, False, False, False], [3, None, None, None])
    assert bound == {"seats_filled": 3, "days_deployed": trivial_bound(inst, "days_deployed"),
                     "repeat_deployments": None, "travel_km": None}
    assert bound["days_deployed"] >= 18


def test_bounds_are_null_only_below_an_unproven_level_when_the_engine_gives_none(monkeypatch):
    inst = Instance.from_json(tiny())
    monkeypatch.setattr(model, "_solve_prepared",
                        lambda instance, prep, *a, **kw: ({}, [False] * 4, [None] * 4))
    plan = model.solve(inst, time_limit=5, workers=1)
    assert plan.status == "feasible" and check(inst, plan).ok
    assert plan.bound["seats_filled"] == trivial_bound(inst, "seats_filled") >= 3
    assert [plan.bound[k] for k in ("days_deployed", "repeat_deployments", "travel_km")] == \
        [None, None, None]


def test_solve_without_out_prints_exactly_one_json_document():
    r = run("solve", DATA / "tiny.json", "--time-limit", "10", "--workers", "1")
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)            # the whole of stdout: nothing before or after
    assert plan["format"] == "assessor-deployment-plan/1" and plan["status"] == "optimal"
    assert "HiGHS" not in r.stdout


BEYOND_64_BITS = 2 ** 64


@pytest.mark.parametrize("path, put", [
    ("policy.max_deployments_per_assessor",
     lambda d: d["policy"].__setitem__("max_deployments_per_assessor", BEYOND_64_BITS)),
    ("assessors[0].agreement.max_days_total",
     lambda d: d["assessors"][0]["agreement"].__setitem__("max_days_total", BEYOND_64_BITS)),
    ("assessors[0].agreement.max_days_per_deployment",
     lambda d: d["assessors"][0]["agreement"].__setitem__("max_days_per_deployment",
                                                          -BEYOND_64_BITS)),
    ("areas[0].lat", lambda d: d["areas"][0].__setitem__("lat", BEYOND_64_BITS)),
    ("inspections[0].seats[0].count",
     lambda d: d["inspections"][0]["seats"][0].__setitem__("count", BEYOND_64_BITS)),
])
def test_integers_beyond_64_bits_get_a_path_named_error_and_exit_2(tmp_path, path, put):
    data = tiny()
    put(data)
    p = tmp_path / "instance.json"
    p.write_text(json.dumps(data))
    r = run("solve", p, "--time-limit", "5")
    assert r.returncode == 2
    assert f"error: {path}: {BEYOND_64_BITS if 'max_days_per' not in path else -BEYOND_64_BITS}" \
        " is too large (beyond 64-bit integers)" in r.stderr
    assert "internal error" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize("where", ["cap", "total", "per", "count"])
def test_large_integers_within_64_bits_solve_like_unbounded_ones(where):
    data = tiny()
    big = 2 ** 62
    if where == "cap":
        data["policy"]["max_deployments_per_assessor"] = big
    elif where == "count":
        data["inspections"][0]["seats"][0]["count"] = big
    else:
        for a in data["assessors"]:
            if "agreement" in a:
                a["agreement"]["max_days_total" if where == "total" else
                               "max_days_per_deployment"] = big
    inst = Instance.from_json(copy.deepcopy(data))
    plan = model.solve(inst, time_limit=10, workers=1)
    assert check(inst, plan).ok and plan.status == "optimal"
