"""rules.static_candidates (the model's bulk eligibility) agrees with rules.static_reason and
rules.feasible_days pair by pair."""
from hypothesis import HealthCheck, given, settings

from solver import Instance
from solver.rules import days_mask, feasible_days, length_bounds, static_candidates, static_reason

from .generator import generate
from .test_brute_force import small_instances


def _compare(inst: Instance) -> None:
    base = min([inst.horizon.start.toordinal()]
               + [i.days[0].toordinal() for i in inst.inspections if i.days])
    bulk = {(ai, ii, si): (F, lo, hi) for ai, ii, si, F, lo, hi in static_candidates(inst, base)}
    for ai, a in enumerate(inst.assessors):
        for ii, ins in enumerate(inst.inspections):
            for si, seat in enumerate(ins.seats):
                ok = static_reason(inst, a, ins, seat.specialism) is None
                assert ((ai, ii, si) in bulk) == ok, (a.id, ins.id, seat.specialism)
                if ok:
                    F, lo, hi = bulk[(ai, ii, si)]
                    assert F == days_mask(feasible_days(inst, a, ins), base)
                    assert (lo, hi) == length_bounds(a, seat)


def test_bulk_eligibility_matches_the_per_pair_rules_on_a_generated_instance():
    _compare(Instance.from_json(generate(120, 12, 5)))
    _compare(Instance.from_json(generate(120, 12, 7)))


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(small_instances())
def test_bulk_eligibility_matches_the_per_pair_rules_on_small_instances(data):
    _compare(Instance.from_json(data))
