"""Employers answer a request to release an assessor through a signed, single-use link."""
from __future__ import annotations

import re
import time
from datetime import date, timedelta
from unittest import mock

import pytest

from scheduler.employer.agreements import request_agreement
from scheduler.models import AuditEvent, EmployerAgreement
from tests import factories

ASKED = {"days_per_deployment": 8, "total_days": 24, "valid_from": date(2027, 4, 1), "valid_to": date(2028, 3, 31)}


@pytest.fixture()
def asked(app, db, smtp_server):
    """An assessor, two coordinators (one inactive), and a request sent to their employer."""
    assessor = factories.AssessorFactory(name="Morag Lyle", email="morag@example.org", job_title="Head of Service")
    factories.UserFactory(role="coordinator", email="coord@example.org")
    factories.UserFactory(role="coordinator", email="gone@example.org", active=False)
    with app.test_request_context():
        agreement = request_agreement(assessor, contact_name="Jane Manager", contact_email="jane@fife.gov.uk",
                                      **ASKED)
    db.session.commit()
    [email] = smtp_server.to("jane@fife.gov.uk")
    [link] = re.findall(r"https?://\S+/employer/\S+", smtp_server.body(email))
    return agreement.id, link.split("localhost", 1)[-1], smtp_server


def _agreement(db, agreement_id) -> EmployerAgreement:
    db.session.expire_all()
    return db.session.get(EmployerAgreement, agreement_id)


def _answer(client, url, decision="agree", **changes):
    data = {"decision": decision, "days_per_deployment": "8", "total_days": "24",
            "valid_from": ["1", "4", "2027"], "valid_to": ["31", "3", "2028"], "decline_reason": "", **changes}
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def test_the_request_email_and_page_show_what_is_asked(client, asked):
    _, url, inbox = asked
    body = inbox.body(inbox.to("jane@fife.gov.uk")[0])
    assert "8 days per deployment" in body and "24 days in total" in body and "31 March 2028" in body
    page = client.get(url)
    text = page.soup.get_text(" ")
    assert page.status_code == 200
    for shown in ("Morag Lyle", "Head of Service", "8 days", "24 days", "1 April 2027 to 31 March 2028"):
        assert shown in text
    hints = [h.get_text(strip=True) for h in page.soup.select(".govuk-hint")]
    assert "On or after 1 April 2027" in hints and "On or before 31 March 2028" in hints


def test_employer_agrees_with_fewer_days_and_a_shorter_period(client, db, asked):
    agreement_id, url, inbox = asked
    response = _answer(client, url, days_per_deployment="5", total_days="10", valid_to=["31", "12", "2027"])
    assert response.status_code == 302
    agreement = _agreement(db, agreement_id)
    assert agreement.status == "agreed" and agreement.responded_at is not None
    assert (agreement.days_per_deployment, agreement.total_days, agreement.valid_to) == (5, 10, date(2027, 12, 31))
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="agreement.agreed"))
    assert event.user_id is None and event.ip == "127.0.0.1"
    assert event.before["days_per_deployment"] == 8 and event.after["days_per_deployment"] == 5
    assert inbox.to("morag@example.org") and inbox.to("coord@example.org") and not inbox.to("gone@example.org")
    assert "5 days per deployment" in inbox.body(inbox.to("coord@example.org")[0])
    answered = client.get(response.headers["Location"])
    # the confirmation says what happens next and how to reach someone: a real address, not "contact us"
    text = " ".join(answered.soup.main.get_text(" ").split())
    assert "What happens next" in text and "we will email you a link to confirm that deployment" in text
    contact = answered.soup.select_one("main a[href^='mailto:']")
    assert contact["href"] == "mailto:associate.assessors@test.example" and "phone 0131 496 0000" in text


def test_employer_declines_with_a_reason(client, db, asked):
    agreement_id, url, inbox = asked
    page = _answer(client, url, decision="decline")
    assert "Enter why you cannot release them" in page.get_data(as_text=True)
    assert _agreement(db, agreement_id).status == "requested"
    assert _answer(client, url, decision="decline",
                   decline_reason="Winter pressures in the service.").status_code == 302
    agreement = _agreement(db, agreement_id)
    assert agreement.status == "declined" and agreement.decline_reason == "Winter pressures in the service."
    assert "Winter pressures in the service." in inbox.body(inbox.to("morag@example.org")[0])
    assert "agreement.declined" in [e.action for e in db.session.scalars(db.select(AuditEvent))]


