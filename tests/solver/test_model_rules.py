"""The model never breaks a hard rule, even where breaking it would score better."""
from datetime import date

from solver import Deployment, Instance, Plan
from solver.check import check
from solver.model import KeepPublished, solve
from solver.rules import why_not

from .helpers import assessor, inspection, instance, march, tiny


def solved(data, **kw):
    inst = Instance.from_json(data)
    plan = solve(inst, time_limit=20, workers=1, **kw)
    result = check(inst, plan)
    assert result.violations == []
    assert result.objective == {k: plan.objective[k] for k in result.objective}
    return inst, plan


def test_tiny_example_reproduces_the_known_optimum_on_all_four_levels():
    _, plan = solved(tiny())
    assert plan.status == "optimal"
    assert plan.objective == {"seats_filled": 3, "days_deployed": 18, "repeat_deployments": 1,
                              "travel_km": 354}
    assert plan.bound == plan.objective


def test_assessor_only_fills_seats_of_a_specialism_they_hold():
    _, plan = solved(instance([assessor("A1", specs=["adults"])],
                              [inspection("I1", range(1, 6))]))
    assert plan.deployments == ()
    assert plan.unfilled[0].holders == 0


def test_seat_never_holds_more_assessors_than_its_count():
    _, plan = solved(instance([assessor(f"A{k}") for k in range(4)],
                              [inspection("I1", range(1, 6), seats=[("children", 2, 4, 5)])]))
    assert len(plan.deployments) == 2


def test_assessor_is_never_deployed_in_own_area():
    _, plan = solved(instance([assessor("A1", home="angus")], [inspection("I1", range(1, 6))]))
    assert plan.deployments == ()
    assert plan.unfilled[0].excluded["own_area"] == 1


def test_assessor_is_never_deployed_where_their_employer_is_excluded():
    _, plan = solved(instance([assessor("A1", employer="NHS Tayside")],
                              [inspection("I1", range(1, 6), excluded=["NHS Tayside"])]))
    assert plan.deployments == ()
    assert plan.unfilled[0].excluded["employer_conflict"] == 1


def test_assessor_without_an_agreement_is_never_deployed():
    _, plan = solved(instance([assessor("A1", agreement=False)], [inspection("I1", range(1, 6))]))
    assert plan.deployments == ()
    assert plan.unfilled[0].excluded["no_agreement"] == 1


def test_deployment_length_respects_the_agreement_per_deployment():
    _, plan = solved(instance([assessor("A1", per=5)], [inspection("I1", range(1, 11))]))
    assert [len(d.days) for d in plan.deployments] == [5]


def test_deployment_is_never_shorter_than_four_days():
    _, plan = solved(instance([assessor("A1")], [inspection("I1", [1, 2, 3])]))
    assert plan.deployments == ()


def test_days_avoid_unavailability_non_working_days_and_agreement_window():
    data = instance([assessor("A1", frm=2, to=12, unavailable=[(4, 5)])],
                    [inspection("I1", range(1, 16), mandatory=[3])], nwd=[8])
    _, plan = solved(data)
    (d,) = plan.deployments
    assert set(d.days) == {date(2027, 3, x) for x in (2, 3, 6, 7, 9, 10, 11, 12)}


def test_every_mandatory_day_is_worked():
    _, plan = solved(instance([assessor("A1", per=4)],
                              [inspection("I1", range(1, 11), mandatory=[9, 10])]))
    (d,) = plan.deployments
    assert {date(2027, 3, 9), date(2027, 3, 10)} <= set(d.days) and len(d.days) == 4


def test_mandatory_day_when_unavailable_keeps_assessor_off():
    _, plan = solved(instance([assessor("A1", unavailable=[(9, 9)])],
                              [inspection("I1", range(1, 11), mandatory=[9])]))
    assert plan.deployments == ()
    assert plan.unfilled[0].excluded["unavailable"] == 1


def test_assessor_is_never_double_booked():
    # two overlapping inspections, one assessor with days to spare: both filled, days disjoint
    data = instance([assessor("A1", total=24)],
                    [inspection("I1", range(1, 11), mandatory=[1]),
                     inspection("I2", range(5, 16), mandatory=[15], area="highland")])
    _, plan = solved(data)
    assert len(plan.deployments) == 2
    a, b = plan.deployments
    assert not set(a.days) & set(b.days)
    assert len(a.days) + len(b.days) == 15


def test_clashing_mandatory_days_allow_only_one_deployment():
    data = instance([assessor("A1")],
                    [inspection("I1", range(1, 11), mandatory=[5]),
                     inspection("I2", range(3, 16), mandatory=[5], area="highland")])
    _, plan = solved(data)
    assert len(plan.deployments) == 1


def test_deployment_count_never_exceeds_the_policy_cap():
    data = instance([assessor("A1", total=40)],
                    [inspection(f"I{k}", range(1 + 5 * k, 5 + 5 * k)) for k in range(4)], k=1)
    _, plan = solved(data)
    assert len(plan.deployments) == 1


def test_days_never_exceed_the_agreement_total():
    data = instance([assessor("A1", total=7)],
                    [inspection("I1", range(1, 8)), inspection("I2", range(10, 17))])
    _, plan = solved(data)
    assert len(plan.deployments) == 1 and len(plan.deployments[0].days) == 7


def test_pinned_deployments_are_kept_exactly_even_when_costly():
    data = instance([assessor("A1", home="highland"), assessor("A2", home="fife")],
                    [inspection("I1", range(1, 8))],
                    pinned=[{"assessor": "A1", "inspection": "I1", "specialism": "children",
                             "days": march(1, 2, 3, 4)}])
    inst, plan = solved(data)
    assert plan.deployments == inst.pinned


