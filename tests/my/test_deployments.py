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


def status_of(page, title: str) -> str:
    """What the Status column says in the table row that mentions `title`."""
    row = next(r for r in page.soup.select("tbody tr") if title in r.get_text())
    headings = [th.get_text(strip=True) for th in row.find_parent("table").select("thead th")]
    return " ".join(row.select("td, th")[headings.index("Status")].get_text(" ", strip=True).split())


def test_the_deployment_page_asks_its_question_as_the_legend(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me)
    db.session.commit()
    page = client.get(f"/my/deployments/{deployment.id}")
    fieldset = page.soup.find("input", attrs={"name": "answer"}).find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Can you do this deployment?"


def test_once_accepted_every_list_and_page_shows_the_answer_not_proposed(app, client, db, me, sign_in):
    deployment = factories.DeploymentFactory(assessor=me, inspection__title="Angus children",
                                             inspection__reference="I0777")
    db.session.commit()
    assert status_of(client.get("/my"), "Angus children") == "Proposed"
    _respond(client, deployment, answer="accept")

    assert status_of(client.get("/my"), "Angus children") == "You accepted"
    assert status_of(client.get("/my/deployments"), "Angus children") == "You accepted"
    page = client.get(f"/my/deployments/{deployment.id}")
    status = page.soup.find("dt", string=lambda s: s and s.strip() == "Status").find_next_sibling("dd")
    assert status.get_text(strip=True) == "You accepted"

    coordinator = app.test_client()
    sign_in("coordinator", client=coordinator)
    assert status_of(coordinator.get(f"/assessors/{me.id}"), "Angus children") == "Assessor accepted"
    assert status_of(coordinator.get(f"/inspections/{deployment.inspection.id}"), "Morag Lyle") == \
        "Assessor accepted"
    assert status_of(coordinator.get("/teams/published"), "I0777") == "Assessor accepted"


def test_a_decline_after_accepting_shows_the_decline(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me, inspection__title="Angus children")
    db.session.commit()
    _respond(client, deployment, answer="accept")
    db.session.refresh(deployment)
    _respond(client, deployment, answer="decline", reason="A family emergency")
    db.session.refresh(deployment)
    assert deployment.status == "assessor_declined" and deployment.accepted_at is None
    assert status_of(client.get("/my/deployments"), "Angus children") == "You declined"


def test_confirmed_by_the_employer_after_accepting_says_confirmed(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me, inspection__title="Angus children")
    db.session.commit()
    _respond(client, deployment, answer="accept")
    db.session.refresh(deployment)
    deployment.status = "employer_confirmed"
    db.session.commit()
    assert status_of(client.get("/my/deployments"), "Angus children") == "Confirmed"
