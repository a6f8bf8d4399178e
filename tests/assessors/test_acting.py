"""A coordinator acting for an assessor from their profile: unavailability on their behalf (audited as the
coordinator, the assessor emailed), status, contact details and employer, and requests sent again."""
from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from scheduler.models import AuditEvent, EmployerAgreement, OutboxMessage, Unavailability
from scheduler.my import availability
from tests import factories

TODAY = date(2027, 1, 11)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(availability, "today", lambda: TODAY)


@pytest.fixture()
def mackay(db):
    return factories.AssessorFactory(name="Siobhán MacKay", email="siobhan.mackay@test.example")


def mail_to(db, email: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(recipient=email)))


def record_leave(client, assessor, start: date, end: date, reason: str = ""):
    pairs = [("starts_on", str(start.day)), ("starts_on", str(start.month)), ("starts_on", str(start.year)),
             ("ends_on", str(end.day)), ("ends_on", str(end.month)), ("ends_on", str(end.year)),
             ("reason", reason), ("csrf_token", client.csrf_token())]
    return client.post(f"/assessors/{assessor.id}/unavailability/add", data=MultiDict(pairs), csrf=False,
                       follow_redirects=True)


def test_a_coordinator_records_unavailability_for_an_assessor_audited_as_themselves(client, db, coordinator, mackay):
    page = record_leave(client, mackay, date(2027, 3, 1), date(2027, 3, 14), "Surgery")
    assert "Siobhán MacKay is unavailable from 1 March to 14 March 2027" in page.get_data(as_text=True)
    assert [(u.starts_on, u.ends_on) for u in db.session.scalars(db.select(Unavailability))] == [
        (date(2027, 3, 1), date(2027, 3, 14))]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.added"))
    assert event.user_id == coordinator.id and event.object_id == str(mackay.id)
    [mail] = mail_to(db, mackay.email)
    assert "1 March to 14 March 2027" in mail.body and "Surgery" in mail.body


def test_a_merge_made_for_an_assessor_speaks_of_their_leave(client, db, coordinator, mackay):
    factories.UnavailabilityFactory(assessor=mackay, starts_on=date(2027, 3, 15), ends_on=date(2027, 3, 19))
    page = record_leave(client, mackay, date(2027, 3, 1), date(2027, 3, 14))
    assert "This runs straight on from their leave from 15 March to 19 March 2027" in page.get_data(as_text=True)


def test_unavailability_with_bad_dates_names_the_field_and_keeps_what_was_typed(client, db, coordinator, mackay):
    page = record_leave(client, mackay, date(2027, 3, 14), date(2027, 3, 1), "Kept reason")
    assert page.status_code == 200
    assert ("The last day they are unavailable must be the same as or after the first day they are unavailable"
            in page.soup.select_one("#ends_on-date-error").get_text())
    assert page.soup.select_one("#reason")["value"] == "Kept reason"
    assert db.session.scalar(db.select(Unavailability.id)) is None


