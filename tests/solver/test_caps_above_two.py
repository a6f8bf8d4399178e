"""Caps above 2: the enumerated patterns and the aggregated model (used where patterns would be
too many) reach the same proven optimum, and every plan keeps the rules."""
import pytest

from solver import Instance, enumerated
from solver.check import check
from solver.model import solve

from .generator import generate


def solved(data, monkeypatch=None, aggregated=False):
    if aggregated:
        monkeypatch.setattr(enumerated, "MAX_PATTERNS", 0)     # too many: the aggregated model
    inst = Instance.from_json(data)
    plan = solve(inst, time_limit=30, workers=1)
    assert check(inst, plan).ok
    return plan


@pytest.mark.parametrize("seed, cap", [(1, 3), (2, 3), (3, 4)])
def test_enumerated_patterns_and_the_aggregated_model_agree_on_every_level(monkeypatch, seed,
                                                                            cap):
    data = generate(60, 8, seed)
    data["policy"] = {"max_deployments_per_assessor": cap}
    by_patterns = solved(data)
    by_aggregate = solved(data, monkeypatch, aggregated=True)
    assert by_patterns.status == by_aggregate.status == "optimal"
    assert by_patterns.objective == by_aggregate.objective


def test_a_higher_cap_never_fills_fewer_seats_or_days():
    data = generate(60, 8, 5)
    two = solved(data)
    data["policy"] = {"max_deployments_per_assessor": 3}
    three = solved(data)
    assert (three.objective["seats_filled"], three.objective["days_deployed"]) >= \
        (two.objective["seats_filled"], two.objective["days_deployed"])


def test_without_highs_the_cp_sat_model_reaches_the_same_optimum(monkeypatch):
    from solver import model, patterns
    data = generate(30, 5, 4)
    data["policy"] = {"max_deployments_per_assessor": 3}
    with_highs = solved(data)
    monkeypatch.setattr(model, "highspy", None)
    monkeypatch.setattr(patterns, "highspy", None)
    by_cp_sat = solved(data)
    assert by_cp_sat.status == "optimal"
    assert by_cp_sat.objective == with_highs.objective


class _HighsAfterLongRuns:
    """Stands in for a HiGHS object that has already run for 100 s (its run clock)."""

    def __init__(self):
        self.options = {}

    def getRunTime(self):
        return 100.0

    def setOptionValue(self, name, value):
        self.options[name] = value

    def run(self):
        pass

    def cancelSolve(self):
        pass


@pytest.mark.parametrize("mip, limit", [(False, 105.0), (True, 5.0)])
def test_a_level_after_long_mips_still_gets_the_time_left(mip, limit):
    # HiGHS holds an LP to its time limit on the run clock of every earlier run, a MIP from
    # its own start: 5 s left must be 5 s either way
    import time

    from solver.highs import run_within
    from solver.model import _Stopper

    h = _HighsAfterLongRuns()
    assert run_within(h, time.monotonic() + 5.0, _Stopper(None), mip=mip)
    assert h.options["time_limit"] == pytest.approx(limit, abs=0.1)
