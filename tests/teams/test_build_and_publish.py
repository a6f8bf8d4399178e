"""Building teams, reading the result, publishing."""
from __future__ import annotations

from scheduler.extensions import db
from scheduler.models import AuditEvent, OutboxMessage
from tests.teams.conftest import build_run, live


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