def test_a_coordinator_removes_unavailability_and_the_assessor_is_told(client, db, coordinator, mackay):
    u = factories.UnavailabilityFactory(assessor=mackay, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    db.session.commit()
    url = f"/assessors/{mackay.id}/unavailability/{u.id}/remove"
    assert "5 April to 16 April 2027" in client.get(url).get_data(as_text=True)
    client.post(url)
    assert db.session.scalar(db.select(Unavailability.id)) is None
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.removed")).user_id == coordinator.id
    assert "removed the time you were unavailable from 5 April to 16 April 2027" in mail_to(db, mackay.email)[0].body


def test_another_assessors_period_cannot_be_removed_through_this_one(client, db, coordinator, mackay):
    other = factories.UnavailabilityFactory()
    db.session.commit()
    assert client.get(f"/assessors/{mackay.id}/unavailability/{other.id}/remove").status_code == 404


@pytest.mark.parametrize("status, words", [("paused", "is paused"), ("left", "is marked as having left")])
def test_pausing_or_marking_left_changes_the_status_audits_and_tells_them(client, db, coordinator, mackay, status,
                                                                          words):
    page = client.post(f"/assessors/{mackay.id}/status", data={"status": status, "note": "As agreed"},
                       follow_redirects=True)
    assert f"Siobhán MacKay {words}" in page.get_data(as_text=True)
    assert db.session.get(type(mackay), mackay.id).status == status
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.status_changed"))
    assert event.before == {"status": "active"} and event.after["status"] == status
    assert "As agreed" in mail_to(db, mackay.email)[0].body


def test_resuming_a_paused_assessor_makes_them_active(client, db, coordinator):
    paused = factories.AssessorFactory(status="paused")
    client.post(f"/assessors/{paused.id}/status", data={"status": "active"})
    assert db.session.get(type(paused), paused.id).status == "active"


def test_a_status_must_be_chosen(client, db, coordinator, mackay):
    page = client.post(f"/assessors/{mackay.id}/status", data={"status": ""})
    assert "Select their status" in page.soup.select_one("#status-error").get_text()


def details(assessor, **changes) -> dict:
    data = {"name": assessor.name, "email": assessor.email, "phone": assessor.phone,
            "employer_id": str(assessor.employer_id), "job_title": assessor.job_title,
            "contact_name": "", "contact_email": ""}
    return {**data, **changes}


def test_a_coordinator_edits_contact_details(client, db, coordinator, mackay):
    client.post(f"/assessors/{mackay.id}/details", data=details(mackay, phone="07700 900123", name="Siobhán Reid"))
    changed = db.session.get(type(mackay), mackay.id)
    assert (changed.name, changed.phone) == ("Siobhán Reid", "07700 900123")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.details_changed"))
    assert event.user_id == coordinator.id and event.before["name"] == "Siobhán MacKay"


def test_an_email_another_assessor_uses_is_refused_naming_the_field(client, db, coordinator, mackay):
    factories.AssessorFactory(email="taken@test.example")
    page = client.post(f"/assessors/{mackay.id}/details", data=details(mackay, email="taken@test.example"))
    assert "This email address belongs to another account" in page.soup.select_one("#email-error").get_text()


def test_a_new_employer_needs_a_manager_and_then_ends_the_old_agreement_and_asks_the_new_one(client, db, coordinator,
                                                                                             mackay):
    old = factories.AgreementFactory(assessor=mackay)
    dundee = factories.employer("Dundee City Council")
    page = client.post(f"/assessors/{mackay.id}/details", data=details(mackay, employer_id=str(dundee.id)))
    assert page.soup.select_one("#contact_name-error") is not None
    client.post(f"/assessors/{mackay.id}/details", data=details(
        mackay, employer_id=str(dundee.id), contact_name="Ann Boss", contact_email="ann.boss@dundeecity.gov.uk"))
    assert db.session.get(EmployerAgreement, old.id).status == "expired"
    assert db.session.scalar(db.select(EmployerAgreement).filter_by(employer_id=dundee.id)).status == "requested"
    assert mail_to(db, "ann.boss@dundeecity.gov.uk")


def test_the_employer_agreement_request_is_sent_again_only_while_unanswered(client, db, coordinator, mackay):
    waiting = factories.AgreementFactory(assessor=mackay, status="requested", contact_email="hr@fife.example")
    agreed = factories.AgreementFactory(assessor=mackay, contact_email="hr2@fife.example")
    db.session.commit()
    client.post(f"/assessors/{mackay.id}/agreements/{waiting.id}/resend")
    assert len(mail_to(db, "hr@fife.example")) == 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="agreement.request_resent")) is not None
    page = client.post(f"/assessors/{mackay.id}/agreements/{agreed.id}/resend", follow_redirects=True)
    assert "already answered" in page.get_data(as_text=True)
    assert mail_to(db, "hr2@fife.example") == []


def test_an_invitation_is_sent_again_to_someone_who_never_set_a_password(client, db, coordinator, make_user):
    user = make_user("assessor")
    user.password_hash = None
    invited = factories.AssessorFactory(user=user)
    profile = client.get(f"/assessors/{invited.id}")
    assert "Send a new invitation" in profile.get_data(as_text=True)
    client.post(f"/assessors/{invited.id}/invitation")
    assert len(mail_to(db, user.email)) == 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="user.invited")).user_id == coordinator.id


def test_no_invitation_is_offered_to_someone_with_a_password(client, db, coordinator, make_user):
    signed_up = factories.AssessorFactory(user=make_user("assessor"))
    assert "Send a new invitation" not in client.get(f"/assessors/{signed_up.id}").get_data(as_text=True)
    client.post(f"/assessors/{signed_up.id}/invitation")
    assert mail_to(db, signed_up.user.email) == []


