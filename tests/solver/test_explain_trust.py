"""Explanations a coordinator can believe (issue 10): counts equal the lists they summarise,
suggestions are verified by applying them (agreement totals and pins included), nothing is free
to take a full seat, rule names match reasons, impossible ranges are told in words, and every
sentence names people as "Name (REF)", areas by name and dates in words."""
import re
from datetime import date

import pytest

from solver import Deployment, Instance, wording
from solver.explain import all_reasons, candidates, explain_seat, explain_unfilled
from solver.model import solve
from solver.rules import why_not

from .generator import generate
from .helpers import assessor, inspection, instance, march

WEEK1 = (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)
WEEK2 = (15, 16, 17, 18, 19, 22, 23, 24, 25, 26)


def dep(aid, iid, days, spec="children"):
    return Deployment(aid, iid, spec, tuple(date(2027, 3, d) for d in days))


def explained(inst, iid, deployments, spec="children"):
    e = explain_seat(inst, inst.inspection_by_id[iid], spec, deployments)
    listed = candidates(inst, iid, spec, deployments)
    return e, listed


def assert_counts_match_the_list(e, listed):
    statuses = [c.status for c in listed]
    assert e.holders == len(listed)
    assert e.deployed_here == statuses.count("deployed_here")
    assert e.could_take == statuses.count("eligible")
    for code, n in e.excluded.items():
        assert n == statuses.count(code), code


