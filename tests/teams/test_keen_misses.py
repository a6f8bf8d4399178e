"""A build's result lists the assessors who asked to join one of its inspections and were not
placed on it, each with the reason in words: a rule that keeps them off, or the aim weighed before
their wish that decided it."""
from __future__ import annotations

import re

from scheduler.extensions import db
from scheduler.models import PlanningPolicy
from tests import factories as f
from tests.teams.conftest import build_run, make_assessor


def _misses(page) -> tuple[int, list[tuple[str, str, str, str]]]:
    heading = page.soup.find(id="keen-misses").get_text(" ", strip=True)
    count = int(re.fullmatch(r"Assessors who asked for an inspection and were not placed on it \((\d+)\)",
                             heading).group(1))
    items = [(li["data-assessor"], li["data-inspection"], li["data-decided-by"], " ".join(li.get_text().split()))
             for li in page.soup.select("#keen-miss-list li")]
    return count, items


def test_a_keen_assessor_kept_off_by_a_rule_or_by_a_higher_aim_is_listed_with_the_reason(client, sign_in, programme):
    """Wishes weighed after inspection days: A00006 may work only 4 days a deployment, so the
    Dundee seat (up to 6 days) goes to someone who works more; A00005 lives in Angus, where I0001 is."""
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=2, aims="with_wishes"))
    short = make_assessor(reference="A00006", agreement={"days_per_deployment": 4})
    i1, i2 = programme.inspections
    f.PreferenceFactory(assessor=short, inspection=i2, kind="keen")
    f.PreferenceFactory(assessor=programme.assessors[4], inspection=i1, kind="keen")
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client)
    assert run.plan["status"] == "optimal"
    count, items = _misses(client.get(f"/teams/runs/{run.id}"))
    assert count == len(items) == 2
    reasons = {(who, where): (decided, text) for who, where, decided, text in items}
    decided, text = reasons[("A00005", "I0001")]
    assert decided == "own_area" and "asked to join" in text and "own area, Angus" in text
    decided, text = reasons[("A00006", "I0002")]
    assert decided == "days_deployed"
    assert text.endswith("asked to join Joint inspection in Dundee (I0002): the Children and young people "
                         "seats went to assessors who add more inspection days.")


def test_the_heading_counts_every_wish_not_met_and_none_met_ones(client, sign_in, programme):
    a1, a2, a3, a4, a5 = programme.assessors
    i1, i2 = programme.inspections
    wishes = {(a.reference, "I0002") for a in (a1, a2, a3, a4)} | {("A00005", "I0001")}
    for a in (a1, a2, a3, a4):
        f.PreferenceFactory(assessor=a, inspection=i2, kind="keen")       # one seat: three or four miss it
    f.PreferenceFactory(assessor=a5, inspection=i1, kind="keen")
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client)
    placed = {(d["assessor"], d["inspection"]) for d in run.plan["deployments"]}
    count, items = _misses(client.get(f"/teams/runs/{run.id}"))
    assert {(who, where) for who, where, _, _ in items} == wishes - placed
    assert count == len(items) >= 4


def test_when_every_wish_is_met_the_result_says_so(client, sign_in, programme):
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=2, aims="with_wishes"))
    f.PreferenceFactory(assessor=programme.assessors[0], inspection=programme.inspections[1], kind="keen")
    db.session.flush()
    sign_in("coordinator")
    page = client.get(f"/teams/runs/{build_run(client).id}")
    assert page.soup.find(id="keen-misses").get_text(strip=True) == (
        "Everyone who asked to join one of these inspections was placed on every one they asked for.")
    assert not page.soup.select("#keen-miss-list li")
