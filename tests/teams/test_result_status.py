"""The team builder's status tells the truth: a scoped build's figures are its own inspections',
a plan changed by hand says so, and a cancelled build says it was cancelled and what it had proven."""
from __future__ import annotations

import re

from scheduler.extensions import db
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
