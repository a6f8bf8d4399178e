"""Passwords after the first: changed by a signed-in person (current password first, other sessions
ended), reset from a forgotten-password link (single use, one hour, no hint of who has an account),
and the current password asked again before two-step sign-in or a contact email changes."""
from __future__ import annotations

import re
import time
from datetime import timedelta
from unittest import mock

import pytest

from scheduler.auth import mfa
from scheduler.auth.passwords import verify_password
from scheduler.models import AuditEvent, LoginSession, OutboxMessage
from tests import factories

NEW_PASSWORD = "velvet harbour lantern ninety"


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


def _mail(db, to: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).filter_by(recipient=to).order_by(OutboxMessage.id)))


def _sessions(db, user) -> set[str]:
    return set(db.session.scalars(db.select(LoginSession.id).filter_by(user_id=user.id)))


def _errors(page) -> dict[str, str]:
    return {e["id"].removesuffix("-error"): e.get_text(" ", strip=True).removeprefix("Error: ")
            for e in page.soup.select(".govuk-error-message")}


def _change(client, current=factories.PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account/password", data={"current_password": current, "password": new,
                                                  "confirm": new if confirm is None else confirm})


# ---- Changing a password while signed in ----

@pytest.mark.parametrize("role", ["assessor", "coordinator", "inspector", "admin"])
def test_every_signed_in_account_may_change_its_password(client, db, sign_in, role):
    user = sign_in(role)
    page = client.get("/account/password")
    assert page.status_code == 200
    assert [i["autocomplete"] for i in page.soup.select("input[type=password]")] == [
        "current-password", "new-password", "new-password"]
    assert _change(client).status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_changing_a_password_ends_every_other_session_keeps_this_one_with_a_new_id(client, db, sign_in):
    user = sign_in("coordinator")
    [this_one] = _sessions(db, user)
    db.session.add_all([LoginSession(id="laptop", user_id=user.id), LoginSession(id="phone", user_id=user.id)])
    someone_else = factories.UserFactory(role="coordinator")
    db.session.add(LoginSession(id="colleague", user_id=someone_else.id))
    response = _change(client)
    [now] = _sessions(db, user)
    assert now != this_one and now not in {"laptop", "phone"}
    assert _sessions(db, someone_else) == {"colleague"}
    page = client.get(response.location)
    assert page.status_code == 200  # still signed in here
    assert "2 other browsers signed in to your account were signed out" in page.get_data(as_text=True)


def test_a_changed_password_is_audited_and_emailed_without_the_password(client, db, sign_in):
    user = sign_in("assessor")
    db.session.add(LoginSession(id="laptop", user_id=user.id))
    _change(client)
    [event] = _events(db, "auth.password_changed")
    assert event.object_id == str(user.id) and event.after == {"other_sessions_ended": 1}
    assert NEW_PASSWORD not in str(event.after)
    [email] = _mail(db, user.email)
    assert email.subject == "Your password was changed"
    assert NEW_PASSWORD not in email.body and factories.PASSWORD not in email.body
    assert "every other browser signed in to your account was signed out" in email.body


def test_a_wrong_current_password_changes_nothing_and_is_audited(client, db, sign_in):
    user = sign_in("assessor")
    page = _change(client, current="not my password at all")
    assert page.status_code == 200
    assert _errors(page) == {"current_password": "Your current password is not correct"}
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)
    [event] = _events(db, "auth.current_password_failed")
    assert event.object_id == str(user.id) and event.after == {"page": "/account/password"}
    assert _mail(db, user.email) == []


