"""The solver against the independent oracle (tests/oracle) on adversarial instances.

Each case runs through ``solver.solve()``; every case the solver must refuse (invalid input,
contradicting pins) and every CLI_EVERY-th other case also runs through ``python -m solver
solve`` in a subprocess. A valid instance's plan must keep hard rules 1-7 by the oracle's
checker and equal the oracle's optimum on every level of the instance, in its order (or be an
honest 'feasible');
contradicting pins are 'infeasible'; invalid input exits 2 naming the field by its path.
Failing cases found by ``python -m bench.adversarial --save-failures`` are kept in
data/regressions and run here every time.
"""
import pytest

from tests.oracle.generator import case
from tests.oracle.harness import regressions, run_case, run_seed

SEEDS = range(286)        # 11 of each of the generator's 26 classes
CLI_EVERY = 10


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: case(seed).id)
def test_solver_agrees_with_the_oracle_on_an_adversarial_instance(seed):
    outcome = run_seed(seed, cli_every=CLI_EVERY)
    assert [str(f) for f in outcome.failures] == []


@pytest.mark.parametrize("regression", regressions(), ids=lambda c: c.id)
def test_solver_agrees_with_the_oracle_on_a_case_it_once_got_wrong(regression):
    outcome = run_case(regression, cli=True)
    assert [str(f) for f in outcome.failures] == []
