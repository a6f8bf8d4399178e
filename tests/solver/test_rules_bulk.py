"""The rules asked in bulk (rules.Pool, rules.PlanState: the model's candidates, the explanations'
counts, the greedy baseline) agree with the per-pair rules (static_reason, feasible_days, why_not)
holder by holder."""
from hypothesis import HealthCheck, given, settings

from solver import Instance
from solver.candidates import prepare, recover_days
from solver.explain import explain_seat, explain_unfilled
from solver.instance import EXCLUDED_KEYS
from solver.rules import CODES, PlanState, Pool, days_mask, feasible_days, length_bounds, static_reason, why_not
from solver.warmstart import warm_start

from .generator import generate
from .test_brute_force import small_instances


def _compare(inst: Instance) -> None:
    """Pool's codes are static_reason's, pair by pair; without pinned deployments the model's
    candidates are exactly the eligible pairs, with feasible_days and length_bounds."""
    pool = Pool(inst)
    eligible = {}
    for ii, ins in enumerate(inst.inspections):
        v = pool.view(ins)
        for si, seat in enumerate(ins.seats):
            codes = pool.seat_codes(v, seat)[0]
            for ai, a in enumerate(inst.assessors):
                r = static_reason(inst, a, ins, seat.specialism)
                assert CODES[codes[ai]] == (r.code if r else "eligible"), (a.id, ins.id, r)
                if r is None:
                    eligible.setdefault((ai, ii), []).append((si, seat))
    if inst.pinned:
        return
    prep = prepare(inst)
    assert len(prep.cands) == len(eligible)
    for c in prep.cands:
        a, ins = inst.assessors[c.a], inst.inspections[c.i]
        F = days_mask(feasible_days(inst, a, ins), pool.base)
        assert (c.F, c.M) == (F, days_mask(ins.mandatory_days, pool.base))
        total = a.agreement.max_days_total
        assert c.seats == tuple((si, length_bounds(a, ins, seat)[0],
                                 min(length_bounds(a, ins, seat)[1], F.bit_count(), total))
                                for si, seat in eligible[(c.a, c.i)]), (a.id, ins.id)


def _plans(inst: Instance):
    """The warm start's plan and a thinned copy (so that some holders could take a seat again)."""
    prep = prepare(inst)
    deps = list(inst.pinned) + recover_days(inst, prep, warm_start(inst, prep))
    return [deps, deps[::2]]


def _counts_holder_by_holder(inst, ins, specialism, deps):
    """The spec's definition of an unfilled seat's counts, one why_not per holder."""
    here, excluded = 0, {k: 0 for k in EXCLUDED_KEYS}
    for a in inst.assessors:
        if specialism not in a.specialisms:
            continue
        others = [d for d in deps if d.assessor == a.id]
        if any(d.inspection == ins.id and d.specialism == specialism for d in others):
            here += 1
            continue
        r = why_not(inst, a, ins, specialism, others)
        excluded[r.code if r is not None and r.code in excluded else "busy"] += 1
    return here, excluded


def _compare_with_plans(inst: Instance) -> None:
    pool = Pool(inst)
    for deps in _plans(inst):
        plan = PlanState(pool, deps)
        for ins in inst.inspections:
            v = pool.view(ins)
            for seat in ins.seats:
                static, lo, _ = pool.seat_codes(v, seat)
                codes = plan.codes(v, lo, static)
                for ai, a in enumerate(inst.assessors):
                    r = why_not(inst, a, ins, seat.specialism, deps)
                    assert CODES[codes[ai]] == (r.code if r else "eligible"), (a.id, ins.id, r)
                e = explain_seat(inst, ins, seat.specialism, deps, suggest=False)
                assert e.holders == sum(1 for a in inst.assessors
                                        if seat.specialism in a.specialisms)
                excluded = {**e.excluded, "busy": e.excluded["busy"] + e.could_take}
                assert (e.deployed_here, excluded) == _counts_holder_by_holder(
                    inst, ins, seat.specialism, deps)
                assert e.deployed_here + e.could_take + sum(e.excluded.values()) == e.holders
        for u in explain_unfilled(inst, deps):
            ins = inst.inspection_by_id[u.inspection]
            assert (u.deployed_here, u.excluded) == _counts_holder_by_holder(inst, ins,
                                                                             u.specialism, deps)


def test_bulk_eligibility_matches_the_per_pair_rules_on_a_generated_instance():
    _compare(Instance.from_json(generate(120, 12, 5)))
    _compare(Instance.from_json(generate(120, 12, 7)))


def test_candidate_lengths_are_capped_by_the_agreements_total_days():
    data = generate(120, 12, 6)
    for a in data["assessors"][::3]:
        if "agreement" in a:
            a["agreement"]["max_days_total"] = 5
    _compare(Instance.from_json(data))


def test_bulk_reasons_in_a_plan_match_why_not_holder_by_holder_on_generated_instances():
    for seed in (3, 5):
        _compare_with_plans(Instance.from_json(generate(80, 10, seed)))


def test_bulk_reasons_around_pinned_deployments_match_why_not():
    data = generate(80, 10, 4)
    some = _plans(Instance.from_json(data))[0][::5]
    data["pinned"] = [{"assessor": d.assessor, "inspection": d.inspection,
                       "specialism": d.specialism, "days": [x.isoformat() for x in d.days]}
                      for d in some]
    inst = Instance.from_json(data)
    assert inst.pinned
    _compare(inst)
    _compare_with_plans(inst)


def test_bulk_reasons_with_a_tighter_cap_match_why_not():
    data = generate(60, 8, 2)
    data["policy"] = {"max_deployments_per_assessor": 1}
    _compare_with_plans(Instance.from_json(data))


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(small_instances())
def test_bulk_rules_match_the_per_pair_rules_on_small_instances(data):
    inst = Instance.from_json(data)
    _compare(inst)
    _compare_with_plans(inst)
