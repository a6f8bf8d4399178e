"""Nobody consents to, confirms or approves something about themselves (ASVS 5.0 V2.3 business logic,
V8 authorisation). A coordinator may also be an associate assessor (two accounts, one address), and an
employer contact's address may later become an account's: each way round is refused and audited."""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.employer import agreements as agreement_requests
from scheduler.employer import deployments as confirmations
from scheduler.links import make_token
from scheduler.models import AuditEvent, EmployerAgreement, OutboxMessage
from tests import factories

CONTACT = "ann.boss@gmail.example"   # off Fife Council's domains: held until a coordinator confirms


@pytest.fixture()
def coordinator_who_is_an_assessor(db, make_user, sign_in):
    """A coordinator's account and, under the same address, their own assessor record (and account)."""
    coordinator = make_user("coordinator", email="morag.lyle@fife.gov.uk")
    assessor = factories.AssessorFactory(name="Morag Lyle", email="morag.lyle@fife.gov.uk",
                                         user=make_user("assessor", email="morag.lyle@home.example"))
    sign_in(coordinator)
    return assessor


def _link(app, purpose: str, subject_id: int) -> str:
    with app.test_request_context():
        return f"/employer/{make_token(purpose, subject_id)}"


def _refused(page) -> bool:
    return page.status_code == 403 and page.soup.h1.get_text(strip=True) == "You cannot answer this request"


def _refusals(db) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action="employer_link.refused"))


def test_a_coordinator_cannot_decide_their_own_specialism_request(client, db, coordinator_who_is_an_assessor):
    change = factories.SpecialismChangeRequestFactory(assessor=coordinator_who_is_an_assessor)
    db.session.commit()
    profile = client.get(f"/assessors/{change.assessor.id}")
    assert "Another coordinator must decide your own request" in profile.soup.main.get_text()
    assert not profile.soup.select("input[name=decision]")

    page = client.post(f"/assessors/{change.assessor.id}/specialism-requests/{change.id}",
                       data={"decision": "approve"}, follow_redirects=True)

    assert "Another coordinator must decide your own request" in page.soup.main.get_text()
    db.session.refresh(change)
    assert change.status == "pending" and not change.assessor.holds_adults
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="specialism_change.refused_own"))


def test_a_coordinator_cannot_confirm_the_release_contact_on_their_own_assessor_record(
        client, db, coordinator_who_is_an_assessor):
    held = factories.AgreementFactory(assessor=coordinator_who_is_an_assessor, contact_email=CONTACT,
                                      status="requested", contact_verified_at=None)
    db.session.commit()
    listed = client.get("/employer/contacts")
    assert "Another coordinator must confirm your own release contact" in listed.soup.main.get_text()

    page = client.post(f"/employer/contacts/{held.id}/confirm", follow_redirects=True)

    assert "Another coordinator must confirm your own release contact" in page.soup.main.get_text()
    db.session.refresh(held)
    assert held.contact_verified_at is None
    assert not db.session.scalars(db.select(OutboxMessage).filter_by(recipient=CONTACT)).all()


def test_a_coordinator_cannot_make_their_own_address_an_assessors_release_contact(client, db, sign_in):
    coordinator = sign_in("coordinator")
    assessor = factories.AssessorFactory()
    db.session.commit()
    page = client.post(f"/assessors/{assessor.id}/details", data={
        "name": assessor.name, "email": assessor.email, "phone": assessor.phone, "job_title": assessor.job_title,
        "employer_id": str(factories.employer("Dundee City Council").id),
        "contact_name": "Me Myself", "contact_email": coordinator.email})
    assert page.status_code == 200
    assert "belongs to someone who uses this service" in page.soup.select_one(".govuk-error-summary").get_text()
    assert not db.session.scalars(db.select(EmployerAgreement).filter_by(assessor_id=assessor.id)).all()


def test_employer_link_cannot_be_confirmed_by_the_deployed_assessor(app, client, db, sign_in):
    agreement = factories.AgreementFactory()
    deployment = factories.DeploymentFactory(assessor=agreement.assessor, status="proposed")
    agreement.assessor.user = factories.UserFactory(role="assessor", email=agreement.assessor.email)
    db.session.commit()
    sign_in(agreement.assessor.user)
    link = _link(app, confirmations.PURPOSE, deployment.id)

    assert _refused(client.get(link))
    assert _refused(client.post(link, data={"decision": "confirm"}))

    db.session.refresh(deployment)
    assert deployment.status == "proposed"
    assert _refusals(db) == 2


def test_employer_link_cannot_be_confirmed_by_a_coordinator_who_is_the_deployed_assessor(
        app, client, db, coordinator_who_is_an_assessor):
    factories.AgreementFactory(assessor=coordinator_who_is_an_assessor)
    deployment = factories.DeploymentFactory(assessor=coordinator_who_is_an_assessor, status="proposed")
    db.session.commit()

    page = client.post(_link(app, confirmations.PURPOSE, deployment.id), data={"decision": "confirm"})

    assert _refused(page)
    db.session.refresh(deployment)
    assert deployment.status == "proposed"


def test_employer_link_is_refused_once_the_contact_s_address_belongs_to_an_account(app, client, db, make_user):
    agreement = factories.AgreementFactory(contact_email="jane.manager@fife.gov.uk")
    deployment = factories.DeploymentFactory(assessor=agreement.assessor, status="proposed")
    make_user("coordinator", email="Jane.Manager@fife.gov.uk")   # an account made later under that address
    db.session.commit()

    page = client.post(_link(app, confirmations.PURPOSE, deployment.id), data={"decision": "confirm"})

    assert _refused(page)
    assert "belongs to someone who uses this service" in page.soup.main.get_text()
    db.session.refresh(deployment)
    assert deployment.status == "proposed"


def test_an_agreement_link_cannot_be_answered_by_the_assessor_it_releases(app, client, db, sign_in):
    assessor = factories.AssessorFactory(user=factories.UserFactory(role="assessor"))
    with app.test_request_context():
        agreement = agreement_requests.request_agreement(
            assessor, contact_name="Jane Manager", contact_email="jane.manager@fife.gov.uk", days_per_deployment=8,
            total_days=24, valid_from=date(2027, 4, 1), valid_to=date(2028, 3, 31))
    db.session.commit()
    sign_in(assessor.user)

    page = client.post(_link(app, agreement_requests.PURPOSE, agreement.id), data={"decision": "agree"})

    assert _refused(page)
    db.session.refresh(agreement)
    assert agreement.status == "requested"


def test_the_real_employer_contact_still_answers_the_link(app, client, db):
    agreement = factories.AgreementFactory(contact_email="jane.manager@fife.gov.uk")
    deployment = factories.DeploymentFactory(assessor=agreement.assessor, status="proposed")
    db.session.commit()

    page = client.post(_link(app, confirmations.PURPOSE, deployment.id), data={"decision": "confirm"})

    assert page.status_code == 200
    db.session.refresh(deployment)
    assert deployment.status == "employer_confirmed"
