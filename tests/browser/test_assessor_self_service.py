"""An assessor, by keyboard: adds an unavailable fortnight that runs into existing leave, sees it joined
and marked in the 12-month summary, fixes an error, takes the calendar link and fetches it. A coordinator
then filters the directory. axe checks every page and every error state."""
from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar
from playwright.sync_api import expect

from scheduler.extensions import db
from scheduler.models import User
from scheduler.my.availability import format_period
from tests import factories
from tests.browser.keyboard import tab_to, type_date


def _submit(page, axe) -> None:
    tab_to(page, "button.govuk-button, input.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)


def _select_all_clear(page, selector: str) -> None:
    page.locator(selector).fill("")


def test_assessor_adds_leave_by_keyboard_and_subscribes_then_coordinator_filters(
        page, live_server, live_db, sign_in_as, axe):
    today = date.today()
    leave_start, leave_end = today + timedelta(days=30), today + timedelta(days=34)
    fortnight_start, fortnight_end = today + timedelta(days=33), today + timedelta(days=46)

    email = sign_in_as(page, "assessor")
    user = live_db.session.scalar(db.select(User).filter_by(email=email))
    me = factories.AssessorFactory(user=user, name="Kirsty Browser", email="kirsty.browser@test.example",
                                   holds_children=False, holds_justice=True)
    factories.AgreementFactory(assessor=me, valid_from=today, valid_to=today + timedelta(days=365))
    factories.UnavailabilityFactory(assessor=me, starts_on=leave_start, ends_on=leave_end, reason="Annual leave")
    inspection = factories.InspectionFactory(title="Joint inspection of justice services in Angus",
                                             starts_on=today + timedelta(days=60), ends_on=today + timedelta(days=71))
    factories.DeploymentFactory(assessor=me, inspection=inspection, specialism="justice")
    other = factories.AssessorFactory(name="Someone Else")
    factories.DeploymentFactory(assessor=other, inspection__title="Not for Kirsty")
    live_db.session.commit()

    page.goto(f"{live_server.url}/my")
    expect(page.get_by_role("heading", level=1)).to_have_text("My deployments")
    expect(page.get_by_text("Joint inspection of justice services in Angus")).to_be_visible()
    axe(page)

    # Availability, then the add form, by keyboard
    page.get_by_role("link", name="See your availability for the next 12 months").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your availability")
    axe(page)
    page.get_by_role("button", name="Add a time you are unavailable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a time you are unavailable")
    axe(page)

    # An error first: the end before the start
    type_date(page, "starts_on", fortnight_end)
    type_date(page, "ends_on", fortnight_start)
    _submit(page, axe)
    expect(page).to_have_title("Error: Add a time you are unavailable – Associate assessor scheduler")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "The last day you are unavailable must be the same as or after the first day you are unavailable")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(page.locator("#ends_on")).to_be_focused()

    # Fix it: clear the boxes and type the fortnight again, all by keyboard
    for box in ("#starts_on", "#starts_on-month", "#starts_on-year", "#ends_on", "#ends_on-month", "#ends_on-year"):
        _select_all_clear(page, box)
    page.locator("#starts_on").focus()
    type_date(page, "starts_on", fortnight_start)
    type_date(page, "ends_on", fortnight_end)
    tab_to(page, "#reason")
    page.keyboard.type("Fortnight away")
    _submit(page, axe)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your availability")
    joined = format_period(leave_start, fortnight_end)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"This overlaps your leave from {format_period(leave_start, leave_end)}, so we joined them into one period")
    expect(page.locator(".govuk-summary-list__key")).to_have_text(
        [format_period(leave_start, fortnight_end, weekdays=True)])
    marked = page.locator("td.app-calendar__day--unavailable")
    expect(marked).to_have_count((fortnight_end - leave_start).days + 1)
    expect(page.locator("td.app-calendar__day--deployed")).to_have_count(5)

    # The calendar link: take it from the page and fetch it
    page.goto(f"{live_server.url}/my")
    field = page.get_by_label("Your private calendar link")
    expect(field).to_have_attribute("readonly", "")
    feed_url = field.input_value()
    assert feed_url.startswith(live_server.url + "/calendar/") and feed_url.endswith(".ics")
    response = page.request.get(feed_url)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert ([str(e["summary"]) for e in events]
            == ["Joint inspection of justice services in Angus (proposed)"] * len(events))
    assert events and "Not for Kirsty" not in response.text()

    # Sign out; a coordinator filters the directory
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/assessors")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessors")
    axe(page)
    page.get_by_label("Specialism").select_option("justice")
    # available through the fortnight? No: Kirsty is on leave then
    for name, d in (("available_from", fortnight_start), ("available_to", fortnight_end)):
        page.locator(f"#{name}").fill(str(d.day))
        page.locator(f"#{name}-month").fill(str(d.month))
        page.locator(f"#{name}-year").fill(str(d.year))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("No assessors match these filters")
    axe(page)
    # a week after the leave she is available
    after = fortnight_end + timedelta(days=3)
    for name, d in (("available_from", after), ("available_to", after + timedelta(days=4))):
        page.locator(f"#{name}").fill(str(d.day))
        page.locator(f"#{name}-month").fill(str(d.month))
        page.locator(f"#{name}-year").fill(str(d.year))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Kirsty Browser")).to_be_visible()
    expect(page.get_by_role("link", name="Someone Else")).to_have_count(0)
    axe(page)
    # an error state in the filters
    page.locator("#available_to").fill("")
    page.locator("#available_to-month").fill("")
    page.locator("#available_to-year").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date they must be available to as well")
    axe(page)
    page.get_by_role("link", name="Kirsty Browser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirsty Browser")
    expect(page.locator("#history + ol")).to_contain_text(f"Recorded as unavailable from {joined}")
    axe(page)
