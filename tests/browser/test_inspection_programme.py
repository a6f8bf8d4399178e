"""A coordinator adds an inspection through the form (fixing an error on the way) and finds it on
the programme's timeline and table; axe checks every page and error state."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import database_of_its_own

YEAR = 2031       # the added inspection's year: the programme for it shows that inspection alone
EDIT_YEAR = 2032  # the edited one's, so neither test sees the other's inspection, whichever runs first
TITLE = "Joint inspection of services for children and young people in Moray"


# A database of its own: the programme's counts are this module's inspections alone, whatever other
# browser tests put on the shared one, and whenever they run.
live_app, live_server = database_of_its_own("programme")


def test_coordinator_adds_an_inspection_and_sees_it_on_the_programme(page, live_server, sign_in_as, axe):
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/inspections?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Inspection programme {YEAR}")
    axe(page)

    page.get_by_role("button", name="Add an inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an inspection")
    axe(page)

    page.locator("#title").fill(TITLE)
    page.locator("input[name=type][value=children]").check()
    page.get_by_label("Area").select_option(label="Moray")
    page.get_by_label("Education Scotland").check()
    page.locator("#starts_on").fill("24")
    page.locator("#starts_on-month").fill("11")
    page.locator("#starts_on-year").fill(str(YEAR))
    page.locator("#ends_on").fill("5")
    page.locator("#ends_on-month").fill("12")
    page.locator("#ends_on-year").fill(str(YEAR))
    page.locator("#children_count").fill("2")
    page.locator("#children_min").fill("6")
    page.locator("#children_max").fill("5")  # the error to fix: more minimum days than maximum

    page.get_by_role("button", name="Work out days and exclusions").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("worked out the working days")
    # St Andrew's Day falls on a Sunday in 2031: Monday 1 December is the substitute, shown unticked.
    holiday = page.get_by_label("Monday 1 December 2031")
    expect(holiday.first).not_to_be_checked()
    expect(page.get_by_text("Bank holiday: Saint Andrew's Day (observed)")).to_be_visible()
    expect(page.locator("input[name=working_days]:checked")).to_have_count(9)
    expect(page.locator("input[name=excluded_employers]:checked")).to_have_count(2)  # Moray Council, NHS Grampian
    axe(page)

    page.locator("input[name=mandatory_days][value='2031-11-24']").check()
    page.locator("input[name=mandatory_days][value='2031-12-01']").check()  # not a working day: refused
    page.get_by_role("button", name="Save inspection").click()
    expect(page).to_have_title(re.compile(r"^Error: Add an inspection"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Maximum days must be the same as or more than the minimum days (6)")
    expect(summary).to_contain_text("1 December 2031 is not a working day")
    expect(page.locator("#title")).to_have_value(TITLE)  # nothing typed is lost
    axe(page)

    page.locator("#children_max").fill("8")
    page.locator("input[name=mandatory_days][value='2031-12-01']").uncheck()
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("added")
    expect(page.get_by_text("Moray Council")).to_be_visible()
    axe(page)

    page.locator(".govuk-back-link").click()  # back to the programme for the inspection's year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Inspection programme {YEAR}")
    timeline = page.locator("svg.app-timeline__svg")
    expect(timeline.locator("rect.app-timeline__bar--children")).to_have_count(1)
    expect(timeline.locator("rect.app-timeline__seat")).to_have_count(2)
    expect(timeline.locator("rect.app-timeline__seat--filled")).to_have_count(0)
    row = page.locator("#programme-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("Children and young people")
    expect(row).to_contain_text("0 of 2 filled")
    axe(page)

    # Filtering to another type empties the programme; the empty state is accessible too.
    page.get_by_label("Type", exact=True).select_option(label="Justice social work")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text(f"There are no inspections in {YEAR} matching the filters.")).to_be_visible()
    axe(page)


def test_editing_shows_the_saved_days_and_a_conflict_is_accessible(page, live_server, sign_in_as, axe, live_db):
    inspection = factories.InspectionFactory(reference="I9031", starts_on=date(EDIT_YEAR, 3, 3),
                                             ends_on=date(EDIT_YEAR, 3, 14))
    factories.SeatFactory(inspection=inspection)
    live_db.session.commit()
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/inspections/{inspection.id}/edit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit I9031")
    axe(page)
    # A colleague saves first.
    inspection.title = "Renamed by a colleague"
    live_db.session.commit()
    page.locator("#title").fill("My title")
    page.get_by_role("button", name="Save inspection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else saved changes")
    expect(page.locator("#title")).to_have_value("My title")
    axe(page)