def test_contradicting_pinned_deployments_make_the_plan_infeasible():
    data = instance([assessor("A1")],
                    [inspection("I1", range(1, 8)), inspection("I2", range(1, 8), area="highland")],
                    pinned=[{"assessor": "A1", "inspection": "I1", "specialism": "children",
                             "days": march(1, 2, 3, 4)},
                            {"assessor": "A1", "inspection": "I2", "specialism": "children",
                             "days": march(4, 5, 6, 7)}])
    plan = solve(Instance.from_json(data), time_limit=5, workers=1)
    assert plan.status == "infeasible"


def test_fewer_assessors_repeat_when_others_can_go():
    data = instance([assessor("A1", home="highland"), assessor("A2", home="glasgow-city")],
                    [inspection("I1", range(1, 6)), inspection("I2", range(8, 13), area="fife")])
    _, plan = solved(data)
    assert plan.objective["repeat_deployments"] == 0


def test_checker_reports_every_broken_rule_with_its_deployment_index():
    inst = Instance.from_json(tiny())
    def D(*d):
        return tuple(date(2027, 3, x) for x in d)

    bad = Plan("optimal", None, None, 0, (
        Deployment("A4", "I1", "children", D(1, 2, 8, 9)),           # own area, no agreement
        Deployment("A2", "I1", "children", D(1, 2, 3, 4, 8, 9, 10)),  # 7 + 6 > 12 total
        Deployment("A2", "I2", "justice", D(10, 11, 12, 15, 16, 17)),  # 10 twice, 15 unavailable
        Deployment("A3", "I1", "children", D(1, 2, 3)),               # specialism, length
    ))
    found = {(v.deployments, v.rule): v.reason for v in check(inst, bad).violations}
    assert ((0,), 2) in found
    assert ((0,), 4) in found and "no agreement" in found[((0,), 4)]
    assert ((2,), 4) in found and "unavailable" in found[((2,), 4)]
    assert ((1, 2), 5) in found
    assert ((3,), 1) in found
    assert ((3,), 3) in found
    assert found[((1, 2), 6)].startswith("Iain Ross (A2) works 13 days in total")
    assert ((0, 1, 3), 1) in found  # 3 on a 2-seat


def test_why_not_gives_the_first_reason_in_spec_order():
    inst = Instance.from_json(tiny())
    a4, i1 = inst.assessor_by_id["A4"], inst.inspection_by_id["I1"]
    assert why_not(inst, a4, i1, "children").code == "own_area"
    a3, i2 = inst.assessor_by_id["A3"], inst.inspection_by_id["I2"]
    assert why_not(inst, a3, i2, "justice").code == "own_area"


def test_same_instance_and_parameters_give_the_same_objective():
    from .generator import generate
    inst = Instance.from_json(generate(30, 5, 11))
    a = solve(inst, time_limit=20, workers=2)
    b = solve(inst, time_limit=20, workers=2)
    assert a.objective == b.objective and a.status == b.status == "optimal"


def test_replanning_keeps_published_deployments_where_possible():
    data = instance([assessor("A1", home="highland"), assessor("A2", home="fife")],
                    [inspection("I1", range(1, 8))])
    inst = Instance.from_json(data)
    first = solve(inst, time_limit=10, workers=1)
    assert first.deployments[0].assessor == "A2"           # nearer
    published = (Deployment("A1", "I1", "children", first.deployments[0].days),)
    again = solve(inst, time_limit=10, workers=1, extra_levels=[KeepPublished(published)])
    assert again.deployments[0].assessor == "A1" and again.objective["kept_published"] == 1


def test_replanning_keeps_a_kept_deployments_published_days():
    data = instance([assessor("A1")], [inspection("I1", range(1, 11), mandatory=(1,),
                                                  seats=(("children", 1, 4, 5),))])
    inst = Instance.from_json(data)
    assert solve(inst, time_limit=10, workers=1).deployments[0].days == tuple(
        date.fromisoformat(d) for d in march(1, 2, 3, 4, 5))          # earliest days by default
    published_days = tuple(date.fromisoformat(d) for d in march(1, 7, 8, 9, 10))
    again = solve(inst, time_limit=10, workers=1, extra_levels=[
        KeepPublished((Deployment("A1", "I1", "children", published_days),))])
    assert again.deployments[0].days == published_days
    assert check(inst, again).violations == []


def test_a_kept_deployment_moves_only_the_days_it_can_no_longer_work():
    data = instance([assessor("A1", unavailable=[(9, 9)])],
                    [inspection("I1", range(1, 11), mandatory=(1,), seats=(("children", 1, 4, 5),))])
    inst = Instance.from_json(data)
    published_days = tuple(date.fromisoformat(d) for d in march(1, 7, 8, 9, 10))
    again = solve(inst, time_limit=10, workers=1, extra_levels=[
        KeepPublished((Deployment("A1", "I1", "children", published_days),))])
    assert again.deployments[0].days == tuple(date.fromisoformat(d) for d in march(1, 2, 7, 8, 10))


def test_cancel_stops_with_a_valid_plan_and_honest_status():
    from .generator import generate
    inst = Instance.from_json(generate(200, 24, 1))
    plan = solve(inst, time_limit=30, workers=2, cancel=lambda: True)
    assert check(inst, plan).violations == []
    assert plan.status in ("feasible", "optimal")
