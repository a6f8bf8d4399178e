"""Keeping a team filled, by keyboard where a person would use it: an employer declines through the
emailed link; the coordinator's home shows the declined seat; the coordinator opens the seat, offers
it to the top candidate, and that assessor's employer confirms through their link. axe checks every
page on the way."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from scheduler.deployments import status
from scheduler.extensions import db
from scheduler.models import Deployment
from tests import factories as f
from tests.browser.conftest import database_of_its_own
from tests.browser.keyboard import tab_to

# A database of its own: the candidates are exactly the assessors this test makes, not those other browser
# tests left on the shared one.
live_app, live_server = database_of_its_own("refill")


def _assessor(reference: str, name: str, contact: str, **kw):
    a = f.AssessorFactory(reference=reference, name=name, **kw)
    f.AgreementFactory(assessor=a, contact_email=contact)
    return a


def test_a_declined_seat_is_offered_to_the_top_candidate_and_confirmed(
        page, browser, live_server, live_db, sign_in_as, axe, employer_confirms):
    inspection = f.InspectionFactory(reference="I0701", title="Joint inspection of services for children in Angus")
    f.SeatFactory(inspection=inspection, count=1)
    morag = _assessor("A07001", "Morag Refill", "hr.morag@test.example")
    _assessor("A07002", "Ewan Refill", "hr.ewan@test.example")
    _assessor("A07003", "Fiona Refill", "hr.fiona@test.example", home_area=f.area("angus"),
              employer=f.employer("Angus Council"))
    with live_server.app.test_request_context(base_url=live_server.url):
        status.propose(status.new_deployment(morag, inspection, "children"), inspection.working_days[:5])
    live_db.session.commit()

    # --- Morag's employer declines through the emailed link (no account, a browser of their own)
    employer = browser.new_context().new_page()
    request = [m for m in live_server.outbox("hr.morag@test.example") if m.subject.startswith("Please confirm")][-1]
    employer.goto(re.search(r"https?://\S+", request.body).group(0))
    expect(employer.get_by_role("heading", level=1)).to_contain_text("release for an inspection")
    axe(employer)
    tab_to(employer, "input[name='decision']")
    employer.keyboard.press("ArrowDown")          # the second answer: they cannot release her
    expect(employer.locator("input[value='decline']")).to_be_checked()
    tab_to(employer, "#decline_reason")
    employer.keyboard.type("Our inspection readiness week clashes")
    tab_to(employer, "button.govuk-button, input.govuk-button")
    employer.keyboard.press("Enter")
    expect(employer.get_by_role("heading", level=1)).to_have_text("Thank you: your answer has been sent")
    axe(employer)

    # --- the coordinator's home shows the declined seat; they open it
    sign_in_as(page, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you")
    expect(page.locator("#declined")).to_have_text("1 declined deployment to refill")
    row = page.locator("#declined + .app-table-scroll table tbody tr")
    expect(row).to_contain_text("Morag Refill")
    expect(row).to_contain_text("Employer declined: Our inspection readiness week clashes")
    axe(page)
    tab_to(page, "#declined + .app-table-scroll table a[href='/teams/seats/I0701/children']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("I0701 Children and young people seat")
    expect(page.locator("#declined + ul")).to_contain_text("Morag Refill (A07001): their employer declined")
    axe(page)

    # --- the top candidate is Ewan (Fiona lives in Angus); the coordinator offers it to him
    expect(page.locator("tbody tr").first.locator("th")).to_have_text("Ewan Refill (A07002)")
    expect(page.get_by_role("button", name=re.compile("Offer to this assessor"))).to_have_count(1)
    tab_to(page, "form[action='/teams/seats/I0701/children/offer'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Offered to Ewan Refill (A07002): 5 days from 1 March 2027. We have asked Fife Council to confirm "
        "their release")
    expect(page.get_by_role("button", name=re.compile("Offer to this assessor"))).to_have_count(0)
    axe(page)

    # --- Ewan's employer confirms through their link
    employer_confirms(employer, "hr.ewan@test.example")
    live_db.session.expire_all()
    ewan = live_db.session.scalar(db.select(Deployment).join(Deployment.assessor).filter_by(reference="A07002"))
    assert (ewan.status, ewan.days[0], ewan.day_count) == ("employer_confirmed", date(2027, 3, 1).isoformat(), 5)
    page.goto(f"{live_server.url}/dashboard")
    expect(page.locator("#declined")).to_have_text("0 declined deployments to refill")