def test_a_coordinator_s_resend_never_reaches_an_unconfirmed_contact(client, db, sign_in, mackay):
    held = factories.AgreementFactory(assessor=mackay, status="requested", contact_email="hr@elsewhere.example",
                                      contact_verified_at=None)
    sign_in("coordinator")
    client.post(f"/assessors/{mackay.id}/agreements/{held.id}/resend")
    assert mail_to(db, "hr@elsewhere.example") == []


def test_marking_left_withdraws_their_deployments_still_to_come_and_says_so(client, db, coordinator, mackay):
    ended = factories.DeploymentFactory(assessor=mackay, status="employer_confirmed",
                                        inspection=factories.InspectionFactory(
                                            reference="I0001", starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 8)))
    confirmed = factories.DeploymentFactory(assessor=mackay, status="employer_confirmed",
                                            inspection=factories.InspectionFactory(reference="I0002"))
    proposed = factories.DeploymentFactory(assessor=mackay, inspection=factories.InspectionFactory(
        reference="I0003", starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 14)))
    declined = factories.DeploymentFactory(assessor=mackay, status="employer_declined",
                                           inspection=factories.InspectionFactory(reference="I0004"))
    form = client.get(f"/assessors/{mackay.id}/status")
    assert ("withdrawn from the 2 deployments on I0002 and I0003"
            in form.soup.select_one(".govuk-warning-text").get_text())
    page = client.post(f"/assessors/{mackay.id}/status", data={"status": "left"}, follow_redirects=True)
    assert ("They are withdrawn from the 2 deployments on I0002 and I0003: we have told them, and any employer we "
            "had asked to release them.") in page.get_data(as_text=True)
    db.session.expire_all()
    assert [d.status for d in (ended, confirmed, proposed, declined)] == [
        "employer_confirmed", "cancelled", "cancelled", "employer_declined"]
    told = mail_to(db, mackay.email)[1:]
    assert [m.subject for m in told] == [
        f"You are no longer needed for Joint inspection of services for children in Angus ({ref})"
        for ref in ("I0002", "I0003")]
    assert all("marked you as having left the pool" in m.body and "re-planned" not in m.body for m in told)


def test_marking_left_tells_the_employer_that_confirmed_a_deployment_why_it_is_withdrawn(client, db, coordinator,
                                                                                         mackay):
    factories.AgreementFactory(assessor=mackay, contact_email="hr@angus.test.example")
    factories.DeploymentFactory(assessor=mackay, status="employer_confirmed",
                                inspection=factories.InspectionFactory(reference="I0002"))
    factories.DeploymentFactory(assessor=mackay, inspection=factories.InspectionFactory(      # never asked
        reference="I0003", starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 14)))
    client.post(f"/assessors/{mackay.id}/status", data={"status": "left"})
    [told] = mail_to(db, "hr@angus.test.example")
    assert told.subject == ("Siobhán MacKay is no longer needed for Joint inspection of services for children in "
                            "Angus (I0002)")
    assert "has been marked as having left our pool of associate assessors" in " ".join(told.body.split())


def test_pausing_withdraws_nothing(client, db, coordinator, mackay):
    d = factories.DeploymentFactory(assessor=mackay)
    assert client.get(f"/assessors/{mackay.id}/status").soup.select(".govuk-warning-text")
    client.post(f"/assessors/{mackay.id}/status", data={"status": "paused"})
    db.session.expire_all()
    assert d.status == "proposed"


def test_another_assessors_agreement_or_request_is_not_found_through_this_one(client, db, coordinator, mackay):
    other = factories.AgreementFactory(status="requested")
    change = factories.SpecialismChangeRequestFactory(assessor=other.assessor)
    assert client.post(f"/assessors/{mackay.id}/agreements/{other.id}/resend").status_code == 404
    assert client.post(f"/assessors/{mackay.id}/specialism-requests/{change.id}",
                       data={"decision": "approve"}).status_code == 404
    assert client.post(f"/assessors/{other.assessor.id}/specialism-requests/{change.id}",
                       data={"decision": "approve"}).status_code == 302
