"""WCAG 2.2 3.3.8 accessible authentication: signing in asks nobody to remember or transcribe. Each
field tells a password manager what it holds (autocomplete), and nothing stops pasting: no paste,
copy or cut handlers, no length cap a pasted password could overflow, no autocomplete="off" on a
credential."""
from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.links import make_token
from tests import factories

CLIPBOARD_HANDLERS = ("onpaste", "oncopy", "oncut", "ondrop", "onbeforepaste")
STATIC_JS = Path(__file__).resolve().parents[1] / "scheduler" / "static" / "js"


def fields(page) -> dict[str, dict]:
    return {f["name"]: f.attrs for f in page.soup.select("form input")
            if f.get("type") not in ("hidden", "submit")}


def assert_nothing_blocks_pasting(page) -> None:
    for element in page.soup.find_all(True):
        assert not set(element.attrs) & set(CLIPBOARD_HANDLERS), element
    for field in page.soup.select("form input"):
        assert "maxlength" not in field.attrs and "readonly" not in field.attrs, field


def test_sign_in_names_the_username_and_current_password_for_password_managers(client, db):
    page = client.get("/sign-in")
    found = fields(page)
    assert set(found) == {"email", "password"}
    assert found["email"]["autocomplete"] == "username"
    assert found["password"]["autocomplete"] == "current-password" and found["password"]["type"] == "password"
    assert_nothing_blocks_pasting(page)


def test_the_security_code_is_a_one_time_code_that_can_be_pasted_from_the_app(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    client.post("/sign-in", data={"email": coordinator.email, "password": factories.PASSWORD})
    page = client.get("/sign-in/security-code")
    code = fields(page)["code"]
    assert (code["autocomplete"], code["inputmode"]) == ("one-time-code", "numeric")
    assert_nothing_blocks_pasting(page)


def test_setting_up_two_step_sign_in_takes_a_pasted_one_time_code(client, db, make_user):
    admin = make_user("admin", totp_secret=None, mfa_enrolled_at=None)
    db.session.commit()
    client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    page = client.get("/sign-in/set-up-two-step")
    assert fields(page)["code"]["autocomplete"] == "one-time-code"
    assert_nothing_blocks_pasting(page)


def test_a_recovery_code_can_be_pasted(client, db, make_user):
    coordinator = make_user("coordinator")
    db.session.commit()
    client.post("/sign-in", data={"email": coordinator.email, "password": factories.PASSWORD})
    page = client.get("/sign-in/recovery-code")
    assert "code" in fields(page)
    assert_nothing_blocks_pasting(page)


def test_a_new_password_is_offered_to_the_password_manager_to_save(app, client, db, make_user):
    user = make_user("assessor", password_hash=None)
    db.session.commit()
    with app.test_request_context():
        token = make_token("invitation", user.id)
    page = client.get(f"/set-password/{token}")
    found = fields(page)
    assert found["password"]["autocomplete"] == found["confirm"]["autocomplete"] == "new-password"
    assert_nothing_blocks_pasting(page)


@pytest.mark.parametrize("script", sorted(p.name for p in STATIC_JS.glob("*.js")))
def test_no_script_of_the_service_intercepts_the_clipboard(script):
    text = (STATIC_JS / script).read_text(encoding="utf-8")
    for event in ("'paste'", '"paste"', "'copy'", '"copy"', "'cut'", '"cut"', "onpaste", "clipboardData"):
        assert event not in text, f"{script} handles {event}"
