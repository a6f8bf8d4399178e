from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler.auth import mfa
from scheduler.auth.passwords import password_problem
from scheduler.models import AuditEvent, LoginSession, utcnow
from tests import factories


def _actions(db):
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_page_has_labelled_email_and_password(client):
    page = client.get("/sign-in")
    assert page.status_code == 200
    assert page.soup.find("label", attrs={"for": "email"})
    assert page.soup.find("label", attrs={"for": "password"})


@pytest.mark.parametrize("role", ["admin", "coordinator", "inspector", "assessor"])
def test_each_role_signs_in_and_is_audited(client, db, make_user, role):
    user = make_user(role)
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email.upper(), "password": factories.PASSWORD})
    assert response.status_code == 302
    if role != "assessor":  # staff: the password alone does not sign in
        assert "auth.sign_in" not in _actions(db)
        response = client.post("/sign-in/security-code", data={"code": mfa.current_code(user)})
        assert response.status_code == 302
    assert "auth.sign_in" in _actions(db)
    home = client.get("/")
    assert user.email in home.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_clear_error_and_audited(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    page = client.post("/sign-in", data={"email": user.email, "password": "not the password at all"})
    assert page.status_code == 200
    assert page.soup.title.text.startswith("Error: Sign in")
    assert "Email address or password is not correct" in page.get_data(as_text=True)
    assert page.soup.find("input", attrs={"name": "email"})["value"] == user.email
    assert "auth.sign_in_failed" in _actions(db)


def test_missing_fields_name_the_field(client):
    page = client.post("/sign-in", data={"email": "", "password": ""})
    text = page.get_data(as_text=True)
    assert "Enter your email address" in text and "Enter your password" in text


def test_inactive_user_cannot_sign_in(client, db, make_user):
    user = make_user("coordinator", active=False)
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 200


def test_sign_in_renews_the_session(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    client.get("/sign-in")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    with client.session_transaction() as s:
        assert "planted" not in s


def test_sign_out_ends_the_session_even_if_the_cookie_is_replayed(client, db, sign_in):
    sign_in("coordinator")
    cookie = client.get_cookie("scheduler_session").value
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession)) == 1
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession)) == 0
    assert "auth.sign_out" in _actions(db)
    client.set_cookie("scheduler_session", cookie)
    assert client.get("/").soup.find("a", string="Sign in")


def test_disabling_an_account_ends_its_sessions_at_the_next_request(client, db, sign_in):
    user = sign_in("coordinator")
    user.active = False
    db.session.commit()
    assert client.get("/").soup.find("a", string="Sign in")
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession)) == 0


def test_idle_session_expires(app, client, db, sign_in):
    sign_in("coordinator")
    login = db.session.scalar(db.select(LoginSession))
    login.last_seen_at = login.last_seen_at - app.config["IDLE_TIMEOUT"] * 2
    db.session.commit()
    assert client.get("/").soup.find("a", string="Sign in")


def test_a_session_three_days_old_but_active_five_minutes_ago_is_refused(app, client, db, sign_in):
    sign_in("coordinator")
    login = db.session.scalar(db.select(LoginSession))
    login.created_at = utcnow() - timedelta(days=3)
    login.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert client.get("/").soup.find("a", string="Sign in")
    assert db.session.scalar(db.select(LoginSession)) is None


def test_a_session_just_inside_its_absolute_lifetime_is_accepted(app, client, db, sign_in):
    sign_in("coordinator")
    login = db.session.scalar(db.select(LoginSession))
    login.created_at = utcnow() - app.config["SESSION_LIFETIME"] + timedelta(minutes=1)
    db.session.commit()
    assert not client.get("/").soup.find("a", string="Sign in")


def test_post_without_csrf_token_is_refused(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD}, csrf=False)
    assert response.status_code == 400


def test_sign_in_is_throttled(app, client, db):
    statuses = [client.post("/sign-in", data={"email": "x@test.example", "password": "wrong"}).status_code
                for _ in range(12)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_next_parameter_never_redirects_off_site(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    client.post("/sign-in?next=https://evil.example/", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/sign-in/security-code", data={"code": mfa.current_code(user)})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_next_parameter_on_this_site_is_followed_after_the_second_step(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    client.post("/sign-in?next=/assessors", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/sign-in/security-code", data={"code": mfa.current_code(user)})
    assert response.headers["Location"] == "/assessors"


@pytest.mark.parametrize("password,ok", [
    ("short", False),
    ("a" * 15, False),
    ("passwordpassword", False),
    ("password1234567!", False),
    ("abcabcabcabcabcabc", False),
    ("correct-lighthouse-porridge-kettle", True),
    ("x" * 20 + "y" * 44, True),
    ("Tr0ub4dor&3 is not needed here at all", True),
])
def test_password_policy_is_length_and_not_common_without_composition_rules(password, ok):
    assert (password_problem(password) is None) is ok


def test_password_up_to_64_characters_is_accepted():
    assert password_problem("river stone " * 5 + "moss") is None


@pytest.mark.parametrize("password,ok", [
    ("AssociateAssessorScheduler2027!", False),   # the service's own words, a year and a symbol
    ("assessorschedulerinspection", False),       # run together
    ("care inspectorate scheduler", False),
    ("Joint-Inspection-Team-2028", False),
    ("assessor scheduler fife", False),              # one short word beyond them: still easy to guess
    ("assessor scheduler edinburgh!", True),        # nine letters beyond them
    ("lantern assessor porridge kettle", True),      # a service word among random ones is fine
])
def test_passwords_made_of_the_service_s_own_words_are_refused(password, ok):
    """ASVS 6.2.11: the documented context words (scheduler.auth.passwords.SERVICE_WORDS)."""
    problem = password_problem(password)
    assert problem == (None if ok else "Password is mostly words about this service, which are easy to guess. "
                                       "Try three random words together")
