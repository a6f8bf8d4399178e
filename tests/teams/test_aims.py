"""A build's result says, in words with figures, how it met the aims beyond seats and days:
assessors' wishes, 'rather not', and the council areas that send an assessor."""
from __future__ import annotations

import dataclasses

from scheduler.extensions import db
from scheduler.models import Area, PlanningPolicy
from scheduler.teams import plans
from tests import factories as f
from tests.teams.conftest import build_run


def _wishes(programme):
    a1, a2, a3, _, a5 = programme.assessors
    i1, i2 = programme.inspections
    f.PreferenceFactory(assessor=a1, inspection=i2, kind="keen")
    f.PreferenceFactory(assessor=a2, inspection=i1, kind="keen")
    f.PreferenceFactory(assessor=a5, inspection=i1, kind="keen")     # own area: asked, never placed there
    f.PreferenceFactory(assessor=a3, inspection=i1, kind="rather_not")
    db.session.flush()


def test_the_result_gives_wishes_rather_not_and_council_areas_with_their_figures(client, sign_in, programme):
    _wishes(programme)
    sign_in("coordinator")
    run = build_run(client)
    deployed = {(d["assessor"], d["inspection"]) for d in run.plan["deployments"]}
    keen = {"A00001": "I0002", "A00002": "I0001", "A00005": "I0001"}
    placed = sum(1 for who, where in keen.items() if (who, where) in deployed)
    unwanted = int(("A00003", "I0001") in deployed)
    home = {a.reference: a.home_area_id for a in programme.assessors}
    reached = len({home[who] for who, _ in deployed})
    areas = db.session.scalar(db.select(db.func.count()).select_from(Area))
    page = client.get(f"/teams/runs/{run.id}").get_data(as_text=True)
    assert f"{placed} of 3 assessors who asked were placed on an inspection they wanted" in page
    assert ("no one was placed where they&#39;d rather not be" in page) == (unwanted == 0)
    assert f"{reached} of {areas} council areas send an assessor" in page


def test_the_aims_counts_equal_the_lists_they_summarise(client, sign_in, programme):
    _wishes(programme)
    sign_in("coordinator")
    run = build_run(client)
    instance, plan = plans.instance_of(run), plans.plan_of(run)
    aims = plans.scope_aims(instance, plan, ["I0001", "I0002"])
    assert aims.asked == ["A00001", "A00002", "A00005"]
    assert aims.values["rather_not"] == len(aims.rather_not)
    assert aims.values["partnerships_reached"] == len(aims.areas_reached)
    assert set(aims.placed_as_wished) <= set(aims.asked)
    assert "A00005" not in aims.placed_as_wished


def test_rather_not_placements_are_counted_in_words():
    aims = plans.Aims(["A1"], [], ["A2|I1", "A3|I1"], ["fife"], 32,
                      {"rather_not": 2, "partnerships_reached": 1})
    assert aims.in_words() == ("0 of 1 assessors who asked were placed on an inspection they wanted; "
                               "2 deployments are where the assessor said they'd rather not be; "
                               "1 of 32 council areas send an assessor.")


def test_figures_read_every_level_whatever_the_policys_order(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    instance, plan = plans.instance_of(run), plans.plan_of(run)
    reordered = dataclasses.replace(instance, policy=dataclasses.replace(
        instance.policy, objective=("seats_filled", "rather_not", "keen")))
    assert plans.scope_figures(reordered, plan, ["I0001", "I0002"]) == plans.scope_figures(
        instance, plan, ["I0001", "I0002"])


def test_with_wishes_weighed_a_keen_assessor_is_placed_and_the_result_says_so(client, sign_in, programme):
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=2, aims="with_wishes"))
    f.PreferenceFactory(assessor=programme.assessors[0], inspection=programme.inspections[1], kind="keen")
    f.PreferenceFactory(assessor=programme.assessors[1], inspection=programme.inspections[1], kind="rather_not")
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client)
    assert run.instance["policy"]["objective"][:4] == ["seats_filled", "rather_not", "days_deployed", "keen"]
    deployed = {(d["assessor"], d["inspection"]) for d in run.plan["deployments"]}
    assert ("A00001", "I0002") in deployed and ("A00002", "I0002") not in deployed
    page = client.get(f"/teams/runs/{run.id}").get_data(as_text=True)
    assert "1 of 1 assessors who asked were placed on an inspection they wanted; no one was placed where" in page
