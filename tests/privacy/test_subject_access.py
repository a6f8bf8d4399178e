"""Subject access: an admin finds a person and downloads everything held about them."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from scheduler.audit import record
from scheduler.mail import send_mail
from scheduler.models import Assessor, AuditEvent, Inspection
from scheduler.privacy.people import SubjectKind, url_key
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    AssessorFactory,
    DeploymentFactory,
    NotificationFactory,
    UnavailabilityFactory,
    UserFactory,
)


def _archive(client, kind: str, key) -> tuple[dict, str]:
    response = client.get(f"/personal-data/person/archive.zip?kind={kind}&key={url_key(SubjectKind(kind), str(key))}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "summary.html"]
        return json.loads(archive.read("data.json")), archive.read("summary.html").decode()


def _rows(data: dict, table: str) -> list[dict]:
    return next(s["rows"] for s in data["sections"] if s["table"] == table)


def test_an_admin_finds_people_of_every_kind_by_name_or_email(client, db, admin):
    AssessorFactory(name="Morven Smith", email="morven@test.example")
    ApplicationFactory(name="Morven Applicant", employer_contact_name="Morven Boss",
                       employer_contact_email="morven.boss@test.example")
    NotificationFactory(notifier_name="Morven Partner", notifier_contact="morven.p@fife.test.example")

    page = client.get("/personal-data?q=morven")

    names = [li.find("a").text for li in page.soup.select("#matches li")]
    assert names == ["Morven Smith", "Morven Applicant", "Morven Boss", "Morven Partner"]
    assert page.soup.find("h2").text == "4 people found"


def test_a_search_needs_two_characters(client, db, admin):
    page = client.get("/personal-data?q=m")
    assert [a.text for a in page.soup.select(".govuk-error-summary__list a")] == ["Enter between 2 and 254 characters"]


def test_an_assessors_archive_holds_profile_agreements_unavailability_deployments_emails_and_audit(client, db, admin):
    user = UserFactory(role="assessor", email="fiona@test.example")
    assessor = AssessorFactory(name="Fiona Byers", email="fiona@test.example", user=user, calendar_token="secret-cal")
    agreement = AgreementFactory(assessor=assessor)
    UnavailabilityFactory(assessor=assessor, reason="Annual leave")
    deployment = DeploymentFactory(assessor=assessor, status="completed")
    other = AssessorFactory(name="Someone Else")
    DeploymentFactory(assessor=other)
    db.session.flush()
    record("deployment.accepted", object_type="deployment", object_id=deployment.id)
    record("agreement.agreed", object_type="employer_agreement", object_id=agreement.id)
    record("assessor.contact_changed", object_type="assessor", object_id=other.id, after={"name": "Someone Else"})
    send_mail("fiona@test.example", "Your deployment", "Dear Fiona Byers")
    send_mail("other@test.example", "Hello", "Dear Someone Else")
    db.session.commit()

    data, summary = _archive(client, "assessor", assessor.id)

    assert _rows(data, "assessor")[0]["name"] == "Fiona Byers"
    assert _rows(data, "assessor")[0]["calendar_token"] == "withheld: a security secret"
    assert _rows(data, "user_account")[0]["password_hash"] == "withheld: a security secret"
    assert [r["id"] for r in _rows(data, "employer_agreement")] == [agreement.id]
    assert [r["reason"] for r in _rows(data, "unavailability")] == ["Annual leave"]
    assert [r["id"] for r in _rows(data, "deployment")] == [deployment.id]
    assert [r["subject"] for r in _rows(data, "outbox_message")] == ["Your deployment"]
    assert sorted(r["action"] for r in _rows(data, "audit_event")) == ["agreement.agreed", "deployment.accepted"]
    assert "Fiona Byers" in summary and "Someone Else" not in summary
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="person.subject_access_exported"))


def test_a_demo_assessors_archive_holds_each_kind_of_record(app, client, db, admin, monkeypatch):
    from werkzeug.security import generate_password_hash

    from scheduler import demo
    from scheduler.auth.routes import send_invitation

    monkeypatch.setattr(demo, "hash_password", lambda p: generate_password_hash(p, method="pbkdf2:sha256:1000"))
    demo.load_demo_data(echo=lambda *a: None)
    demo_assessor = db.session.scalar(db.select(Assessor).join(Assessor.user).filter(
        Assessor.user.has(email="assessor@demo.example")))
    with app.test_request_context():
        send_invitation(demo_assessor.user, name=demo_assessor.name)  # an email to them, and its audit event
    # the demo has no deployments until a coordinator publishes teams: one, as publishing makes it
    inspection = db.session.scalar(db.select(Inspection).order_by(Inspection.starts_on))
    DeploymentFactory(assessor=demo_assessor, inspection=inspection,
                      days=[d.day.isoformat() for d in inspection.days[:4]], day_count=4)
    db.session.commit()

    data, summary = _archive(client, "assessor", demo_assessor.id)

    held = {s["table"] for s in data["sections"] if s["rows"]}
    assert {"assessor", "user_account", "employer_agreement", "unavailability", "deployment", "outbox_message",
            "audit_event"} <= held, held
    assert demo_assessor.name in summary


def test_a_partner_contacts_archive_leaves_out_the_people_the_notification_is_about(client, db, admin):
    NotificationFactory(notifier_name="Pat Partner", notifier_contact="pat@fife.test.example",
                        subject_name="Jamie Child")

    data, summary = _archive(client, "partner_contact", "pat@fife.test.example")

    assert _rows(data, "notification")[0]["notifier_name"] == "Pat Partner"
    assert "Jamie Child" not in json.dumps(data) and "Jamie Child" not in summary


@pytest.mark.parametrize("role", ["coordinator", "inspector", "assessor"])
def test_only_recruitment_admins_may_download_an_archive(client, db, sign_in, role):
    assessor = AssessorFactory()
    sign_in(role)
    assert client.get(f"/personal-data/person/archive.zip?kind=assessor&key={assessor.id}").status_code == 403


def test_an_unknown_person_is_not_found(client, db, admin):
    assert client.get("/personal-data/person?kind=assessor&key=999").status_code == 404
    nobody = url_key(SubjectKind.EMPLOYER_CONTACT, "nobody@test.example")
    assert client.get(f"/personal-data/person?kind=employer_contact&key={nobody}").status_code == 404
    # a contact's address is never taken from a URL as plain text
    AgreementFactory(contact_email="erin@test.example")
    assert client.get("/personal-data/person?kind=employer_contact&key=erin@test.example").status_code == 404
    link = client.get("/personal-data?q=erin").soup.select_one("#matches a")["href"]
    assert "erin" not in link and client.get(link).status_code == 200
    assert client.get("/personal-data/person?kind=wizard&key=1").status_code == 404
