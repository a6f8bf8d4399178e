"""Erasure and rectification on request, by a recruitment admin, with a reason."""
from __future__ import annotations

from datetime import date, timedelta

from scheduler.audit import record
from scheduler.mail import send_mail
from scheduler.models import Application, Assessor, AuditEvent, Deployment, Notification, OutboxMessage, utcnow
from scheduler.privacy.people import SubjectKind, url_key
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    AssessorFactory,
    DeploymentFactory,
    InspectionFactory,
    NotificationFactory,
    SpecialismChangeRequestFactory,
    UnavailabilityFactory,
    UserFactory,
)

from .conftest import places_holding

NAME, EMAIL, PHONE = "Zebedee Quartermaine", "zeb.quartermaine@test.example", "07700 900456"
FORMER_EMAIL = "zeb.q@old-employer.test.example"


def _assessor_with_history(db):
    user = UserFactory(role="assessor", email=EMAIL)
    assessor = AssessorFactory(name=NAME, email=EMAIL, phone=PHONE, user=user)
    AgreementFactory(assessor=assessor)
    UnavailabilityFactory(assessor=assessor, reason=f"{NAME}: hospital appointment")
    SpecialismChangeRequestFactory(assessor=assessor, decision_note="ok")
    deployment = DeploymentFactory(assessor=assessor, status="completed", decline_reason=None)
    application = ApplicationFactory(name=NAME, email=EMAIL, status="admitted", assessor=assessor)
    db.session.flush()
    # where their values travel: the audit log (a CSV import report too), email copies, a team-builder snapshot
    record("assessor.imported", object_type="assessor", object_id=assessor.id,
           after={"reference": assessor.reference, "email": EMAIL})
    record("assessor.contact_changed", object_type="assessor", object_id=assessor.id,
           before={"name": NAME, "email": FORMER_EMAIL}, after={"name": NAME, "email": EMAIL})
    record("deployment.assessor_declined", object_type="deployment", object_id=deployment.id,
           after={"status": "assessor_declined", "decline_reason": "My mother is in hospital"})
    record("application.submitted", object_type="application", object_id=application.id, after={"name": NAME})
    db.session.add(AuditEvent(action="auth.sign_in", object_type="user", object_id=str(user.id), user_id=user.id,
                              ip="203.0.113.77"))
    send_mail(EMAIL, "Welcome", f"Dear {NAME},\nWelcome aboard.")
    send_mail(FORMER_EMAIL, "Welcome", "Your old address")
    send_mail("team@test.example", "Team", f"{NAME.upper()} joins the team ({EMAIL.title()})")
    send_mail("jane.manager@test.example", "Please confirm", f"Please release {NAME} for 8 days.")
    from scheduler.models import SolveRun
    db.session.add(SolveRun(status="finished", instance={"assessors": [{"id": assessor.reference, "name": NAME}]}))
    db.session.commit()
    return assessor


def _erase(client, kind: str, key, reason: str = "Asked by email on 3 May 2028", confirm: str = "y"):
    key = url_key(SubjectKind(kind), str(key))
    return client.post(f"/personal-data/person/erase?kind={kind}&key={key}",
                       data={"reason": reason, "confirm": confirm})


def test_after_erasing_an_assessor_their_name_email_and_phone_are_nowhere_in_the_database(client, db, admin,
                                                                                          smtp_server):
    assessor = _assessor_with_history(db)
    assert "audit_event.after" in places_holding(NAME)  # the oracle sees what is there

    response = _erase(client, "assessor", assessor.id, reason=f"{NAME} asked by email")

    assert response.status_code == 302
    assert places_holding(NAME, EMAIL, PHONE, FORMER_EMAIL, "mother is in hospital", "203.0.113.77") == []
    declined = db.session.scalar(db.select(AuditEvent).filter_by(action="deployment.assessor_declined"))
    assert declined.after == {"status": "assessor_declined", "decline_reason": "erased"}  # what happened stays
    # they were told, before their address went
    assert [m["Subject"] for m in smtp_server.to(EMAIL)] == ["Welcome", "We have erased your personal information"]
    # anonymous history stays: the deployment, the reference, the application's place in the counts
    erased = db.session.get(Assessor, assessor.id)
    assert erased.reference == assessor.reference and erased.erased_at is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(Deployment)
                             .filter_by(assessor_id=assessor.id)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 1
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="person.erased"))
    assert event.after["reason"] == "erased asked by email" and event.after["deployment"] == 1


