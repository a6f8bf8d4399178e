"""The pattern engine's restricted MIPs (level rows turned into penalties) prove the same
lexicographic optimum as its integral LPs."""

from __future__ import annotations

import pytest

from bench.generate import generate
from solver import Instance, patterns
from solver.check import check
from solver.model import solve


@pytest.mark.parametrize("seed", [1, 2])
def test_every_level_through_the_mips_gives_the_same_optimum(seed: int) -> None:
    inst = Instance.from_json(generate("national", seed))
    plan = solve(inst, time_limit=60, workers=1)
    with pytest.MonkeyPatch.context() as mp:
        # as if every LP were fractional: each level is proven by the MIPs
        mp.setattr(patterns, "_integral", lambda xl: False)
        through_mips = solve(inst, time_limit=60, workers=1)
    assert check(inst, through_mips).violations == []
    assert plan.status == through_mips.status == "optimal"
    assert through_mips.objective == plan.objective
