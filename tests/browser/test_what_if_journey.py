"""What if: the coordinator builds teams, builds a variant with a mandatory day moved (first
mistyping the new date: the error names the field and keeps what was typed), reads that the variant
cannot be published, compares the two builds (every count equal to the list below it), and
publishes the original. axe checks the variant form, its error state, the variant and the
comparison."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from scheduler.formatting import long_date
from tests import factories as f
from tests.browser.conftest import database_of_its_own

# A database of its own: its builds and the plan version it publishes are its alone.
live_app, live_server = database_of_its_own("what-if")


def _arrange(live_db) -> date:
    """I9601 in Angus, two weeks of days from a Monday about two months ahead, its first day
    mandatory; two children's places of 4 to 6 days; three Fife assessors with agreements."""
    start = date.today() + timedelta(days=60)
    start += timedelta(days=-start.weekday())
    i = f.InspectionFactory(reference="I9601", title="Joint inspection of services for children in Angus",
                            starts_on=start, ends_on=start + timedelta(days=11))
    f.SeatFactory(inspection=i, specialism="children", count=2, min_days=4, max_days=6)
    for n, name in ((1, "Catriona Baird"), (2, "Lachlan Munro"), (3, "Morven Shaw")):
        a = f.AssessorFactory(reference=f"A0870{n}", name=name, email=f"assessor870{n}@test.example",
                              employer=f.employer("Fife Council"))
        f.AgreementFactory(assessor=a, contact_name=f"Contact {n}", contact_email=f"hr870{n}@test.example",
                           valid_from=date.today(), valid_to=date.today() + timedelta(days=365))
    live_db.session.commit()
    return start


def _fill_date(page, field: str, day: date) -> None:
    for suffix, value in (("", day.day), ("-month", day.month), ("-year", day.year)):
        page.locator(f"#{field}{suffix}").fill(str(value))


def _count(page, name: str) -> int:
    return int(page.locator(f'[data-count="{name}"]').inner_text())


def _rows(page, table: str) -> int:
    return page.locator(f"#{table} tbody tr").count()


def test_coordinator_builds_a_variant_with_a_mandatory_day_moved_compares_it_and_publishes_the_original(
        page, live_server, live_db, sign_in_as, axe):
    start = _arrange(live_db)
    moved_to = start + timedelta(days=2)            # the Wednesday
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/?inspections=I9601")
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built", timeout=30_000)
    original = re.search(r"/teams/runs/(\d+)", page.url).group(1)

    # --- the variant form, first with a date that is not one of the inspection's days -------
    page.get_by_role("link", name="Build a variant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Build a variant of build {original}")
    axe(page)
    page.get_by_label("Mandatory day to move or drop").select_option(label=f"I9601: {long_date(start)}")
    page.get_by_label("It moves to another day of the inspection").check()
    _fill_date(page, "new_day", start + timedelta(days=5))          # the Saturday
    page.get_by_role("button", name="Build the variant").click()
    expect(page).to_have_title(re.compile(r"^Error: Build a variant"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The new date must be one of I9601's days")
    expect(page.locator("#new_day")).to_have_value(str((start + timedelta(days=5)).day))     # kept as typed
    expect(page.get_by_label("It moves to another day of the inspection")).to_be_checked()
    axe(page)
    _fill_date(page, "new_day", moved_to)
    page.get_by_role("button", name="Build the variant").click()

    # --- the variant says what it is and offers no publishing ---------------------------------
    expect(page.get_by_role("heading", level=1)).to_contain_text("Variant: teams built", timeout=30_000)
    variant = re.search(r"/teams/runs/(\d+)", page.url).group(1)
    notice = page.locator("#variant-notice")
    expect(notice).to_contain_text(f"is a variant of build {original}: what-if teams that cannot be published")
    expect(notice).to_contain_text(f"the mandatory day {long_date(start)} moves to {long_date(moved_to)}")
    expect(page.get_by_role("button", name="Check and publish")).to_have_count(0)
    expect(page.get_by_role("link", name="Check and publish")).to_have_count(0)
    axe(page)

    # --- the comparison ------------------------------------------------------------------------
    page.get_by_role("link", name="Compare with another build").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Compare build {variant} with another build")
    expect(page.locator("#variant-notice")).to_be_visible()
    page.get_by_label("Compare with").select_option(value=original)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#aims")).to_contain_text("Seats filled")
    axe(page)
    assert _count(page, "only-0") == (_rows(page, "only-0") if page.locator("#only-0").count() else 0)
    assert _count(page, "only-1") == (_rows(page, "only-1") if page.locator("#only-1").count() else 0)
    assert _count(page, "changed") == (_rows(page, "changed") if page.locator("#changed").count() else 0)
    filled = page.locator("#seats tbody td:nth-of-type(1)")
    assert _count(page, "filled-a") == sum(int(td.get_attribute("data-filled")) for td in filled.all()) == 2
    assert _count(page, "changed") + _count(page, "same") + _count(page, "only-0") == 2

    # --- publish the original -------------------------------------------------------------------
    page.get_by_role("link", name=f"build {original}", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")
    expect(page.locator("#variant-notice")).to_have_count(0)
    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before publishing")
    page.get_by_role("button", name="Publish these teams").click()
    expect(page.get_by_text("Published as plan version")).to_be_visible()
    assert page.url.endswith(f"/teams/runs/{original}")
