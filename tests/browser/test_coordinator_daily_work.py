"""A coordinator's everyday work, by keyboard where a person would use it: search the directory for
"mackay", open her profile, record a fortnight she is unavailable (an error first), and see it in her
history; an export edited in a spreadsheet imports back, updating one assessor and leaving the rest
unchanged. axe checks every new page and error state, also at 375 px wide."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from playwright.sync_api import expect

from scheduler.extensions import db
from scheduler.models import Assessor
from scheduler.my.availability import format_period
from tests import factories
from tests.browser.conftest import database_of_its_own
from tests.browser.keyboard import tab_to, type_date

# A database of its own: the searches count this module's assessors alone (other journeys make MacKays
# and phone numbers of their own on the shared one), whichever test or file runs first.
live_app, live_server = database_of_its_own("daily-work")


def _both_widths(page, axe) -> None:
    """axe at the desktop width and again at 375 px (nothing may scroll sideways), then back."""
    axe(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size(size)


def test_coordinator_finds_mackay_and_records_her_fortnight_away(page, live_server, live_db, sign_in_as, axe):
    today = date.today()
    mackay = factories.AssessorFactory(name="Siobhán MacKay", email="siobhan.mackay@test.example",
                                       employer=factories.employer("Angus Council"))
    factories.AgreementFactory(assessor=mackay, valid_from=today, valid_to=today + timedelta(days=365))
    factories.AssessorFactory(name="Ewan Mackie")
    factories.AssessorFactory(name="Ann Other")
    live_db.session.commit()
    start, end = today + timedelta(days=21), today + timedelta(days=34)

    sign_in_as(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you")
    _both_widths(page, axe)
    page.goto(f"{live_server.url}/assessors")
    tab_to(page, "#q")
    page.keyboard.type("mackay")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("Showing 1 to 1 of 1 assessor")
    _both_widths(page, axe)
    tab_to(page, f"table a[href='/assessors/{mackay.id}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siobhán MacKay")
    _both_widths(page, axe)

    tab_to(page, f"a[href='/assessors/{mackay.id}/unavailability/add']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a time Siobhán MacKay is unavailable")
    _both_widths(page, axe)
    # An error first: the end before the start
    type_date(page, "starts_on", end)
    type_date(page, "ends_on", start)
    tab_to(page, "button.govuk-button, input.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last day they are unavailable must be the same as or after the first day they are unavailable")
    _both_widths(page, axe)
    for box in ("#starts_on", "#starts_on-month", "#starts_on-year", "#ends_on", "#ends_on-month", "#ends_on-year"):
        page.locator(box).fill("")
    page.locator("#starts_on").focus()
    type_date(page, "starts_on", start)
    type_date(page, "ends_on", end)
    tab_to(page, "#reason")
    page.keyboard.type("Surgery")
    tab_to(page, "button.govuk-button, input.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    period = format_period(start, end)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Siobhán MacKay is unavailable from {period}")
    expect(page.locator("#unavailability + ul")).to_contain_text(f"{format_period(start, end, weekdays=True)}: Surgery")
    expect(page.locator("#history + ol li").first).to_contain_text(f"Recorded as unavailable from {period}")
    _both_widths(page, axe)
    assert any(period in m.body for m in live_server.outbox("siobhan.mackay@test.example"))

    # The other actions' pages and their error states
    page.goto(f"{live_server.url}/assessors/{mackay.id}/status")
    _both_widths(page, axe)
    page.get_by_label("Paused: they are not offered deployments until you resume them").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Siobhán MacKay is paused")
    page.goto(f"{live_server.url}/assessors/{mackay.id}/details")
    _both_widths(page, axe)
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    _both_widths(page, axe)
    unavailability = live_db.session.scalar(db.select(Assessor).filter_by(id=mackay.id)).unavailability[0]
    page.goto(f"{live_server.url}/assessors/{mackay.id}/unavailability/{unavailability.id}/remove")
    _both_widths(page, axe)


def test_an_edited_export_imports_back_updating_one_assessor(page, live_server, live_db, sign_in_as, axe, tmp_path):
    for n in range(3):
        factories.AssessorFactory(name=f"Export Person {n}", email=f"export{n}@test.example")
    live_db.session.commit()
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/assessors?q=export+person")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download these 3 assessors")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    body[1][header.index("Phone")] = "07700 900456"
    edited = tmp_path / "edited.csv"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    edited.write_text(out.getvalue(), encoding="utf-8")

    page.goto(f"{live_server.url}/assessors/import")
    _both_widths(page, axe)
    page.get_by_label("Upload a CSV file").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you import them")
    summary = page.locator(".app-import-summary .govuk-summary-list__row")
    expect(summary).to_have_text([re.compile(r"New assessors\s+0"), re.compile(r"Assessors updated\s+1"),
                                  re.compile(r"Assessors unchanged\s+2")])
    expect(page.get_by_text("phone: 01382 000000 to 07700 900456")).to_be_visible()
    _both_widths(page, axe)
    page.get_by_role("button", name="Import these changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You imported the file: 0 new, 1 updated, 2 unchanged")
    live_db.session.expire_all()
    phones = {a.name: a.phone for a in live_db.session.scalars(db.select(Assessor))}
    assert phones[body[1][header.index("Name")]] == "07700 900456"
    assert sum(p == "07700 900456" for p in phones.values()) == 1

    # an error state of the import: a reference nobody has
    body[0][header.index("Reference")] = "A99999"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    edited.write_text(out.getvalue(), encoding="utf-8")
    page.goto(f"{live_server.url}/assessors/import")
    page.get_by_label("Upload a CSV file").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#row-report")).to_be_visible()
    _both_widths(page, axe)
