"""WCAG 2.2.1 in a real browser: before a session ends for want of activity a dialog warns, named by
its question and with the focus on "Stay signed in"; taking it gives the time again, ignoring it ends
at the "signed out" page that says why. The idle limit is 14 seconds here so the test is quick."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import database_of_its_own

IDLE_SECONDS, WARNING_SECONDS = 14, 10      # the warning comes 4 seconds after the page, 10 before the end


live_app, live_server = database_of_its_own(
    "timeout", IDLE_TIMEOUT=timedelta(seconds=IDLE_SECONDS), SESSION_WARNING_SECONDS=WARNING_SECONDS)


def test_the_timeout_warning_gives_more_time_or_signs_out_and_says_why(page, live_server, browser_user, axe):
    email, password = browser_user("assessor")
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/account/two-step-sign-in")
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_hidden()

    expect(warning).to_be_visible(timeout=IDLE_SECONDS * 1000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(warning).to_contain_text("we will sign you out in")
    axe(page)
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()

    # the clock started again: past the first deadline the page is still the signed-in page ...
    page.wait_for_timeout((IDLE_SECONDS - WARNING_SECONDS + 1) * 1000)
    assert "/signed-out" not in page.url
    # ... the warning comes back, and nobody answers it this time
    expect(warning).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(page).to_have_url(f"{live_server.url}/signed-out?reason=inactive", timeout=(WARNING_SECONDS + 3) * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out")
    axe(page)
    page.goto(f"{live_server.url}/account/two-step-sign-in")
    assert "/sign-in" in page.url