@pytest.mark.parametrize("changes, message", [
    ({"days_per_deployment": "9"},
     "Days per deployment must be 8 or fewer: you cannot agree to more than you were asked for"),
    ({"total_days": "25"}, "Total days must be 24 or fewer: you cannot agree to more than you were asked for"),
    ({"valid_from": ["1", "3", "2027"]}, "Start of the period must be on or after 1 April 2027"),
    ({"valid_to": ["1", "4", "2028"]}, "End of the period must be on or before 31 March 2028"),
    ({"days_per_deployment": "3"}, "Days per deployment must be at least 4"),
    ({"days_per_deployment": "8", "total_days": "6"}, "Total days must be at least the days per deployment"),
    ({"days_per_deployment": "lots"}, "Days per deployment must be a whole number, like 8"),
    ({"valid_from": ["31", "13", "2027"]}, "Start of the period must be a real date"),
    ({"valid_to": ["", "3", "2028"]}, "End of the period must include a day"),
    ({"valid_to": None}, "Enter the end of the period"),
])
def test_employer_cannot_agree_to_more_than_asked(client, db, asked, changes, message):
    agreement_id, url, inbox = asked
    page = _answer(client, url, **changes)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert page.soup.title.get_text().startswith("Error: ")
    agreement = _agreement(db, agreement_id)
    assert agreement.status == "requested" and agreement.days_per_deployment == 8 and agreement.total_days == 24
    assert not inbox.to("morag@example.org")


def test_an_answer_must_be_chosen(client, db, asked):
    _, url, _ = asked
    page = client.post(url, data={})
    assert "Select yes if you agree to release them" in page.get_data(as_text=True)


def test_a_used_link_is_refused_and_changes_nothing(client, db, asked):
    agreement_id, url, _ = asked
    _answer(client, url, days_per_deployment="6")
    page = client.get(url)
    assert page.status_code == 410 and page.soup.find("h1").get_text() == "This link has already been used"
    again = _answer(client, url, decision="decline", decline_reason="Changed my mind")
    assert again.status_code == 410
    agreement = _agreement(db, agreement_id)
    assert agreement.status == "agreed" and agreement.days_per_deployment == 6


def test_an_expired_link_is_refused_and_changes_nothing(client, db, asked):
    agreement_id, url, _ = asked
    real = time.time
    with mock.patch("time.time", lambda: real() + timedelta(days=21, minutes=1).total_seconds()):
        page = _answer(client, url)
    assert page.status_code == 410 and page.soup.find("h1").get_text() == "This link has expired"
    assert _agreement(db, agreement_id).status == "requested"


def test_a_tampered_link_is_refused_and_changes_nothing(client, db, asked):
    agreement_id, url, _ = asked
    for bad in (url[:-4] + "abcd", url.replace("/employer/", "/employer/x"), "/employer/not-a-token"):
        page = _answer(client, bad)
        assert page.status_code == 404 and page.soup.find("h1").get_text() == "This link is not valid"
    assert _agreement(db, agreement_id).status == "requested"


def test_an_invitation_link_does_not_open_an_employer_request(client, db, asked):
    from scheduler.links import make_token

    agreement_id, _, _ = asked
    page = client.get(f"/employer/{make_token('invitation', agreement_id)}")
    assert page.status_code == 404


def test_following_the_emailed_link_end_to_end(client, db, asked):
    """The link in the received email body opens the page and the answer is recorded."""
    agreement_id, url, _ = asked
    page = client.get(url)
    form = page.soup.find("form", attrs={"method": "post"})
    assert form["action"] == url
    assert _answer(client, form["action"]).status_code == 302
    assert _agreement(db, agreement_id).status == "agreed"


def test_declining_ignores_the_release_details(client, db, asked):
    agreement_id, url, _ = asked
    response = _answer(client, url, decision="decline", decline_reason="No cover.", days_per_deployment="99",
                       valid_to=["", "", ""])
    assert response.status_code == 302
    assert _agreement(db, agreement_id).status == "declined"
