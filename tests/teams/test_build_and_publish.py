"""Building teams, reading the result, publishing."""
from __future__ import annotations

from datetime import date, timedelta

import solver
from scheduler.extensions import db
from scheduler.models import AuditEvent, OutboxMessage
from solver.check import check
from tests import factories as f
from tests.teams.conftest import build_run, live, make_assessor


def test_build_teams_runs_a_solve_and_shows_the_proposed_teams(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    assert run.status == "finished", run.error
    assert run.plan["status"] == "optimal"
    assert run.objective["seats_filled"] == 3
    page = client.get(f"/teams/runs/{run.id}")
    assert page.status_code == 200
    text = page.soup.get_text(" ")
    assert "Best possible team: proven optimal" in text
    assert "I0001" in text and "I0002" in text
    assert live() == []          # nothing stored before publish


def test_publish_stores_proposed_deployments_and_asks_employers(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    response = client.post(f"/teams/runs/{run.id}/publish")
    assert response.status_code == 302
    deps = live()
    assert len(deps) == 3
    assert {d.status for d in deps} == {"proposed"}
    assert {d.plan_id for d in deps} == {run.id}
    db.session.refresh(run)
    assert run.version == 1 and run.published_at is not None
    subjects = [m.subject for m in db.session.scalars(db.select(OutboxMessage))]
    assert sum("Please confirm" in s for s in subjects) == 3
    assert sum("Proposed deployment" in s for s in subjects) == 3
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="teams.published")) is not None
    page = client.get(f"/teams/runs/{run.id}")
    assert "Published" in page.soup.get_text(" ")


def test_a_build_keeps_the_agreed_total_when_mandatory_days_exceed_the_seat_minimum(client, sign_in, db):
    """The issue's smallest case: an agreement of 11 days in total, inspections whose mandatory
    days (7 and 6) exceed their seats' minimum (4). Both would need 13 days: the plan takes one,
    and every rule holds (the solver's checker and the agreed total, counted here)."""
    seven = f.InspectionFactory(reference="I0001", starts_on=date(2027, 6, 7), ends_on=date(2027, 6, 15),
                                working_days__mandatory=[date(2027, 6, 7) + timedelta(n)
                                                         for n in (0, 1, 2, 3, 4, 7, 8)])
    six = f.InspectionFactory(reference="I0002", starts_on=date(2027, 6, 21), ends_on=date(2027, 6, 28),
                              working_days__mandatory=[date(2027, 6, 21) + timedelta(n) for n in (0, 1, 2, 3, 4, 7)])
    for i in (seven, six):
        f.SeatFactory(inspection=i, count=1, min_days=4, max_days=8)
    make_assessor(reference="A00001", agreement={"days_per_deployment": 8, "total_days": 11})
    sign_in("coordinator")
    run = build_run(client, ["I0001", "I0002"])
    assert run.status == "finished", run.error
    plan = solver.Plan.from_json(run.plan)
    assert check(solver.Instance.from_json(run.instance), plan).ok
    assert [d.inspection for d in plan.deployments] == ["I0001"]
    assert sum(len(d.days) for d in plan.deployments) == 7 <= 11
    assert client.post(f"/teams/runs/{run.id}/publish").status_code == 302
    assert [(d.inspection.reference, len(d.days)) for d in live()] == [("I0001", 7)]
