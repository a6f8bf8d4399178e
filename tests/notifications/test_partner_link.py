"""A partnership notifies through a signed link, without an account. The link is reusable until it
expires or is withdrawn; an expired, withdrawn or tampered link shows a clear page and changes nothing."""
from __future__ import annotations

import re
from datetime import date, timedelta

from scheduler.links import make_token
from scheduler.models import AuditEvent, Notification, OutboxMessage, PartnerLink, utcnow
from tests import factories
from tests.notifications.conftest import gov_date

DEATH = {
    "subject_name": "Robin Example", "subject_dob": gov_date(date(2010, 3, 3)),
    "legal_basis": "continuing_care", "placement": "residential", "event_date": gov_date(date(2028, 1, 9)),
    "event_time": "", "cause": "", "learning_review": "undecided",
    "notifier_name": "Jo Partner", "notifier_contact": "jo.partner@fife.test.example",
}


def _count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _token(link) -> str:
    return make_token("notification-form", link.id)


def test_an_inspector_creates_a_link_which_is_emailed_and_shown_once(client, db, inspector):
    page = client.get("/notifications/partner-links")
    assert page.status_code == 200
    response = client.post("/notifications/partner-links", data={
        "partnership": "fife", "contact_email": "CPC.Lead@fife.test.example", "valid_days": "14"})
    assert response.status_code == 200
    link = db.session.scalar(db.select(PartnerLink))
    assert ((link.area_id, link.contact_email, link.created_by_id)
            == ("fife", "cpc.lead@fife.test.example", inspector.id))
    assert timedelta(days=13, hours=23) < link.expires_at - link.created_at <= timedelta(days=14)
    url = response.soup.find("a", id="partner-link")["href"]
    [mail] = db.session.scalars(db.select(OutboxMessage)).all()
    assert mail.recipient == "cpc.lead@fife.test.example" and url in mail.body
    assert "token" not in str(db.session.scalars(db.select(AuditEvent)).all()[-1].after)
    listing = client.get("/notifications/partner-links")
    assert "Active" in listing.soup.find("tbody").text and url not in listing.get_data(as_text=True)


def test_link_form_errors_are_specific(client, db, inspector):
    page = client.post("/notifications/partner-links", data={"partnership": "", "contact_email": "not an email"})
    text = page.get_data(as_text=True)
    assert "Select the partnership" in text and "Enter an email address in the correct format" in text
    assert "Select how long the link works" in text
    assert _count(db, PartnerLink) == 0


def test_a_partner_notifies_through_the_link_and_can_use_it_again(client, db):
    inspector = factories.UserFactory(role="inspector")
    link = factories.PartnerLinkFactory(created_by=inspector)
    token = _token(link)
    start = client.get(f"/notifications/partner/{token}")
    assert start.status_code == 200 and "Fife" in start.soup.get_text()
    response = client.post(f"/notifications/partner/{token}", data={"kind": "looked_after_death"})
    assert response.headers["Location"].endswith(f"/notifications/partner/{token}/looked_after_death")
    form = client.get(f"/notifications/partner/{token}/looked_after_death")
    assert form.soup.find("select", attrs={"name": "partnership"}) is None  # the link decides the partnership
    assert form.soup.find("input", attrs={"name": "notified_time"}) is None  # notified means now
    for _ in range(2):
        response = client.post(f"/notifications/partner/{token}/looked_after_death", data=DEATH)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    notifications = db.session.scalars(db.select(Notification).order_by(Notification.id)).all()
    assert [(n.area_id, n.source, n.partner_link_id, n.created_by_id) for n in notifications] == [
        ("fife", "partner_link", link.id, None)] * 2
    assert notifications[0].notified_at.date() == date(2028, 1, 10)
    confirmation = client.get(response.headers["Location"])
    assert f"Your reference is {notifications[1].reference}" in confirmation.get_data(as_text=True)
    events = db.session.scalars(db.select(AuditEvent).filter_by(action="notification.partner_submitted")).all()
    assert len(events) == 2 and events[0].user_id is None
    mails = db.session.scalars(db.select(OutboxMessage).filter_by(recipient=inspector.email)).all()
    assert len(mails) == 2 and "Robin Example" not in mails[0].body
    # the kind is special-category information too: only the register, behind its access rule, says it
    assert not re.search(r"death|looked.after", mails[0].subject + mails[0].body, re.IGNORECASE)


def test_partner_form_errors_keep_what_was_typed(client, db):
    token = _token(factories.PartnerLinkFactory())
    page = client.post(f"/notifications/partner/{token}/looked_after_death",
                       data={**DEATH, "subject_name": "", "notifier_name": "Kept"})
    assert "Enter the full name of the child or young person" in page.get_data(as_text=True)
    assert page.soup.find("input", attrs={"name": "notifier_name"})["value"] == "Kept"
    assert _count(db, Notification) == 0


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(client, db):
    link = factories.PartnerLinkFactory(created_at=utcnow() - timedelta(days=31),
                                        expires_at=utcnow() - timedelta(days=1))
    token = _token(link)
    for response in [client.get(f"/notifications/partner/{token}"),
                     client.post(f"/notifications/partner/{token}/looked_after_death", data=DEATH)]:
        assert response.status_code == 410
        assert response.soup.h1.text == "This link has expired"
        assert "Nothing has been sent" in response.get_data(as_text=True)
    assert _count(db, Notification) == 0


def test_a_withdrawn_link_stops_working(client, db, inspector):
    link = factories.PartnerLinkFactory()
    token = _token(link)
    assert client.get(f"/notifications/partner/{token}").status_code == 200
    response = client.post(f"/notifications/partner-links/{link.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(link)
    assert link.revoked_at is not None
    response = client.post(f"/notifications/partner/{token}/looked_after_death", data=DEATH)
    assert response.status_code == 410 and _count(db, Notification) == 0
    assert db.session.scalars(db.select(AuditEvent).filter_by(action="notification.partner_link_withdrawn")).one()


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(client, db):
    token = _token(factories.PartnerLinkFactory())
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in [tampered, "sample", make_token("employer-agreement", 1)]:
        response = client.post(f"/notifications/partner/{bad}/looked_after_death", data=DEATH)
        assert response.status_code == 404
        assert response.soup.h1.text == "This link is not valid"
    assert _count(db, Notification) == 0


def test_a_link_to_a_deleted_row_is_not_valid(client, db):
    token = make_token("notification-form", 987654)
    assert client.get(f"/notifications/partner/{token}").status_code == 404


def test_a_signature_older_than_any_link_can_live_is_expired(client, db, monkeypatch):
    link = factories.PartnerLinkFactory(expires_at=utcnow() + timedelta(days=365))
    token = _token(link)
    import time
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 91 * 86400)
    response = client.get(f"/notifications/partner/{token}")
    assert response.status_code == 410


def test_the_partner_pages_show_no_register_data_or_navigation(client, db):
    factories.NotificationFactory(subject_name="Someone Else")
    token = _token(factories.PartnerLinkFactory())
    page = client.get(f"/notifications/partner/{token}/looked_after_death")
    assert "Someone Else" not in page.get_data(as_text=True)
    assert not re.search(r'href="/notifications"', page.get_data(as_text=True))
