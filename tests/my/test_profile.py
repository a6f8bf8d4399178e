"""Profile: contact details change at once; a change of employer ends the current agreement and asks
the new employer; a change of specialisms waits for a coordinator."""
from __future__ import annotations

import re
from datetime import date

import pytest

from scheduler.employer import agreements
from scheduler.models import AuditEvent, EmployerAgreement, OutboxMessage, SpecialismChangeRequest
from tests import factories
from tests.factories import PASSWORD


def test_contact_details_are_saved_and_audited_and_a_new_email_waits_for_its_link(client, db, me):
    page = client.post("/my/profile/contact", data={"name": "Morag Lyle-Smith", "email": "MORAG@new.example",
                                                    "phone": "07700 900123", "version_id": me.version_id,
                                                    "current_password": PASSWORD},
                       follow_redirects=True)
    assert "Your contact details are saved. We have sent a link to morag@new.example" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert (me.name, me.email, me.phone) == ("Morag Lyle-Smith", "morag.lyle@test.example", "07700 900123")
    assert me.pending_email == "morag@new.example"
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.contact_changed"))
    assert event.before["name"] == "Morag Lyle" and event.after["pending_email"] == "morag@new.example"
    [mail] = db.session.scalars(db.select(OutboxMessage).filter_by(recipient="morag@new.example")).all()
    assert mail.subject == "Confirm your new contact email address"


def _ask_for_email(client, db, me, address: str) -> None:
    db.session.refresh(me)
    client.post("/my/profile/contact", data={"name": "Morag Lyle", "email": address, "phone": "1",
                                             "version_id": me.version_id, "current_password": PASSWORD})


def _confirmation_link(db, address: str) -> str:
    body = db.session.scalars(db.select(OutboxMessage.body).filter_by(recipient=address)
                              .order_by(OutboxMessage.id)).all()[-1]
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_the_link_sent_to_the_new_address_changes_the_contact_email_once(client, db, me):
    _ask_for_email(client, db, me, "morag@new.example")
    link = _confirmation_link(db, "morag@new.example")
    page = client.get(link, follow_redirects=True)
    assert "Your contact email is now morag@new.example" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert (me.email, me.pending_email) == ("morag@new.example", None)
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.contact_email_confirmed"))
    again = client.get(link)
    assert again.status_code == 400 and again.soup.h1.get_text(strip=True) == "This link is not valid"


def test_a_link_for_an_earlier_address_cannot_confirm_a_later_one(client, db, me):
    _ask_for_email(client, db, me, "first@new.example")
    first = _confirmation_link(db, "first@new.example")
    _ask_for_email(client, db, me, "second@new.example")
    assert client.get(first).status_code == 400
    db.session.refresh(me)
    assert (me.email, me.pending_email) == ("morag.lyle@test.example", "second@new.example")


def test_of_two_contact_forms_opened_together_the_second_saved_keeps_what_was_typed_and_saves_nothing(client, db, me):
    """Two tabs: the first saves a new phone number; the second, still showing the old one, must not
    silently put it back."""
    stale = me.version_id
    first = client.post("/my/profile/contact", data={"name": "Morag Lyle", "email": "morag.lyle@test.example",
                                                     "phone": "07700 900999", "version_id": stale})
    assert first.status_code == 302
    second = client.post("/my/profile/contact", data={"name": "Morag Lyle-Smith", "email": "morag.lyle@test.example",
                                                      "phone": "01382 000000", "version_id": stale})
    assert second.status_code == 409
    assert "changed in another window" in second.soup.select_one(".govuk-error-summary").get_text()
    assert second.soup.select_one("input[name=name]")["value"] == "Morag Lyle-Smith"       # what was typed
    assert second.soup.select_one("input[name=phone]")["value"] == "01382 000000"
    assert "07700 900999" in second.soup.select_one("#conflict").find_next("dl").get_text()   # what is saved
    db.session.refresh(me)
    assert (me.name, me.phone) == ("Morag Lyle", "07700 900999")
    again = client.post("/my/profile/contact", data={        # saving the kept form again replaces, knowingly
        "name": "Morag Lyle-Smith", "email": "morag.lyle@test.example", "phone": "01382 000000",
        "version_id": second.soup.select_one("input[name=version_id]")["value"]})
    assert again.status_code == 302
    db.session.refresh(me)
    assert (me.name, me.phone) == ("Morag Lyle-Smith", "01382 000000")


def test_contact_email_used_by_another_assessor_is_refused(client, db, me, someone_else):
    page = client.post("/my/profile/contact", data={"name": "Morag", "email": someone_else.email, "phone": "1"})
    assert "This email address belongs to another account: enter a different one" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert me.email == "morag.lyle@test.example" and me.pending_email is None


def test_contact_email_of_another_account_is_refused(client, db, me, make_user):
    coordinator = make_user("coordinator")
    page = client.post("/my/profile/contact", data={"name": "Morag", "email": coordinator.email.upper(), "phone": "1",
                                                    "version_id": me.version_id})
    assert "This email address belongs to another account: enter a different one" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(OutboxMessage)) is None


