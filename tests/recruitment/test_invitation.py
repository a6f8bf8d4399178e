"""The invitation link: an admitted assessor sets a password once, through a signed link."""
from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest

from scheduler.models import AuditEvent, User
from tests import factories

from .test_admin import _admit

PASSWORD = "heather-bothy-lantern-ferry"


@pytest.fixture()
def invitation(client, db, sign_in, smtp_server):
    application = factories.ApplicationFactory(email="invited@example.org")
    sign_in("admin")
    _admit(client, application)
    client.post("/sign-out")
    [email] = smtp_server.to("invited@example.org")
    [link] = re.findall(r"https?://\S+/set-password/\S+", smtp_server.body(email))
    return link.split("localhost", 1)[-1]


def _user(db):
    return db.session.scalar(db.select(User).filter_by(email="invited@example.org"))


def test_the_invitation_link_sets_a_password_once_and_the_assessor_can_sign_in(client, db, invitation):
    page = client.get(invitation)
    assert page.status_code == 200 and page.soup.find("h1").get_text() == "Create a password"
    done = client.post(invitation, data={"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/sign-in")
    assert _user(db).password_hash
    assert "auth.password_set" in [e.action for e in db.session.scalars(db.select(AuditEvent))]
    signed_in = client.post("/sign-in", data={"email": "invited@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302


def test_the_invitation_link_cannot_be_used_twice(client, db, invitation):
    client.post(invitation, data={"password": PASSWORD, "confirm": PASSWORD})
    first_hash = _user(db).password_hash
    again = client.get(invitation)
    assert again.status_code == 410 and again.soup.find("h1").get_text() == "This link has already been used"
    reuse = client.post(invitation, data={"password": "another-long-password-here",
                                          "confirm": "another-long-password-here"})
    assert reuse.status_code == 410
    assert _user(db).password_hash == first_hash


def test_an_expired_invitation_link_is_refused(client, db, invitation):
    import time

    real = time.time
    with mock.patch("time.time", lambda: real() + timedelta(days=7, minutes=1).total_seconds()):
        page = client.post(invitation, data={"password": PASSWORD, "confirm": PASSWORD})
    assert page.status_code == 410 and page.soup.find("h1").get_text() == "This link has expired"
    assert _user(db).password_hash is None


def test_a_tampered_invitation_link_is_refused(client, db, invitation):
    tampered = invitation[:-3] + ("aaa" if not invitation.endswith("aaa") else "bbb")
    page = client.post(tampered, data={"password": PASSWORD, "confirm": PASSWORD})
    assert page.status_code == 404 and page.soup.find("h1").get_text() == "This link is not valid"
    assert _user(db).password_hash is None


@pytest.mark.parametrize("password, confirm, message", [
    ("short", "short", "Password must be 15 characters or more"),
    ("passwordpassword", "passwordpassword",
     "Password is too common or easy to guess. Try three random words together"),
    (PASSWORD, "something-else-entirely", "Passwords do not match: enter the same password twice"),
    ("", "", "Enter a password"),
])
def test_the_password_policy_applies_and_the_link_stays_usable(client, db, invitation, password, confirm, message):
    page = client.post(invitation, data={"password": password, "confirm": confirm})
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert page.soup.title.get_text().startswith("Error: ")
    assert client.post(invitation, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
