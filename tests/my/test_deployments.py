"""Accepting or declining a proposed deployment: a decline needs a reason, is audited and tells the
coordinators; a stale page cannot overwrite a newer change."""
from __future__ import annotations

from scheduler.models import AuditEvent, Deployment, OutboxMessage
from tests import factories


def _respond(client, deployment, **data):
    data.setdefault("version", str(deployment.version_id))
    return client.post(f"/my/deployments/{deployment.id}", data=data, follow_redirects=True)


def test_the_overview_lists_proposed_and_confirmed_deployments_only(client, db, me):
    factories.DeploymentFactory(assessor=me, inspection__title="Proposed one")
    factories.DeploymentFactory(assessor=me, inspection__title="Confirmed one", status="employer_confirmed")
    factories.DeploymentFactory(assessor=me, inspection__title="Cancelled one", status="cancelled")
    page = client.get("/my")
    text = page.get_data(as_text=True)
    assert "Proposed one" in text and "Confirmed one" in text and "Cancelled one" not in text
    assert "1 March to 5 March 2027" in text and "5 days" in text


def test_declining_needs_a_reason(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me)
    db.session.commit()
    page = _respond(client, deployment, answer="decline", reason="  ")
    assert "Enter why you cannot do this deployment" in page.get_data(as_text=True)
    db.session.refresh(deployment)
    assert deployment.status == "proposed"


def test_declining_with_a_reason_is_recorded_audited_and_emailed_to_coordinators(client, db, me, make_user):
    coordinator = make_user("coordinator")
    deployment = factories.DeploymentFactory(assessor=me)
    db.session.commit()
    page = _respond(client, deployment, answer="decline", reason="Our own inspection falls that week")
    assert "You declined the deployment" in page.get_data(as_text=True)
    db.session.refresh(deployment)
    assert deployment.status == "assessor_declined"
    assert deployment.decline_reason == "Our own inspection falls that week"
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="deployment.assessor_declined"))
    assert event.object_id == str(deployment.id) and event.before["status"] == "proposed"
    mail = db.session.scalar(db.select(OutboxMessage).filter_by(recipient=coordinator.email))
    assert "Our own inspection falls that week" in mail.body and "Morag Lyle" in mail.subject


def test_accepting_is_audited_and_shown(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me)
    db.session.commit()
    version = deployment.version_id
    page = _respond(client, deployment, answer="accept")
    assert "You accepted the deployment" in page.get_data(as_text=True)
    db.session.refresh(deployment)
    assert deployment.status == "proposed" and deployment.version_id == version + 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="deployment.accepted"))
    again = client.get(f"/my/deployments/{deployment.id}")
    assert "You accepted this deployment on" in again.get_data(as_text=True)


def test_a_response_from_a_stale_page_is_refused(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me)
    db.session.commit()
    stale = str(deployment.version_id)
    deployment.pinned = True  # a coordinator changes it meanwhile
    db.session.commit()
    response = client.post(f"/my/deployments/{deployment.id}",
                           data={"answer": "decline", "reason": "Busy", "version": stale})
    assert response.status_code == 409
    db.session.refresh(deployment)
    assert deployment.status == "proposed"


def test_only_a_proposed_deployment_can_be_answered(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me, status="employer_confirmed")
    db.session.commit()
    page = client.get(f"/my/deployments/{deployment.id}")
    assert page.soup.find("input", attrs={"name": "answer"}) is None
    response = client.post(f"/my/deployments/{deployment.id}",
                           data={"answer": "decline", "reason": "Busy", "version": str(deployment.version_id)})
    assert response.status_code == 409
    assert db.session.get(Deployment, deployment.id).status == "employer_confirmed"
