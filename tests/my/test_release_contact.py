"""A release contact must be someone at the employer: never the assessor's own address or anyone's
who uses the service; off the employer's known domains, nothing is sent until a coordinator
confirms them; a deployment confirmation goes only to a verified contact."""
from __future__ import annotations

import pytest

from scheduler.employer.contacts import ACCOUNT_ADDRESS, OWN_ADDRESS
from scheduler.employer.deployments import request_confirmation
from scheduler.models import AuditEvent, EmployerAgreement, OutboxMessage
from tests import factories


def _change_employer(client, contact_email: str, employer: str = "Dundee City Council"):
    return client.post("/my/profile/employer", data={
        "employer_id": str(factories.employer(employer).id), "job_title": "Chief Social Work Officer",
        "contact_name": "Ann Boss", "contact_email": contact_email})


def _sent_to(db, address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(recipient=address)))


def _field_error(page) -> str:
    return page.soup.select_one(".govuk-error-summary a[href='#contact_email']").get_text(strip=True)


def test_an_assessor_cannot_name_their_own_address_as_release_contact(client, db, me):
    page = _change_employer(client, me.email.upper())
    assert page.status_code == 200 and _field_error(page) == OWN_ADDRESS
    assert page.soup.find("input", attrs={"name": "contact_email"})["value"] == me.email.upper()  # kept
    db.session.refresh(me)
    assert me.employer.name == "Fife Council" and not me.agreements


@pytest.mark.parametrize("whose", ["coordinator", "another assessor"])
def test_an_assessor_cannot_name_an_address_someone_uses_on_the_service(client, db, me, make_user, whose):
    address = (make_user("coordinator").email if whose == "coordinator"
               else factories.AssessorFactory(email="ally@dundeecity.gov.uk").email)
    page = _change_employer(client, address)
    assert page.status_code == 200 and _field_error(page) == ACCOUNT_ADDRESS
    assert not _sent_to(db, address)


def test_a_contact_on_the_employer_s_domain_is_asked_at_once(client, db, me):
    assert _change_employer(client, "ann.boss@dundeecity.gov.uk").status_code == 302
    agreement = db.session.scalar(db.select(EmployerAgreement).filter_by(assessor_id=me.id))
    assert agreement.contact_verified_at is not None
    assert len(_sent_to(db, "ann.boss@dundeecity.gov.uk")) == 1


@pytest.mark.parametrize("address", ["ann.boss@gmail.example", "ann.boss@notdundeecity.gov.uk",
                                     "ann.boss@fife.gov.uk"])  # another council's domain is not Dundee's
def test_a_contact_off_the_employer_s_domains_is_held_until_a_coordinator_confirms(client, db, me, make_user,
                                                                                    sign_in, address):
    response = _change_employer(client, address)
    assert response.status_code == 302
    agreement = db.session.scalar(db.select(EmployerAgreement).filter_by(assessor_id=me.id))
    assert agreement.status == "requested" and agreement.contact_verified_at is None
    assert not _sent_to(db, address)

    client.post("/sign-out")
    coordinator = sign_in("coordinator")
    listed = client.get("/employer/contacts").soup.select("main li")
    assert address in " ".join(li.get_text() for li in listed)
    assert client.post(f"/employer/contacts/{agreement.id}/confirm").status_code == 302
    db.session.refresh(agreement)
    assert agreement.contact_verified_at is not None and agreement.contact_verified_by_id == coordinator.id
    [request] = _sent_to(db, address)
    assert "/employer/" in request.body
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="agreement.contact_confirmed"))
    waiting = client.get("/employer/contacts").soup.select("main li")
    assert address not in " ".join(li.get_text() for li in waiting)


def test_a_deployment_confirmation_goes_only_to_a_verified_contact(app, client, db, sign_in):
    held = factories.AgreementFactory(contact_email="hr@elsewhere.example", contact_verified_at=None)
    deployment = factories.DeploymentFactory(assessor=held.assessor, status="proposed")
    db.session.flush()
    with app.test_request_context():
        assert request_confirmation(deployment) is False
    assert not _sent_to(db, "hr@elsewhere.example")

    sign_in("coordinator")
    assert client.post(f"/employer/contacts/{held.id}/confirm").status_code == 302
    [confirmation] = _sent_to(db, "hr@elsewhere.example")  # the held deployment's, not a new agreement request
    assert confirmation.subject.startswith("Please confirm")


def test_only_coordinators_confirm_release_contacts(client, db, sign_in):
    held = factories.AgreementFactory(contact_email="hr@elsewhere.example", contact_verified_at=None)
    sign_in("admin")
    assert client.post(f"/employer/contacts/{held.id}/confirm").status_code == 403
    db.session.refresh(held)
    assert held.contact_verified_at is None


def test_an_assessor_cannot_take_their_release_contact_s_address_as_their_own(client, db, me):
    factories.AgreementFactory(assessor=me, contact_email="jane.manager@fife.gov.uk")
    page = client.post("/my/profile/contact", data={"name": me.name, "email": "Jane.Manager@fife.gov.uk",
                                                    "phone": "01592 583000"})
    assert page.status_code == 200
    assert "That is your employer release contact's address" in page.soup.get_text()
    db.session.refresh(me)
    assert me.email == "morag.lyle@test.example"