def test_erasing_an_assessor_with_a_confirmed_deployment_still_to_happen_is_refused_with_the_reason(client, db,
                                                                                                   admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)
    today = utcnow().date()
    future = InspectionFactory(reference="I0999", starts_on=today + timedelta(days=30),
                               ends_on=today + timedelta(days=41))
    DeploymentFactory(assessor=assessor, inspection=future, status="employer_confirmed")

    page = client.get(f"/personal-data/person/erase?kind=assessor&key={assessor.id}")
    response = _erase(client, "assessor", assessor.id)

    for shown in (page, response):
        text = shown.soup.find("main").text
        assert "cannot be erased yet" in text and "inspection I0999" in text and "employer confirmed" in text
    assert db.session.get(Assessor, assessor.id).name == NAME


def test_a_deployment_that_ended_yesterday_does_not_stop_an_erasure(client, db, admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)
    yesterday = utcnow().date() - timedelta(days=1)
    DeploymentFactory(assessor=assessor, status="employer_confirmed",
                      inspection=InspectionFactory(starts_on=yesterday - timedelta(days=11), ends_on=yesterday))

    assert _erase(client, "assessor", assessor.id).status_code == 302
    assert places_holding(NAME, EMAIL) == []


def test_an_erasure_needs_a_reason_and_a_confirmation(client, db, admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)

    response = _erase(client, "assessor", assessor.id, reason="", confirm="")

    errors = response.soup.select(".govuk-error-summary__list a")
    assert [e.text for e in errors] == ["Enter the reason, including how the person asked",
                                        "Confirm that you understand this cannot be undone"]
    assert db.session.get(Assessor, assessor.id).name == NAME


def test_a_partner_contact_cannot_be_erased_while_a_notification_they_sent_is_open(client, db, admin):
    open_one = NotificationFactory(notifier_name="Pat Partner", notifier_contact="pat@fife.test.example")
    NotificationFactory(notifier_name="Pat Partner", notifier_contact="pat@fife.test.example", status="closed",
                        closed_on=date(2028, 1, 10))

    response = _erase(client, "partner_contact", "pat@fife.test.example")
    assert f"Notification {open_one.reference} they sent is still open" in response.soup.find("main").text

    open_one.status, open_one.closed_on = "closed", date(2028, 1, 10)
    assert _erase(client, "partner_contact", "pat@fife.test.example").status_code == 302
    assert places_holding("Pat Partner", "pat@fife.test.example") == []
    # the notifications stay (the inspection team's record); only the notifier's details went
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 2


def test_an_employer_contact_is_erased_from_agreements_and_applications(client, db, admin):
    AgreementFactory(contact_name="Erin Employer", contact_email="erin@test.example")
    ApplicationFactory(employer_contact_name="Erin Employer", employer_contact_email="erin@test.example")

    assert _erase(client, "employer_contact", "erin@test.example").status_code == 302
    assert places_holding("Erin Employer", "erin@test.example") == []


def test_an_applicant_is_erased_but_still_counted_in_their_campaign(client, db, admin):
    application = ApplicationFactory(name=NAME, email=EMAIL, phone=PHONE)

    assert _erase(client, "applicant", application.id).status_code == 302
    assert places_holding(NAME, EMAIL, PHONE) == []
    assert db.session.get(Application, application.id).status == "submitted"


def test_an_admin_corrects_an_assessors_details_with_a_reason(client, db, admin):
    user = UserFactory(role="assessor", email=EMAIL)
    assessor = AssessorFactory(name="Zebedee Quartermain", email=EMAIL, user=user)

    response = client.post(f"/personal-data/person/correct?kind=assessor&key={assessor.id}", data={
        "name": NAME, "email": "Zeb.New@test.example", "phone": PHONE, "reason": "Spelling, asked by phone"})

    assert response.status_code == 302
    corrected = db.session.get(Assessor, assessor.id)
    assert (corrected.name, corrected.email, corrected.phone, corrected.user.email) == (
        NAME, "zeb.new@test.example", PHONE, "zeb.new@test.example")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="person.rectified"))
    assert event.before == {"name": "Zebedee Quartermain", "email": EMAIL, "phone": "01382 000000"}
    assert event.after["reason"] == "Spelling, asked by phone"


