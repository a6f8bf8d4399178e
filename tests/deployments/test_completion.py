"""Deployments whose inspection has ended become completed (daily, and `flask deployments complete`):
only those the employer confirmed, never one still to happen, and running again changes nothing.
Completed ones show as such wherever deployments are listed."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.deployments import completion
from scheduler.extensions import db as _db
from scheduler.models import AuditEvent
from tests import factories as f

TODAY = date.today()
LAST_WEEK = (TODAY - timedelta(days=14), TODAY - timedelta(days=3))


def _on(starts_on: date, ends_on: date, status: str = "employer_confirmed", inspection_status: str = "planned", **kw):
    return f.DeploymentFactory(status=status, inspection=f.InspectionFactory(
        starts_on=starts_on, ends_on=ends_on, status=inspection_status), **kw)


def _completed_events() -> list[str]:
    return list(_db.session.scalars(_db.select(AuditEvent.object_id).filter_by(action="deployment.completed")
                                    .order_by(AuditEvent.object_id)))


def test_a_confirmed_deployment_on_an_inspection_that_has_ended_is_completed_and_audited(app, db):
    worked = _on(*LAST_WEEK)
    with app.test_request_context():
        assert completion.run(TODAY) == [worked]
    db.session.expire_all()
    assert worked.status == "completed"
    assert _completed_events() == [str(worked.id)]


@pytest.mark.parametrize("status", ["proposed", "employer_declined", "assessor_declined", "cancelled"])
def test_a_deployment_that_was_not_confirmed_keeps_its_status_when_the_inspection_ends(app, db, status):
    left = _on(*LAST_WEEK, status=status)
    with app.test_request_context():
        assert completion.run(TODAY) == []
    db.session.expire_all()
    assert left.status == status and _completed_events() == []


def test_deployments_on_inspections_still_running_or_to_come_or_cancelled_are_left_as_they_are(app, db):
    ending_today = _on(TODAY - timedelta(days=11), TODAY)
    to_come = _on(TODAY + timedelta(days=7), TODAY + timedelta(days=18))
    cancelled = _on(*LAST_WEEK, inspection_status="cancelled")
    with app.test_request_context():
        assert completion.run(TODAY) == []
    db.session.expire_all()
    assert [d.status for d in (ending_today, to_come, cancelled)] == ["employer_confirmed"] * 3


def test_running_twice_changes_nothing_the_second_time(app, db):
    worked = _on(*LAST_WEEK)
    with app.test_request_context():
        completion.run(TODAY)
        version = worked.version_id
        assert completion.run(TODAY) == []
    db.session.expire_all()
    assert worked.status == "completed" and worked.version_id == version
    assert _completed_events() == [str(worked.id)]


def test_the_command_completes_what_ended_and_says_so_and_a_second_run_finds_nothing(app, db):
    worked = _on(*LAST_WEEK, assessor=f.AssessorFactory(name="Ailsa MacKay", reference="A00002"))
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["deployments", "complete"])
    again = runner.invoke(args=["deployments", "complete"])

    assert first.exit_code == 0 and again.exit_code == 0
    assert first.output.startswith("Completed 1 deployment on inspections that ended before ")
    assert f"{worked.inspection.reference}: Ailsa MacKay (A00002), 5 days" in first.output
    assert again.output.startswith("Completed 0 deployments")
    assert _completed_events() == [str(worked.id)]


def test_a_completed_deployment_shows_as_completed_on_the_profile_and_the_inspection(client, db, sign_in):
    worked = _on(*LAST_WEEK)
    with client.application.test_request_context():
        completion.run(TODAY)
    sign_in("coordinator")
    for url in (f"/assessors/{worked.assessor.id}", f"/inspections/{worked.inspection.id}"):
        tags = [t.get_text(strip=True) for t in client.get(url).soup.select("strong.govuk-tag")]
        assert "Completed" in tags and "Employer confirmed" not in tags, url


def test_an_assessor_sees_their_completed_deployment_as_completed_among_all_their_deployments(
        client, db, make_user, sign_in):
    user = make_user("assessor")
    worked = _on(*LAST_WEEK, assessor=f.AssessorFactory(user=user))
    with client.application.test_request_context():
        completion.run(TODAY)
    sign_in(user)
    assert worked.inspection.title not in client.get("/my").get_data(as_text=True)   # the overview: what is to come
    row = client.get("/my/deployments").soup.select_one("tbody tr")
    assert worked.inspection.title in row.get_text()
    assert row.select_one("strong.govuk-tag").get_text(strip=True) == "Completed"
    assert (client.get(f"/my/deployments/{worked.id}").soup.select_one("strong.govuk-tag").get_text(strip=True)
            == "Completed")
