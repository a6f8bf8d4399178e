"""Two-step sign-in: staff set up an authenticator app at first sign-in and enter its code every
time after; recovery codes work once; the step is throttled and audited; an admin may reset
someone else's, never their own; assessors may choose it."""
from __future__ import annotations

import re
import time

from scheduler.auth import mfa
from scheduler.models import AuditEvent, LoginSession, OutboxMessage, RecoveryCode
from tests import factories


def _actions(db) -> list[str]:
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def _password(client, user, **kwargs):
    return client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD}, **kwargs)


def _sessions(db) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(LoginSession))


def _signed_in(client) -> bool:
    return client.get("/").soup.find("a", string="Sign in") is None


def test_staff_set_up_an_authenticator_app_and_get_recovery_codes_at_first_sign_in(client, db, make_user):
    admin = make_user("admin", totp_secret=None, mfa_enrolled_at=None)
    db.session.commit()
    response = _password(client, admin)
    assert response.location.endswith("/sign-in/set-up-two-step")
    assert _sessions(db) == 0 and not _signed_in(client)

    page = client.get("/sign-in/set-up-two-step")
    db.session.refresh(admin)
    assert page.soup.find("svg", attrs={"role": "img"})  # the QR code, drawn here, no outside service
    assert page.soup.find(id="manual-key").text.replace(" ", "") == admin.totp_secret
    code_input = page.soup.find("input", attrs={"name": "code"})
    assert (code_input["autocomplete"], code_input["inputmode"]) == ("one-time-code", "numeric")
    assert page.soup.find("label", attrs={"for": "code"}).text.strip() == "Security code"

    done = client.post("/sign-in/set-up-two-step", data={"code": mfa.current_code(admin)})
    assert done.status_code == 200
    codes = [c.text for c in done.soup.select(".app-recovery-codes code")]
    assert len(codes) == mfa.RECOVERY_CODE_COUNT == len(set(codes))
    stored = db.session.scalars(db.select(RecoveryCode.code_hash).filter_by(user_id=admin.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # kept hashed, never as typed
    assert admin.mfa_enrolled_at is not None
    assert {"auth.mfa_enrolled", "auth.sign_in"} <= set(_actions(db))
    assert _sessions(db) == 1 and _signed_in(client)


def test_the_password_alone_does_not_sign_staff_in(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    assert _password(client, coordinator).location.endswith("/sign-in/security-code")
    assert client.get("/assessors").status_code == 302  # to the sign-in page
    assert _sessions(db) == 0


def test_a_wrong_code_is_refused_naming_the_field_and_audited(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    _password(client, coordinator)
    wrong = f"{(int(mfa.current_code(coordinator)) + 1) % 1_000_000:06d}"
    page = client.post("/sign-in/security-code", data={"code": wrong})
    assert page.status_code == 200 and page.soup.title.text.startswith("Error: Enter your security code")
    assert page.soup.select_one(".govuk-error-summary a[href='#code']").text.startswith("Security code is not correct")
    assert "auth.mfa_failed" in _actions(db) and _sessions(db) == 0
    letters = client.post("/sign-in/security-code", data={"code": "12a456"})
    assert "Security code must be 6 digits" in letters.get_data(as_text=True)


def test_a_security_code_cannot_be_used_twice(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    code = mfa.current_code(coordinator)
    _password(client, coordinator)
    assert client.post("/sign-in/security-code", data={"code": code}).status_code == 302
    client.post("/sign-out")
    _password(client, coordinator)
    again = client.post("/sign-in/security-code", data={"code": code})
    assert again.status_code == 200 and "Security code is not correct" in again.get_data(as_text=True)


def test_a_recovery_code_signs_in_once_and_is_audited(client, db, make_user):
    inspector = make_user("inspector")
    codes = mfa.enrol(inspector)
    db.session.commit()
    _password(client, inspector)
    response = client.post("/sign-in/recovery-code", data={"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and _signed_in(client)
    assert "auth.mfa_recovery_code_used" in _actions(db)
    assert mfa.recovery_codes_left(inspector) == 9
    client.post("/sign-out")
    _password(client, inspector)
    again = client.post("/sign-in/recovery-code", data={"code": codes[3]})
    assert again.status_code == 200 and "already been used" in again.get_data(as_text=True)
    assert "auth.mfa_recovery_code_failed" in _actions(db)


def test_the_second_step_is_throttled_per_account(app, client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    limit = int(re.match(r"\d+", app.config["MFA_RATE_LIMIT"]).group())
    _password(client, coordinator)
    statuses = [client.post("/sign-in/security-code", data={"code": "000000"}).status_code for _ in range(limit)]
    assert statuses == [200] * limit
    right = client.post("/sign-in/security-code", data={"code": mfa.current_code(coordinator)})
    assert right.status_code == 429 and _sessions(db) == 0


def test_completing_the_second_step_starts_a_new_session(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    _password(client, coordinator)
    with client.session_transaction() as s:
        assert s["mfa_user_id"] == coordinator.id and "_user_id" not in s
        s["planted"] = "by an attacker"
    client.post("/sign-in/security-code", data={"code": mfa.current_code(coordinator)})
    login = db.session.scalar(db.select(LoginSession))
    with client.session_transaction() as s:
        assert "planted" not in s and "mfa_user_id" not in s
        assert s["_user_id"] == login.id


def test_a_password_accepted_more_than_ten_minutes_ago_must_be_entered_again(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    _password(client, coordinator)
    with client.session_transaction() as s:
        s["mfa_since"] = time.time() - mfa.PENDING_LIFETIME.total_seconds() - 1
    response = client.post("/sign-in/security-code", data={"code": mfa.current_code(coordinator)})
    assert response.location.endswith("/sign-in") and _sessions(db) == 0


def test_an_admin_resets_someone_elses_two_step_sign_in_and_it_is_audited(client, db, sign_in, make_user):
    coordinator = make_user("coordinator")
    db.session.add(LoginSession(id="their-session", user_id=coordinator.id))
    sign_in("admin")
    listed = client.get("/accounts")
    assert coordinator.email in listed.get_data(as_text=True)
    assert client.post(f"/accounts/{coordinator.id}/reset-two-step").status_code == 302
    assert (coordinator.totp_secret, coordinator.mfa_enrolled_at) == (None, None)
    assert db.session.get(LoginSession, "their-session") is None  # signed out everywhere
    assert "auth.mfa_reset" in _actions(db)
    assert db.session.scalar(db.select(OutboxMessage).filter_by(recipient=coordinator.email,
                                                               subject="Your two-step sign-in was reset"))
    client.post("/sign-out")
    assert _password(client, coordinator).location.endswith("/sign-in/set-up-two-step")


def test_an_admin_cannot_reset_their_own_two_step_sign_in(client, db, sign_in):
    admin = sign_in("admin")
    assert client.post(f"/accounts/{admin.id}/reset-two-step").status_code == 403
    assert admin.mfa_enrolled_at is not None
    assert "auth.mfa_reset_refused" in _actions(db)


def test_only_admins_reset_two_step_sign_in(client, db, sign_in, make_user):
    other = make_user("inspector")
    sign_in("coordinator")
    assert client.post(f"/accounts/{other.id}/reset-two-step").status_code == 403
    assert other.mfa_enrolled_at is not None


def test_an_assessor_may_choose_two_step_sign_in_and_then_needs_a_code(client, db, sign_in):
    user = factories.AssessorFactory(user=factories.UserFactory(role="assessor")).user
    sign_in(user)  # no code asked until they choose it
    before = db.session.scalar(db.select(LoginSession.id))
    page = client.get("/account/two-step-sign-in")
    assert page.soup.find("svg", attrs={"role": "img"})
    db.session.refresh(user)
    done = client.post("/account/two-step-sign-in", data={"code": mfa.current_code(user),
                                                          "current_password": factories.PASSWORD})
    assert len(done.soup.select(".app-recovery-codes code")) == 10
    [after] = db.session.scalars(db.select(LoginSession.id)).all()  # the old session ended...
    assert after != before  # ...and a new one, with a new id, began
    client.post("/sign-out")
    assert _password(client, user).location.endswith("/sign-in/security-code")


def test_an_admin_signs_someone_out_everywhere_and_it_is_audited(client, db, sign_in, make_user):
    coordinator = make_user("coordinator")
    db.session.add_all([LoginSession(id="laptop", user_id=coordinator.id),
                        LoginSession(id="phone", user_id=coordinator.id)])
    admin = sign_in("admin")
    assert client.post(f"/accounts/{coordinator.id}/sign-out-everywhere").status_code == 302
    assert db.session.scalars(db.select(LoginSession.user_id)).all() == [admin.id]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="auth.sessions_ended"))
    assert event.after == {"sessions": 2} and event.object_id == str(coordinator.id)
