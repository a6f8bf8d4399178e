"""Two-step sign-in in a real browser: a new coordinator sets up their app from the QR page's key
and saves recovery codes; signs in again with a code after a wrong one; then with a recovery code."""
from __future__ import annotations

import time

import pyotp
from playwright.sync_api import expect

from tests import factories


def _password(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")


def test_set_up_sign_in_a_wrong_code_and_a_recovery_code(page, live_server, live_db, axe):
    user = factories.UserFactory(role="coordinator", totp_secret=None, mfa_enrolled_at=None)
    live_db.session.commit()
    email = user.email

    # First sign-in: set up the app (typing the key, as someone without a camera would).
    _password(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    axe(page)
    app = pyotp.TOTP(page.locator("#manual-key").inner_text().replace(" ", ""))
    code = page.get_by_label("Security code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill(app.now())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    axe(page)
    recovery = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(recovery) == 10
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_text(email)).to_be_visible()
    _sign_out(page)

    # Every sign-in after: a wrong code is refused, naming the field; the right one (the next
    # time step, as the set-up's code cannot be used again) signs in.
    _password(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    axe(page)
    page.get_by_label("Security code").fill(f"{(int(app.now()) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Enter your security code – Associate assessor scheduler")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Security code is not correct")
    expect(page.locator("#code-error")).to_contain_text("Security code is not correct")
    axe(page)
    page.get_by_label("Security code").fill(app.at(time.time() + app.interval))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(email)).to_be_visible()
    _sign_out(page)

    # No phone: a recovery code, once.
    _password(page, live_server, email)
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a recovery code")
    axe(page)
    page.get_by_label("Recovery code").fill(recovery[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code. You have 9 left")).to_be_visible()
    axe(page)


def test_the_accounts_and_employer_contacts_pages_pass_axe_and_fit_375_pixels(page, live_server, live_db,
                                                                              sign_in_as, axe):
    factories.UserFactory(role="inspector")
    held = factories.AssessorFactory(reference="A90375",  # the app numbers from A00001
                                     email="held.contact@test.example")
    factories.AgreementFactory(assessor=held, contact_email="hr.manager@elsewhere.example", contact_verified_at=None,
                               status="requested")
    live_db.session.commit()
    page.set_viewport_size({"width": 375, "height": 800})
    for role, path, heading in [("admin", "/accounts", "Accounts and two-step sign-in"),
                                ("coordinator", "/employer/contacts", "Employer contacts to confirm")]:
        sign_in_as(page, role)
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.context.clear_cookies()  # signed out, for the next role