@pytest.mark.parametrize(("data", "errors"), [
    ({"current_password": "", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     {"current_password": "Enter your current password"}),
    ({"current_password": factories.PASSWORD, "password": "", "confirm": ""},
     {"password": "Enter a password", "confirm": "Enter the password again to confirm it"}),
    ({"current_password": factories.PASSWORD, "password": "short words", "confirm": "short words"},
     {"password": "Password must be 15 characters or more"}),
    ({"current_password": factories.PASSWORD, "password": "passwordpassword1", "confirm": "passwordpassword1"},
     {"password": "Password is too common or easy to guess. Try three random words together"}),
    ({"current_password": factories.PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "s"},
     {"confirm": "Passwords do not match: enter the same password twice"}),
])
def test_a_new_password_follows_the_password_rules_with_a_specific_error(client, db, sign_in, data, errors):
    user = sign_in("assessor")
    page = client.post("/account/password", data=data)
    assert page.status_code == 200 and _errors(page) == errors
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_a_new_password_must_not_contain_the_email_address(client, db, sign_in):
    user = sign_in(factories.UserFactory(role="assessor", email="rosalind.franklin@test.example"))
    page = _change(client, new="rosalind.franklin likes x-rays")
    assert _errors(page) == {"password": "Password must not contain your email address"}
    assert user.id


def test_guessing_the_current_password_is_throttled_like_sign_in(app, client, db, sign_in):
    sign_in("assessor")
    limit = int(app.config["LOGIN_RATE_LIMIT"].split(" per ")[0])
    statuses = [_change(client, current=f"guess number {n}").status_code for n in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429


def test_signed_out_people_cannot_change_a_password(client, db):
    assert client.get("/account/password").status_code == 302


def test_the_profile_and_two_step_page_link_to_change_your_password(client, db, sign_in):
    sign_in(factories.AssessorFactory(user=factories.UserFactory(role="assessor")).user)
    assert client.get("/my/profile").soup.find("a", href="/account/password")
    client.post("/sign-out")
    sign_in("coordinator")
    assert client.get("/account/two-step-sign-in").soup.find("a", href="/account/password",
                                                             string="Change your password")


# ---- Forgotten passwords ----

def _ask(client, email: str):
    return client.post("/forgotten-password", data={"email": email}, follow_redirects=True)


def test_asking_for_a_link_answers_with_a_page_a_refresh_does_not_send_again(client, db, make_user):
    make_user("assessor", email="known@test.example")
    response = client.post("/forgotten-password", data={"email": "known@test.example"})
    assert response.status_code == 303 and response.headers["Location"] == "/forgotten-password/sent"
    for _ in range(2):      # the page and a refresh of it
        page = client.get("/forgotten-password/sent")
        assert "If an account uses known@test.example, we have emailed a link" in page.get_data(as_text=True)
    assert len(_mail(db, "known@test.example")) == 1


def _link(db, email: str) -> str:
    [message] = [m for m in _mail(db, email) if m.subject.startswith("Reset your password")]
    [link] = re.findall(r"https?://\S+/reset-password/\S+", message.body)
    return link.removeprefix("http://localhost")


def _reset(client, link: str, password=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"password": password, "confirm": password if confirm is None else confirm})


def test_the_sign_in_page_links_to_forgotten_your_password(client, db):
    assert client.get("/sign-in").soup.find("a", href="/forgotten-password", string="Forgotten your password?")


def test_the_answer_is_the_same_whether_or_not_an_account_uses_the_address(client, db, make_user):
    make_user("assessor", email="known@test.example")
    known, unknown = _ask(client, "known@test.example"), _ask(client, "unknown@test.example")
    assert known.status_code == unknown.status_code == 200
    text = [r.soup.find("main").get_text(" ", strip=True).replace(a, "ADDRESS")
            for r, a in ((known, "known@test.example"), (unknown, "unknown@test.example"))]
    assert text[0] == text[1]
    assert "If an account uses ADDRESS, we have emailed a link to it" in text[0]
    assert len(_mail(db, "known@test.example")) == 1 and _mail(db, "unknown@test.example") == []
    assert [e.after["sent"] for e in _events(db, "auth.password_reset_requested")] == [True, False]


def test_a_disabled_account_gets_no_link_and_the_same_answer(client, db, make_user):
    make_user("assessor", email="left@test.example", active=False)
    page = _ask(client, "left@test.example")
    assert page.status_code == 200 and "If an account uses left@test.example" in page.get_data(as_text=True)
    assert _mail(db, "left@test.example") == []


def test_the_forgotten_password_form_names_a_missing_or_malformed_address(client, db):
    assert _errors(_ask(client, "")) == {"email": "Enter your email address"}
    assert _errors(_ask(client, "not-an-address")) == {
        "email": "Enter an email address in the correct format, like name@example.org"}


def test_asking_for_links_is_throttled_per_address_typed_and_per_network_address(app, client, db):
    per_email = int(app.config["PASSWORD_RESET_RATE_LIMIT"].split(" per ")[0])
    statuses = [_ask(client, "anyone@test.example").status_code for _ in range(per_email + 1)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    per_address = int(app.config["PASSWORD_RESET_ADDRESS_RATE_LIMIT"].split(" per ")[0])
    statuses = [_ask(client, f"person{n}@test.example").status_code for n in range(per_address)]
    assert statuses[-1] == 429


def test_a_forgotten_password_link_works_once(client, db, make_user):
    user = make_user("assessor", email="forgetful@test.example")
    db.session.add_all([LoginSession(id="laptop", user_id=user.id), LoginSession(id="phone", user_id=user.id)])
    _ask(client, user.email)
    link = _link(db, user.email)
    page = client.get(link)
    assert page.status_code == 200 and page.soup.h1.text == "Create a new password"
    assert _reset(client, link).location.endswith("/sign-in")
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert _sessions(db, user) == set()
    [event] = _events(db, "auth.password_reset")
    assert event.after == {"sessions_ended": 2}
    confirmation = _mail(db, user.email)[-1]
    assert confirmation.subject == "Your password was reset" and NEW_PASSWORD not in confirmation.body

    again = client.get(link)
    assert again.status_code == 410 and again.soup.h1.text == "This link has already been used"
    assert _reset(client, link, "another password entirely").status_code == 410
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def _later(minutes: int):
    real = time.time
    return mock.patch("time.time", lambda: real() + timedelta(minutes=minutes).total_seconds())


def test_a_forgotten_password_link_expires_after_an_hour(client, db, make_user):
    user = make_user("assessor")
    _ask(client, user.email)
    link = _link(db, user.email)
    with _later(59):
        assert client.get(link).status_code == 200
    with _later(61):
        page = _reset(client, link)
    assert page.status_code == 410 and page.soup.h1.text == "This link has expired"
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_a_tampered_forgotten_password_link_changes_nothing(client, db, make_user):
    user = make_user("assessor")
    _ask(client, user.email)
    link = _link(db, user.email)
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    page = _reset(client, tampered)
    assert page.status_code == 404 and page.soup.h1.text == "This link is not valid"
    assert page.soup.find("a", href="/forgotten-password")
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_a_second_link_dies_when_the_first_resets_the_password(client, db, make_user):
    user = make_user("assessor")
    _ask(client, user.email)
    _ask(client, user.email)
    first, second = [re.findall(r"/reset-password/\S+", m.body)[0] for m in _mail(db, user.email)]
    _reset(client, first)
    assert client.get(second).status_code == 410


def test_a_link_for_an_account_disabled_since_changes_nothing(client, db, make_user):
    user = make_user("assessor")
    _ask(client, user.email)
    user.active = False
    assert _reset(client, _link(db, user.email)).status_code == 404


def test_a_reset_password_follows_the_password_rules(client, db, make_user):
    user = make_user("assessor")
    _ask(client, user.email)
    link = _link(db, user.email)
    assert _errors(_reset(client, link, "too short")) == {"password": "Password must be 15 characters or more"}
    assert _errors(_reset(client, link, confirm="something else")) == {
        "confirm": "Passwords do not match: enter the same password twice"}
    assert client.get(link).status_code == 200  # not used up by a refused password


def test_a_reset_never_skips_the_second_step(client, db, make_user):
    coordinator = make_user("coordinator")
    _ask(client, coordinator.email)
    _reset(client, _link(db, coordinator.email))
    response = client.post("/sign-in", data={"email": coordinator.email, "password": NEW_PASSWORD})
    assert response.location.endswith("/sign-in/security-code")
    assert _sessions(db, coordinator) == set()


def test_a_reset_ends_a_sign_in_halfway_through_its_second_step(app, client, db, make_user):
    coordinator = make_user("coordinator")
    client.post("/sign-in", data={"email": coordinator.email, "password": factories.PASSWORD})
    owner = app.test_client()
    _ask(owner, coordinator.email)
    _reset(owner, _link(db, coordinator.email))
    coordinator.totp_last_step = None
    response = client.post("/sign-in/security-code", data={"code": mfa.current_code(coordinator)})
    assert response.location.endswith("/sign-in")
    assert _sessions(db, coordinator) == set()


# ---- The current password before two-step sign-in or a contact email changes ----

def test_setting_up_two_step_sign_in_from_an_account_asks_for_the_current_password(client, db, sign_in):
    user = factories.AssessorFactory(user=factories.UserFactory(role="assessor")).user
    sign_in(user)
    client.get("/account/two-step-sign-in")
    db.session.refresh(user)
    code = mfa.current_code(user)
    page = client.post("/account/two-step-sign-in", data={"code": code, "current_password": "wrong guess here"})
    assert page.status_code == 200
    assert _errors(page) == {"current_password": "Your current password is not correct"}
    assert page.soup.find("input", attrs={"name": "code"})["value"] == code  # what was typed is kept
    assert _events(db, "auth.current_password_failed")
    db.session.refresh(user)
    assert user.mfa_enrolled_at is None
    missing = client.post("/account/two-step-sign-in", data={"code": code})
    assert _errors(missing) == {"current_password": "Enter your current password"}
    done = client.post("/account/two-step-sign-in", data={"code": code, "current_password": factories.PASSWORD})
    assert len(done.soup.select(".app-recovery-codes code")) == 10


def test_setting_up_two_step_sign_in_ends_every_other_session(client, db, sign_in):
    user = factories.AssessorFactory(user=factories.UserFactory(role="assessor")).user
    sign_in(user)
    db.session.add(LoginSession(id="laptop", user_id=user.id))
    client.get("/account/two-step-sign-in")
    db.session.refresh(user)
    client.post("/account/two-step-sign-in",
                data={"code": mfa.current_code(user), "current_password": factories.PASSWORD})
    [now] = _sessions(db, user)
    assert now != "laptop"
    [event] = _events(db, "auth.mfa_enrolled")
    assert event.after == {"other_sessions_ended": 1}
    assert "every other browser signed in to your account was signed out" in _mail(db, user.email)[-1].body


def _contact(client, me, **changes):
    data = {"name": me.name, "email": me.email, "phone": me.phone, "version_id": str(me.version_id)}
    return client.post("/my/profile/contact", data={**data, **changes})


def test_changing_the_contact_email_asks_for_the_current_password(client, db, sign_in):
    me = factories.AssessorFactory(user=factories.UserFactory(role="assessor"))
    sign_in(me.user)
    page = _contact(client, me, email="new.address@test.example", phone="0131 496 0999")
    assert page.status_code == 200
    assert _errors(page) == {"current_password": "Enter your current password to change your contact email address"}
    kept = page.soup
    assert kept.find("input", attrs={"name": "email"})["value"] == "new.address@test.example"
    assert kept.find("input", attrs={"name": "phone"})["value"] == "0131 496 0999"
    wrong = _contact(client, me, email="new.address@test.example", current_password="not it at all")
    assert _errors(wrong) == {"current_password": "Your current password is not correct"}
    assert _events(db, "auth.current_password_failed")
    db.session.refresh(me)
    assert me.pending_email is None
    assert _contact(client, me, email="new.address@test.example",
                    current_password=factories.PASSWORD).status_code == 302
    db.session.refresh(me)
    assert me.pending_email == "new.address@test.example"


def test_other_contact_details_change_without_the_password(client, db, sign_in):
    me = factories.AssessorFactory(user=factories.UserFactory(role="assessor"))
    sign_in(me.user)
    assert _contact(client, me, phone="0131 496 0999").status_code == 302
    db.session.refresh(me)
    assert me.phone == "0131 496 0999"
