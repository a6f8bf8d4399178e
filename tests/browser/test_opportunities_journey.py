"""Issue 15, the first slice: an assessor says which inspections they would like to join and one
they would rather not; the coordinator builds teams and reads how the build met those wishes, in
words with figures. axe checks /my/opportunities at desktop width and at 375 px."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from scheduler.models import Area, SolveRun
from tests import factories as f
from tests.browser.conftest import database_of_its_own

# A database of its own: the inspections offered are exactly those this test makes.
live_app, live_server = database_of_its_own("opportunities")

YEAR = 2035
TITLES = {"I9501": "Joint inspection of services for children in Angus, spring",
          "I9502": "Joint inspection of services for children in Moray, summer",
          "I9503": "Joint inspection of services for children in Highland, autumn"}


def _arrange(live_db):
    fife = f.employer("Fife Council")
    user = f.UserFactory(role="assessor", email="kenna.opportunities@test.example")
    kenna = f.AssessorFactory(reference="A09501", name="Kenna Opportunities", user=user, employer=fife,
                              email="kenna.opportunities@test.example")
    other = f.AssessorFactory(reference="A09502", name="Lewis Opportunities", employer=fife,
                              email="lewis.opportunities@test.example")
    for a in (kenna, other):
        f.AgreementFactory(assessor=a, contact_email=f"hr.{a.reference}@test.example",
                           valid_from=date(YEAR, 1, 1), valid_to=date(YEAR, 12, 31))
    for (ref, title), area, month in zip(TITLES.items(), ("angus", "moray", "highland"), (3, 6, 9)):
        i = f.InspectionFactory(reference=ref, title=title, area=f.area(area), starts_on=date(YEAR, month, 5),
                                ends_on=date(YEAR, month, 16))
        f.SeatFactory(inspection=i, specialism="children", count=1, min_days=4, max_days=6)
    live_db.session.commit()
    return user.email


def _choose(page, axe, title: str, answer: str) -> None:
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    axe(page)
    page.get_by_role("group", name="Would you like to join this inspection?").get_by_label(answer).check()
    if answer == "I'd like to join":
        page.get_by_label("Note (optional)").fill("I know this partnership's work")
    page.get_by_role("button", name="Save your choice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspections you could join")


def test_an_assessor_states_wishes_and_the_build_reports_them(page, live_server, live_db, sign_in_as, axe):
    email = _arrange(live_db)
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile("Inspections you could join")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspections you could join")
    axe(page)
    page.set_viewport_size({"width": 375, "height": 800})
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    _choose(page, axe, TITLES["I9501"], "I'd like to join")
    _choose(page, axe, TITLES["I9502"], "I'd like to join")
    _choose(page, axe, TITLES["I9503"], "I'd rather not")
    row = page.get_by_role("row", name=re.compile(TITLES["I9503"]))
    expect(row).to_contain_text("I'd rather not")
    axe(page)
    page.set_viewport_size({"width": 375, "height": 800})
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.context.clear_cookies()
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/")
    for ref in TITLES:
        page.locator(f"input[name=inspections][value={ref}]").check()
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")
    axe(page)

    run = live_db.session.scalar(live_db.select(SolveRun).order_by(SolveRun.id.desc()).limit(1))
    deployed = {(d["assessor"], d["inspection"]) for d in run.plan["deployments"]}
    placed = int(bool(deployed & {("A09501", "I9501"), ("A09501", "I9502")}))
    areas = live_db.session.scalar(live_db.select(live_db.func.count()).select_from(Area))
    unwanted = ("no one was placed where they'd rather not be" if ("A09501", "I9503") not in deployed
                else "1 deployment is where the assessor said they'd rather not be")
    expect(page.get_by_text(f"{placed} of 1 assessors who asked were placed on an inspection they wanted; "
                            f"{unwanted}; 1 of {areas} council areas send an assessor.")).to_be_visible()
