"""Recruitment from end to end in a browser: nobody can apply while recruitment is closed; an admin
opens a campaign; an applicant applies by keyboard, fixes an error, checks and sends; the admin admits
them; the invitation link sets a password; the employer agrees through the emailed link.
axe checks every page and every error state."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.keyboard import tab_to

APPLICANT = "isla.browser@example.org"
CONTACT = "jane.browser@fife.gov.uk"  # on Fife Council's domain, so the request goes at once
PASSWORD = "heather-bothy-lantern-ferry"


def _type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _continue(page, axe) -> None:
    tab_to(page, "button.govuk-button:not([type=button])")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)


def _link(live_server, to: str, path: str) -> str:
    [message] = [m for m in live_server.outbox(to) if path in m.body][-1:]
    return re.search(rf"https?://\S+{path}\S+", message.body).group(0)


def _sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_recruitment_from_closed_to_an_agreed_assessor(page, live_server, sign_in_as, axe):
    apply_url = f"{live_server.url}/become-an-associate-assessor/apply"

    # Closed: the message, and no way to apply
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Find out about becoming an associate assessor").click()
    axe(page)
    for topic in ("What the role involves", "Code of practice for associate assessors"):
        page.get_by_role("link", name=topic, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(topic)
        axe(page)
    page.goto(apply_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("We are not currently recruiting associate assessors")
    expect(page.locator("form[method=post]")).to_have_count(0)
    expect(page.get_by_role("button", name="Start now")).to_have_count(0)
    axe(page)

    # An admin creates and opens a campaign
    sign_in_as(page, "admin")
    page.goto(f"{live_server.url}/recruitment")
    axe(page)
    page.get_by_role("button", name="Create a campaign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a campaign")
    page.get_by_role("button", name="Save campaign").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a campaign name")
    axe(page)
    page.get_by_label("Campaign name").fill("Browser campaign")
    page.get_by_label("Justice social work").check()
    page.get_by_label("Children and young people").check()
    page.get_by_role("button", name="Save campaign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recruitment campaigns")
    axe(page)
    page.get_by_role("button", name="Open now Browser campaign").click()
    # It has no closing date yet: opening asks for one, so applicants are told when applications close
    expect(page.get_by_role("heading", level=1)).to_have_text("When do applications to Browser campaign close?")
    axe(page)
    closes = date.today() + timedelta(days=30)
    page.get_by_label("Day").fill(str(closes.day))
    page.get_by_label("Month").fill(str(closes.month))
    page.get_by_label("Year").fill(str(closes.year))
    page.get_by_role("button", name="Open the campaign").click()
    closing = f"{closes.day} {closes:%B %Y}"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"is now open to applications. Applications close at the end of {closing}.")
    expect(page.locator(".govuk-tag", has_text="Open")).to_have_count(1)
    axe(page)
    _sign_out(page)

    # The applicant applies by keyboard, fixing an error on the way
    page.goto(apply_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to become an associate assessor")
    expect(page.locator("main")).to_contain_text(f"The closing date is {closing}.")
    axe(page)
    tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)
    _type_into(page, "#name", "Isla Browser")
    _type_into(page, "#email", "isla.browser@")  # a mistake
    _type_into(page, "#phone", "01592 583000")
    _continue(page, axe)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter your email address in the correct format, like name@example.org")
    expect(page.locator("#name")).to_have_value("Isla Browser")
    page.keyboard.press("Tab")  # the error summary has focus; its link leads to the field
    page.keyboard.press("Enter")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("example.org")
    _continue(page, axe)

    tab_to(page, "#home_area")
    page.keyboard.type("Fife")
    _continue(page, axe)
    _type_into(page, "#employer_name", "Fife Council")
    _type_into(page, "#job_title", "Justice Service Manager")
    tab_to(page, "input[name=sector]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=sector][value=statutory]")).to_be_checked()
    _continue(page, axe)
    tab_to(page, "input[name=specialisms][value=justice]")
    page.keyboard.press("Space")
    _continue(page, axe)
    _type_into(page, "#strategic_experience", "I manage justice social work across Fife and lead its partnership work.")
    _continue(page, axe)
    _type_into(page, "#employer_contact_name", "Jane Browser")
    _type_into(page, "#employer_contact_email", CONTACT)
    _continue(page, axe)
    tab_to(page, "input[name=has_conflicts]")  # Tab enters the radio group; an arrow key moves to "No"
    page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=has_conflicts][value=no]")).to_be_checked()
    _continue(page, axe)
    tab_to(page, "input[name=privacy_consent]")
    page.keyboard.press("Space")
    _continue(page, axe)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your application")
    expect(page.locator(".govuk-summary-list")).to_contain_text("isla.browser@example.org")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Justice social work")
    tab_to(page, "button.govuk-button:not([type=button])")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel__title")).to_have_text("Application sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    axe(page)
    assert any(reference in m.subject for m in live_server.outbox(APPLICANT))

    # The admin admits them
    sign_in_as(page, "admin")
    page.goto(f"{live_server.url}/recruitment/applications")
    axe(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Application {reference}")
    axe(page)
    page.get_by_role("button", name="Reject and tell the applicant").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for rejecting the application")
    axe(page)
    page.get_by_role("button", name="Admit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admit Isla Browser")
    axe(page)
    page.get_by_role("textbox", name="Days per deployment to ask the employer for").fill("20")
    page.get_by_role("button", name="Admit and send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Days per deployment must be between 4 and 12")
    axe(page)
    page.get_by_role("textbox", name="Days per deployment to ask the employer for").fill("8")
    page.get_by_role("button", name="Admit and send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is admitted as assessor")
    axe(page)
    page.goto(f"{live_server.url}/recruitment/outbox")
    axe(page)
    page.get_by_role("link", name="Set your password for the associate assessor service").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password for the associate assessor service")
    axe(page)
    _sign_out(page)

    # The invitation link sets a password, once
    invitation = _link(live_server, APPLICANT, "/set-password/")
    page.goto(invitation)
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a password")
    axe(page)
    _type_into(page, "#password", "short")
    _type_into(page, "#confirm", "short")
    _continue(page, axe)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Password must be 15 characters or more")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    _continue(page, axe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto(invitation)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    axe(page)

    # The employer agrees through the emailed link, after trying to agree to more than asked
    agreement = _link(live_server, CONTACT, "/employer/")
    page.goto(agreement)
    expect(page.get_by_role("heading", level=1)).to_have_text("Release Isla Browser for joint inspections")
    axe(page)
    page.get_by_label("Yes, I agree").check()
    page.get_by_label("Days per deployment").fill("10")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("you cannot agree to more than you were asked for")
    axe(page)
    page.get_by_label("Yes, I agree").check()
    page.get_by_label("Days per deployment").fill("6")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your agreement has been sent")
    axe(page)
    page.goto(agreement)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    axe(page)
    assert any("agreed to" in m.subject for m in live_server.outbox(APPLICANT))