def test_a_correction_keeps_what_was_typed_and_names_the_field_in_error(client, db, admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)

    response = client.post(f"/personal-data/person/correct?kind=assessor&key={assessor.id}", data={
        "name": "Zebedee Q", "email": "not-an-address", "phone": "", "reason": "Asked"})

    assert response.status_code == 200
    assert [a.text for a in response.soup.select(".govuk-error-summary__list a")] == [
        "Enter an email address in the correct format, like name@example.org"]
    assert response.soup.find("input", {"name": "name"})["value"] == "Zebedee Q"
    assert db.session.get(Assessor, assessor.id).name == NAME


def test_an_outbox_copy_to_the_erased_person_keeps_only_that_an_email_was_sent(client, db, admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)
    send_mail(EMAIL, "Your deployment", f"Dear {NAME}, you are on the team.")
    db.session.commit()

    _erase(client, "assessor", assessor.id)

    subjects = sorted(m.subject for m in db.session.scalars(db.select(OutboxMessage)))
    assert subjects == ["We have erased your personal information", "Your deployment"]
    assert {m.recipient for m in db.session.scalars(db.select(OutboxMessage))} == {"erased"}


def test_someone_else_with_the_same_name_keeps_it(client, db, admin):
    erased = AssessorFactory(name=NAME, email=EMAIL)
    namesake = AssessorFactory(name=NAME, email="the.other.zeb@test.example")
    namesake_application = ApplicationFactory(name=NAME, email="the.other.zeb@test.example")

    _erase(client, "assessor", erased.id)

    assert db.session.get(Assessor, namesake.id).name == NAME
    assert db.session.get(Application, namesake_application.id).name == NAME
    assert db.session.get(Assessor, erased.id).name != NAME


def test_an_employer_contacts_new_address_is_corrected_on_every_agreement_and_application(client, db, admin):
    first = AgreementFactory(contact_name="Erin Employer", contact_email="erin@old.test.example")
    second = AgreementFactory(contact_name="Erin Employer", contact_email="erin@old.test.example")
    application = ApplicationFactory(employer_contact_name="Erin Employer",
                                     employer_contact_email="erin@old.test.example")

    old_key = url_key(SubjectKind.EMPLOYER_CONTACT, "erin@old.test.example")
    response = client.post(f"/personal-data/person/correct?kind=employer_contact&key={old_key}", data={
        "name": "Erin Employer-Smith", "email": "erin@new.test.example", "reason": "Married; asked by email"})

    assert response.headers["Location"].endswith(
        f"key={url_key(SubjectKind.EMPLOYER_CONTACT, 'erin@new.test.example')}")
    assert {(a.contact_name, a.contact_email) for a in (first, second)} == {("Erin Employer-Smith",
                                                                              "erin@new.test.example")}
    assert (application.employer_contact_name, application.employer_contact_email) == (
        "Erin Employer-Smith", "erin@new.test.example")


def test_an_employer_contact_cannot_be_erased_while_an_agreement_waits_for_their_answer(client, db, admin):
    waiting = AgreementFactory(contact_name="Erin Employer", contact_email="erin@test.example", status="requested")

    response = _erase(client, "employer_contact", "erin@test.example")

    assert (f"An employer agreement for assessor {waiting.assessor.reference} is waiting for their answer"
            in response.soup.find("main").text)
    assert waiting.contact_email == "erin@test.example"


def test_erasing_someone_another_admin_erased_since_the_page_was_shown_says_so_and_changes_nothing(
        client, db, admin):
    assessor = AssessorFactory(name=NAME, email=EMAIL)
    db.session.commit()
    _erase(client, "assessor", assessor.id)
    events = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))

    page = _erase(client, "assessor", assessor.id)

    assert page.status_code == 200
    assert "Their personal details have already been erased" in page.soup.main.get_text()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == events
