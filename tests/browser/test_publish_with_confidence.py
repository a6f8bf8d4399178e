"""Publish with confidence: the coordinator builds teams, opens Publish, reads the check page (who
is emailed and what each is asked, what changes, what stays unfilled, warnings) and confirms; the
emails sent are the ones the page listed. Saving an inspection that breaks those published teams,
or adding one like it, warns first. axe checks the check page and both warning states."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from scheduler.models import Inspection
from tests import factories as f
from tests.browser.conftest import database_of_its_own

# A database of its own: its inspections' references and the emails it counts are its alone, whatever
# other browser tests left on the shared one.
live_app, live_server = database_of_its_own("publish")


def _next_monday(after: date) -> date:
    return after + timedelta(days=7 - after.weekday())


def _arrange(live_db) -> date:
    """I9501 in Angus starts in about two weeks (short notice): two children's places, and more
    justice places than there are justice assessors. Two Fife assessors whose employer contacts
    are confirmed. (Other browser tests' people share the database: their names sort before these,
    so the name lookups those tests type into are not disturbed.)"""
    start = _next_monday(date.today() + timedelta(days=7))
    i = f.InspectionFactory(reference="I9501", title="Joint inspection of services for children in Angus",
                            starts_on=start, ends_on=start + timedelta(days=11))
    f.SeatFactory(inspection=i, specialism="children", count=2, min_days=4, max_days=6)
    f.SeatFactory(inspection=i, specialism="justice", count=20, min_days=4, max_days=6)
    for n, name in ((1, "Seonaid MacKay"), (2, "Tormod Nairn")):
        a = f.AssessorFactory(reference=f"A0860{n}", name=name, email=f"assessor860{n}@test.example",
                              employer=f.employer("Fife Council"))
        f.AgreementFactory(assessor=a, contact_name=f"Contact {n}", contact_email=f"hr860{n}@test.example",
                           valid_from=date.today(), valid_to=date.today() + timedelta(days=365))
    live_db.session.commit()
    return start


def _count(page, name: str) -> int:
    return int(page.locator(f'#publish-summary [data-count="{name}"]').inner_text())


def test_coordinator_reads_the_check_page_publishes_and_is_warned_before_breaking_the_teams(
        page, live_server, live_db, sign_in_as, axe):
    start = _arrange(live_db)
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/?inspections=I9501")
    expect(page.locator("input[name=inspections][value=I9501]")).to_be_checked()
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")

    # --- the check page --------------------------------------------------------------------
    page.get_by_role("button", name="Check and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before publishing")
    axe(page)
    # The counts equal the lists they summarise.
    added = page.locator("#added tbody tr").count()
    assert _count(page, "added") == added >= 2
    assert _count(page, "emails") == page.locator("#emails li").count() >= 4      # employers and assessors
    assert _count(page, "people") == page.locator("#emails tbody tr").count()
    missing = sum(int(td.get_attribute("data-missing")) for td in page.locator("#unfilled td[data-missing]").all())
    assert _count(page, "unfilled") == missing > 0
    expect(page.locator("#unfilled")).to_contain_text("Justice social work")
    assert _count(page, "warnings") == page.locator("#warnings li").count() >= 1
    expect(page.locator("#warnings")).to_contain_text("less than 4 weeks' notice")
    emails = page.locator("#emails")
    expect(emails).to_contain_text("Contact 1")
    expect(emails).to_contain_text("Asked to confirm or decline releasing Seonaid MacKay (A08601)")
    expect(page.locator("#added")).to_contain_text("Tormod Nairn (A08602)")
    expect(page.locator("#added")).to_contain_text(f"{start:%A} {start.day} {start:%B %Y}")
    listed = sorted((li.get_attribute("data-email"), li.get_attribute("data-subject"))
                    for li in page.locator("#emails li").all())
    before = len(live_server.outbox())

    page.get_by_role("button", name="Publish these teams").click()
    expect(page.get_by_text("Published as plan version")).to_be_visible()
    sent = sorted((m.recipient, m.subject) for m in live_server.outbox()[before:])
    assert sent == listed

    # --- editing the inspection in a way that breaks the published teams ----------------------
    inspection_id = live_db.session.scalar(live_db.select(Inspection.id).filter_by(reference="I9501"))
    page.goto(f"{live_server.url}/inspections/{inspection_id}/edit")
    page.locator("#title").fill("Angus children: fieldwork team")
    page.locator("#children_count").fill("1")
    page.get_by_role("button", name="Save inspection").click()
    banner = page.locator("#save-warnings")
    expect(banner).to_contain_text(re.compile(r"This change breaks \d+ published deployments on I9501"))
    expect(page.locator("#broken-deployments")).to_contain_text("Seonaid MacKay (A08601)")
    expect(page.locator("#title")).to_have_value("Angus children: fieldwork team")     # nothing typed is lost
    expect(page.locator("#replan-link")).to_have_attribute("href", "/teams/?inspections=I9501")
    axe(page)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angus children: fieldwork team")

    # --- adding an inspection like it ---------------------------------------------------------
    page.goto(f"{live_server.url}/inspections/new")
    page.locator("#title").fill("Angus children again")
    page.locator("input[name=type][value=children]").check()
    page.get_by_label("Area").select_option(label="Angus")
    first, last = start + timedelta(days=2), start + timedelta(days=9)      # Wednesday to the next Thursday
    for field, value in (("#starts_on", first.day), ("#starts_on-month", first.month), ("#starts_on-year", first.year),
                         ("#ends_on", last.day), ("#ends_on-month", last.month), ("#ends_on-year", last.year)):
        page.locator(field).fill(str(value))
    page.locator("#children_count").fill("1")
    page.locator("#children_min").fill("4")
    page.locator("#children_max").fill("6")
    page.get_by_role("button", name="Work out days and exclusions").click()
    page.get_by_role("button", name="Save inspection").click()
    expect(page.locator("#alike-inspections")).to_contain_text("I9501: Angus children: fieldwork team")
    expect(page.locator("#title")).to_have_value("Angus children again")
    axe(page)
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angus children again")
    assert re.search(r"/inspections/\d+$", page.url)
