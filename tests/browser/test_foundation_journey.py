"""Each role signs in, sees its own home page and navigation, is refused elsewhere, and signs out."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


def test_public_pages_pass_axe_without_signing_in(page, live_server, axe):
    for path in ["/", "/sign-in", "/accessibility", "/privacy", "/cookies", "/no-such-page"]:
        page.goto(live_server.url + path)
        axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_govuk_frontend_javascript_runs_under_the_content_security_policy(page, live_server):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/sign-in")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    # The password input's Show button only appears once GOV.UK Frontend's JavaScript has run.
    show = page.get_by_role("button", name="Show password")
    expect(show).to_be_visible()
    show.click()
    expect(page.locator("#password")).to_have_attribute("type", "text")
    assert errors == []


def test_sign_in_errors_are_summarised_and_accessible(page, live_server, axe):
    page.goto(live_server.url + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Associate assessor scheduler")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    axe(page)


@pytest.mark.parametrize("role,home_heading", [
    ("coordinator", "Your work"),
    ("assessor", "Your work"),
    ("inspector", "Your work"),
    ("admin", "Your work"),
])
def test_each_role_signs_in_and_out(page, live_server, sign_in_as, axe, role, home_heading):
    email = sign_in_as(page, role)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(home_heading)
    expect(page.get_by_text(email)).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    axe(page)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def test_the_accessibility_check_fails_on_an_inaccessible_page(page, axe):
    page.set_content("<html lang='en'><head><title>Bad</title></head><body><main><h1>Bad</h1>"
                     "<img src='x.png'><input type='text'></main></body></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        axe(page)


@pytest.mark.parametrize("role,forbidden", [
    ("assessor", "/inspections"),
    ("coordinator", "/notifications"),
    ("inspector", "/recruitment"),
    ("admin", "/my"),
])
def test_a_forbidden_page_shows_the_refusal_page(page, live_server, sign_in_as, axe, role, forbidden):
    sign_in_as(page, role)
    response = page.goto(live_server.url + forbidden)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")
    axe(page)
