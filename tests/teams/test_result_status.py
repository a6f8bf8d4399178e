"""The team builder's status tells the truth: a scoped build's figures are its own inspections',
a plan changed by hand says so, and a cancelled build says it was cancelled and what it had proven."""
from __future__ import annotations

import re
from dataclasses import replace

import solver
from scheduler.extensions import db
from solver.explain import explain_unfilled
from tests import factories as f
from tests.teams.conftest import build_run, live


def _text(response) -> str:
    return " ".join(response.soup.get_text(" ").split())


def test_a_build_of_one_inspection_shows_that_inspections_figures(client, sign_in, programme):
    sign_in("coordinator")
    client.post(f"/teams/runs/{build_run(client).id}/publish")
    assert len(live("I0002")) == 1
    scoped = build_run(client, ["I0001"])
    assert scoped.plan["objective"]["seats_filled"] == 3          # the solver counts I0002's too
    page = _text(client.get(f"/teams/runs/{scoped.id}"))
    assert "Seats filled 2 of 2" in page
    days = sum(len(d["days"]) for d in scoped.plan["deployments"] if d["inspection"] == "I0001")
    assert f"Days deployed {days} " in page


def test_a_plan_changed_by_hand_says_so_not_that_time_ran_out(client, sign_in, programme):
    spare = f.AssessorFactory(reference="A00006", home_area=f.area("highland"))
    f.AgreementFactory(assessor=spare)
    sign_in("coordinator")
    run = build_run(client)
    on_i2 = next(d["assessor"] for d in run.plan["deployments"] if d["inspection"] == "I0002")
    assert client.post(f"/teams/runs/{run.id}/replace/I0002/children",
                       data={"key": f"{on_i2}|I0002", "replacement": "A00006"}).status_code == 302
    for page in (_text(client.get(f"/teams/runs/{run.id}")), _text(client.get("/teams/"))):
        assert "Changed by hand after the build (as built: Best possible team: proven optimal)" in page
        assert "not proven best within the time limit" not in page


def test_a_cancelled_build_says_so_and_what_it_had_proven(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    # Stopped after the first level: the plan's own status cannot make it "proven optimal".
    run.status = "cancelled"
    run.bound = {"seats_filled": run.objective["seats_filled"], "days_deployed": None,
                 "repeat_deployments": None, "travel_km": None}
    db.session.commit()
    expected = "Cancelled: proven best on seats filled; not proven on days deployed, repeat deployments, travel (km)"
    for page in (_text(client.get(f"/teams/runs/{run.id}")), _text(client.get("/teams/"))):
        assert expected in page
        assert not re.search("proven optimal", page, re.I)
    aims = [li.get_text(" ", strip=True) for li in client.get(f"/teams/runs/{run.id}").soup.select("#aim-proofs li")]
    assert aims[0] == f"Seats filled: {run.objective['seats_filled']}, proven best possible"
    assert all(", not proven: " in aim for aim in aims[1:])


def test_an_unfilled_seat_counts_who_could_take_it_apart_from_the_busy(client, sign_in, programme):
    """A plan that leaves a place someone could take (stopped early, or changed by hand): the
    result says so, rather than counting them as busy."""
    sign_in("coordinator")
    run = build_run(client)
    instance, plan = solver.Instance.from_json(run.instance), solver.Plan.from_json(run.plan)
    kept = tuple(d for d in plan.deployments if d.inspection != "I0002")
    run.plan = replace(plan, deployments=kept, unfilled=tuple(explain_unfilled(instance, kept))).to_json()
    db.session.commit()
    page = _text(client.get(f"/teams/runs/{run.id}"))
    assert "1 children and young people place unfilled" in page
    assert re.search(r"Of 5 assessors with this specialism, 0 are on this team and 5 could take it\.", page), \
        page[page.find("unfilled"):][:400]
    assert "Busy: their days or agreed total are taken by other deployments" not in page
