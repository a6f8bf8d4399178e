"""Passwords in a real browser: an assessor who has forgotten theirs asks for a link, opens it from
the email, chooses a new password (first a too-short one, refused on the field) and signs in with it;
then, signed in, changes it from the profile (first with a wrong current password) and signs in with
the newer one. axe checks every page on the way."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import database_of_its_own

# A database of its own: the emails it reads from the outbox are its alone.
live_app, live_server = database_of_its_own("passwords")

EMAIL = "forgetful.assessor@test.example"
RESET = "copper meadow lantern seventy"
CHANGED = "quiet orchard violin forty two"


def _sign_in(page, live_server, password: str) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My deployments")


def test_forgot_reset_from_the_email_sign_in_then_change_the_password(page, live_server, live_db, axe):
    factories.AssessorFactory(email=EMAIL, user=factories.UserFactory(role="assessor", email=EMAIL))
    live_db.session.commit()

    # Forgotten: the sign-in page's link, the address, the same answer anyone gets.
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe(page)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(f"If an account uses {EMAIL}, we have emailed a link to it")).to_be_visible()
    axe(page)

    # The link from the email: a new password, a too-short one first.
    [message] = live_server.outbox(EMAIL)
    [link] = re.findall(r"https?://\S+/reset-password/\S+", message.body)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new password")
    axe(page)
    page.get_by_label("New password", exact=True).fill("too short")
    page.get_by_label("Confirm your new password").fill("too short")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#password-error")).to_contain_text("Password must be 15 characters or more")
    axe(page)
    page.get_by_label("New password", exact=True).fill(RESET)
    page.get_by_label("Confirm your new password").fill(RESET)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed. Sign in with your email address and new password.")) \
        .to_be_visible()
    assert live_server.outbox(EMAIL)[-1].subject == "Your password was reset"

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    axe(page)

    # Signed in with it, change it from the profile: a wrong current password first.
    _sign_in(page, live_server, RESET)
    page.goto(f"{live_server.url}/my/profile")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    axe(page)
    page.get_by_label("Your current password").fill("not the password at all")
    page.get_by_label("New password", exact=True).fill(CHANGED)
    page.get_by_label("Confirm your new password").fill(CHANGED)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#current_password-error")).to_contain_text("Your current password is not correct")
    axe(page)
    page.get_by_label("Your current password").fill(RESET)
    page.get_by_label("New password", exact=True).fill(CHANGED)
    page.get_by_label("Confirm your new password").fill(CHANGED)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("My deployments")  # still signed in
    axe(page)
    assert live_server.outbox(EMAIL)[-1].subject == "Your password was changed"

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server, CHANGED)
