"""The coordinator's main job: build teams, read why a seat is unfilled, pin, publish; the
employer confirms through the emailed link. axe checks every page."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests import factories as f


def _arrange(live_db):
    fife = f.employer("Fife Council")
    i1 = f.InspectionFactory(reference="I9101", starts_on=date(2028, 6, 5), ends_on=date(2028, 6, 16),
                             title="Joint inspection of services for children in Angus")
    f.SeatFactory(inspection=i1, specialism="children", count=2, min_days=4, max_days=6)
    i2 = f.InspectionFactory(reference="I9102", area=f.area("highland"), type="justice",
                             starts_on=date(2028, 6, 19), ends_on=date(2028, 6, 30),
                             title="Inspection of justice social work in Highland")
    f.SeatFactory(inspection=i2, specialism="justice", count=1, min_days=4, max_days=6)
    for n in (1, 2, 3):
        a = f.AssessorFactory(reference=f"A0910{n}", employer=fife, email=f"assessor910{n}@test.example")
        f.AgreementFactory(assessor=a, contact_email=f"hr910{n}@test.example", valid_from=date(2028, 1, 1),
                           valid_to=date(2028, 12, 31))
    live_db.session.commit()


def test_coordinator_builds_pins_publishes_and_the_employer_confirms(page, live_server, live_db, sign_in_as, axe,
                                                                    employer_confirms):
    _arrange(live_db)
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team builder")
    axe(page)

    # Choose what to plan and build
    page.locator("input[name=inspections][value=I9101]").check()
    page.locator("input[name=inspections][value=I9102]").check()
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")
    expect(page.get_by_text("Best possible team: proven optimal")).to_be_visible()
    axe(page)

    # Why is the justice seat unfilled?
    expect(page.locator("#unfilled-places")).to_contain_text("I9102: 1 justice social work place unfilled")
    page.get_by_role("link", name="Who could take it for the justice social work place on I9102").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I9102 Justice social work seat")
    axe(page)
    why = page.get_by_label("Assessor's name or reference")
    why.press_sequentially("A09101")
    expect(page.get_by_role("option", name=re.compile(r"\(A09101\)"))).to_be_visible()
    page.keyboard.press("ArrowDown")  # to the suggestion, then pick it, as a keyboard user does
    page.keyboard.press("Enter")
    expect(why).to_have_value(re.compile(r"\(A09101\)$"))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#why-not-answer")).to_contain_text("rule 1 (specialism)")
    axe(page)
    page.get_by_role("link", name="Back to the teams").click()

    # Pin one assessor, then publish
    pin = page.get_by_role("button", name=re.compile(r"^Pin .*\(A0910\d\) on I9101"))
    expect(pin.first).to_be_visible()
    pinned_label = pin.first.inner_text()
    pinned_ref = re.search(r"A0910\d", pinned_label).group(0)
    pin.first.click()
    expect(page.get_by_text(f"{pinned_ref} is pinned on I9101.")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Check and publish").click()   # the check page first
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before publishing")
    page.get_by_role("button", name="Publish these teams").click()
    expect(page.get_by_text("Published as plan version")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published plan version")
    axe(page)

    # The employer confirms through the emailed link
    contact = f"hr{pinned_ref[2:].lstrip('0')}@test.example"
    employer_confirms(page, contact)

    # The coordinator sees it confirmed and pinned among the published teams
    page.goto(f"{live_server.url}/teams/published")
    row = page.get_by_role("row", name=re.compile(f"I9101.*{pinned_ref}"))
    expect(row).to_contain_text("Employer confirmed")
    expect(row).to_contain_text("Pinned")
    axe(page)