def test_missing_contact_details_name_the_field(client, db, me):
    page = client.post("/my/profile/contact", data={"name": "", "email": "not-an-email", "phone": ""})
    text = page.get_data(as_text=True)
    assert "Enter your full name" in text and "Enter an email address in the correct format" in text
    assert "Enter your phone number" in text


@pytest.fixture()
def spy(monkeypatch):
    calls = []
    real = agreements.request_agreement

    def spying(assessor, **kwargs):
        calls.append((assessor.id, kwargs))
        return real(assessor, **kwargs)

    monkeypatch.setattr(agreements, "request_agreement", spying)
    return calls


def test_changing_employer_lapses_the_agreement_and_asks_the_new_employer(client, db, me, spy, today):
    current = factories.AgreementFactory(assessor=me, days_per_deployment=10, total_days=20,
                                         valid_from=date(2026, 6, 1), valid_to=date(2027, 5, 31))
    new_employer = factories.employer("Dundee City Council")
    db.session.commit()
    page = client.post("/my/profile/employer", data={
        "employer_id": str(new_employer.id), "job_title": "Chief Social Work Officer",
        "contact_name": "Ann Boss", "contact_email": "Ann.Boss@dundeecity.gov.uk"}, follow_redirects=True)
    assert "Your previous employer agreement has ended" in page.get_data(as_text=True)
    db.session.refresh(current)
    db.session.refresh(me)
    assert current.status == "expired"
    assert me.employer_id == new_employer.id and me.job_title == "Chief Social Work Officer"
    assert spy == [(me.id, {"contact_name": "Ann Boss", "contact_email": "ann.boss@dundeecity.gov.uk",
                            "days_per_deployment": 10, "total_days": 20, "valid_from": today,
                            "valid_to": date(2028, 1, 10)})]
    requested = db.session.scalar(db.select(EmployerAgreement).filter_by(assessor_id=me.id, status="requested"))
    assert requested.employer_id == new_employer.id
    assert db.session.scalar(db.select(OutboxMessage).filter_by(recipient="ann.boss@dundeecity.gov.uk"))
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"agreement.lapsed", "assessor.employer_changed", "agreement.requested"} <= actions


def test_changing_employer_needs_the_new_managers_name_and_email(client, db, me, spy):
    factories.AgreementFactory(assessor=me)
    new_employer = factories.employer("Dundee City Council")
    db.session.commit()
    page = client.post("/my/profile/employer", data={"employer_id": str(new_employer.id), "job_title": "Head",
                                                     "contact_name": "", "contact_email": "nope"})
    text = page.get_data(as_text=True)
    assert "Enter the name of the manager at your new employer" in text
    assert "Enter the manager&#39;s email address in the correct format" in text or \
           "Enter the manager's email address in the correct format" in text
    assert spy == []
    db.session.refresh(me)
    assert me.employer.name == "Fife Council"


def test_changing_only_the_job_title_keeps_the_agreement(client, db, me, spy):
    current = factories.AgreementFactory(assessor=me)
    db.session.commit()
    client.post("/my/profile/employer", data={"employer_id": str(me.employer_id), "job_title": "Director"})
    db.session.refresh(current)
    assert current.status == "agreed" and spy == []
    db.session.refresh(me)
    assert me.job_title == "Director"


def test_a_specialism_change_goes_to_a_coordinator_for_approval(client, db, me, make_user):
    coordinator = make_user("coordinator")
    page = client.post("/my/profile/specialisms", data={"specialisms": ["children", "justice"]}, follow_redirects=True)
    assert "sent your change to a coordinator" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert [s.value for s in me.specialisms] == ["children"]  # unchanged until approved
    change = db.session.scalar(db.select(SpecialismChangeRequest).filter_by(assessor_id=me.id))
    assert change.status == "pending" and [s.value for s in change.specialisms] == ["children", "justice"]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="specialism_change.requested"))
    assert db.session.scalar(db.select(OutboxMessage).filter_by(recipient=coordinator.email))
    assert "Waiting for a coordinator to approve" in client.get("/my/profile").get_data(as_text=True)


def test_asking_for_the_specialisms_already_held_is_refused(client, db, me):
    page = client.post("/my/profile/specialisms", data={"specialisms": ["children"]})
    assert "Select a different set of specialisms" in page.get_data(as_text=True)
    page = client.post("/my/profile/specialisms", data={})
    assert "Select at least one specialism" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(SpecialismChangeRequest)) is None


def test_a_new_specialism_request_replaces_the_pending_one(client, db, me):
    client.post("/my/profile/specialisms", data={"specialisms": ["adults"]})
    client.post("/my/profile/specialisms", data={"specialisms": ["justice"]})
    statuses = [(r.status, [s.value for s in r.specialisms]) for r in db.session.scalars(
        db.select(SpecialismChangeRequest).order_by(SpecialismChangeRequest.id))]
    assert statuses == [("rejected", ["adults"]), ("pending", ["justice"])]