def test_summary_counts_equal_the_candidates_list_in_a_plan_that_is_not_optimal():
    people = [assessor(f"A{k}", total=t) for k, t in enumerate([24, 24, 3, 24], 1)]
    people.append(assessor("A5", home="angus"))
    people.append(assessor("A6", agreement=False))
    inst = Instance.from_json(instance(people, [inspection("I1", WEEK1, mandatory=(1,),
                                                           seats=[("children", 3, 4, 8)])]))
    e, listed = explained(inst, "I1", [dep("A1", "I1", WEEK1[:5])])
    assert e.could_take == 2                # A2 and A4: the empty plan is not optimal
    assert_counts_match_the_list(e, listed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_counts_equal_the_candidates_list_on_every_seat_of_a_solved_plan(seed):
    inst = Instance.from_json(generate(40, 6, seed))
    plan = solve(inst, time_limit=20, workers=1)
    for ins in inst.inspections:
        for seat in ins.seats:
            assert_counts_match_the_list(*explained(inst, ins.id, plan.deployments,
                                                    seat.specialism))


def test_nobody_is_free_to_take_a_full_seat():
    inst = Instance.from_json(instance([assessor("A1"), assessor("A2")],
                                       [inspection("I1", WEEK1)]))
    e, listed = explained(inst, "I1", [dep("A1", "I1", WEEK1[:5])])
    assert e.could_take == 1 and e.suggestions == []
    assert all(c.suggestion is None for c in listed)


def test_free_to_take_is_offered_only_on_a_vacancy():
    inst = Instance.from_json(instance([assessor("A1", name="Ailsa MacKay")],
                                       [inspection("I1", WEEK1)]))
    e, _ = explained(inst, "I1", [])
    assert [s.text for s in e.suggestions] == ["Ailsa MacKay (A1) is free to take this seat"]


def pinned_elsewhere(pinned):
    """A1 works I2 on 1-5 March (overlapping I1's mandatory 1 March); I1's seat is empty."""
    data = instance([assessor("A1", name="Ailsa MacKay")],
                    [inspection("I1", WEEK1, mandatory=(1,)),
                     inspection("I2", WEEK1[:5], area="highland")],
                    pinned=[{"assessor": "A1", "inspection": "I2", "specialism": "children",
                             "days": march(*WEEK1[:5])}] if pinned else [])
    return Instance.from_json(data)


def test_swap_is_suggested_for_a_deployment_that_is_not_pinned():
    inst = pinned_elsewhere(False)
    e, _ = explained(inst, "I1", [dep("A1", "I2", WEEK1[:5])])
    assert [s.kind for s in e.suggestions] == ["swap"]


def test_swap_never_gives_up_a_pinned_deployment():
    inst = pinned_elsewhere(True)
    e, listed = explained(inst, "I1", list(inst.pinned))
    assert [s.kind for s in e.suggestions] == []
    assert [c.suggestion for c in listed] == [None]


def test_agreement_total_suggestion_counts_the_true_minimum_and_is_true():
    """I1 has 7 mandatory days (seat minimum 4); A1 works 5 days on I2 and may give 10 in total:
    they need 12 in total, and 11 would not do."""
    inst = Instance.from_json(instance(
        [assessor("A1", name="Ailsa MacKay", total=10)],
        [inspection("I1", WEEK1, mandatory=WEEK1[:7]),
         inspection("I2", WEEK2, mandatory=(15,), area="highland")]))
    plan = [dep("A1", "I2", WEEK2[:5])]
    [u] = [u for u in explain_unfilled(inst, plan) if u.inspection == "I1"]
    assert u.suggestions[0] == ("ask Fife Council to release Ailsa MacKay (A1) for 12 days in "
                                "total instead of 10")

    def total(n):
        data = inst.to_json()
        data["assessors"][0]["agreement"]["max_days_total"] = n
        changed = Instance.from_json(data)
        return why_not(changed, changed.assessors[0], changed.inspections[0], "children", plan)
    assert total(12) is None and total(11) is not None


def test_no_agreement_is_not_called_a_length_rule():
    inst = Instance.from_json(instance([assessor("A1", name="Ailsa MacKay", agreement=False)],
                                       [inspection("I1", WEEK1)]))
    [r] = all_reasons(inst, inst.assessors[0], inst.inspections[0], "children", [])
    assert str(r) == ("rule 4 (days): Ailsa MacKay (A1) has no agreement with their employer, "
                      "so no day of theirs is agreed")


def test_an_impossible_range_is_explained_in_words():
    mandatory = WEEK1 + (15,)          # 11 mandatory days
    inst = Instance.from_json(instance(
        [assessor("A1", name="Ailsa MacKay", per=10)],
        [inspection("I1", WEEK1 + (15, 16), mandatory=mandatory,
                    seats=[("children", 1, 4, 12)])]))
    r = why_not(inst, inst.assessors[0], inst.inspections[0], "children")
    assert str(r) == ("rule 3 (length): the seat needs at least 11 days (its 11 mandatory days), "
                      "but Ailsa MacKay (A1)'s agreement allows at most 10 days per deployment")
    assert "outside the allowed" not in str(r)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize("seed", [1, 3])
def test_every_sentence_uses_names_area_names_and_dates_in_words(seed):
    inst = Instance.from_json(generate(40, 6, seed))
    plan = solve(inst, time_limit=20, workers=1)
    deployments = list(plan.deployments)[::2]          # leave seats empty: more to explain
    sentences = []
    for ins in inst.inspections:
        for seat in ins.seats:
            e, listed = explained(inst, ins.id, deployments, seat.specialism)
            sentences += [s.text for s in e.suggestions]
            sentences += [str(r) for c in listed for r in c.reasons]
            sentences += [c.suggestion for c in listed if c.suggestion]
    assert len(sentences) > 50
    slugs = [re.compile(rf"\b{re.escape(a.id)}\b") for a in inst.areas if a.id != a.name]
    for s in sentences:
        assert not ISO_DATE.search(s), s
        assert not any(p.search(s) for p in slugs), s
    people = {a.id: a.name for a in inst.assessors}
    for s in sentences:
        for ref in re.findall(r"\bA\d{4,}\b", s):
            assert f"{people[ref]} ({ref})" in s, s


@pytest.mark.parametrize("held, wanted", [("adults", "children"), ("children", "justice")])
def test_a_missing_specialism_is_told_in_words_never_as_its_code(held, wanted):
    inst = Instance.from_json(instance(
        [assessor("A1", specs=(held,), name="Ailsa MacKay")],
        [inspection("I1", range(1, 13), seats=((held, 1, 4, 12),)),
         inspection("I2", range(1, 13), seats=((wanted, 1, 4, 12),))]))
    a = inst.assessor_by_id["A1"]
    no_seat = why_not(inst, a, inst.inspection_by_id["I1"], wanted).message
    not_held = why_not(inst, a, inst.inspection_by_id["I2"], wanted).message
    assert no_seat == f"I1 (I1) has no {wording.SPECIALISMS[wanted]} seat"
    assert not_held.endswith(f"does not hold the {wording.SPECIALISMS[wanted]} specialism")
    for sentence in (no_seat, not_held):
        assert not re.search(rf"\b{wanted}\b", sentence), sentence
