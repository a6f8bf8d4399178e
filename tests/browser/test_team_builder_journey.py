"""Issue 5, end to end in one journey: a coordinator adds an inspection through the form, builds
teams and watches the solve's progress, reads why a seat is unfilled, pins an assessor and
publishes; the employer confirms through the emailed link; the assessor finds the deployment in
their calendar feed and declines another, proposed deployment with a reason; the coordinator
re-plans and only that seat changes. axe checks every page.

The test has its own live server and database, so the only published deployments that must
change are the ones it makes. Solves run in a background thread there (as in production without
Redis), not inline in the request; each is held open after the solver has finished until the test
has looked at the progress page, so "watching" is deterministic and the progress shown is the
solver's own."""
from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

import solver
from scheduler.models import SolveRun, utcnow
from tests import factories as f
from tests.browser.conftest import database_of_its_own

YEAR = 2033
TITLE = "Joint inspection of services for children and young people in Moray"
REPLAN_TITLE = "Inspection of justice social work in Highland"
SOLVE_TIMEOUT = 30_000  # ms


# Overrides the shared app for this module: a database of its own, background solves.
live_app, live_server = database_of_its_own("journey", SOLVE_INLINE=False, SOLVE_HEARTBEAT_SECONDS=0.2)


@pytest.fixture()
def held_solves(monkeypatch):
    """Each solve waits, after the solver returns, until the test sets the returned event."""
    release = threading.Event()
    real_solve = solver.solve

    def held_solve(*args, **kwargs):
        plan = real_solve(*args, **kwargs)
        release.wait(timeout=SOLVE_TIMEOUT / 1000)
        return plan

    monkeypatch.setattr(solver, "solve", held_solve)
    yield release
    release.set()


def _arrange(live_db):
    """Four assessors with agreements for YEAR, one of them (Kirsty) with a sign-in; a justice
    inspection published earlier with Kirsty and Quinn proposed on it."""
    fife = f.employer("Fife Council")
    agreed = {"valid_from": date(YEAR, 1, 1), "valid_to": date(YEAR, 12, 31)}
    user = f.UserFactory(role="assessor", email="kirsty.journey@test.example")
    kirsty = f.AssessorFactory(reference="A09331", name="Kirsty Journey", user=user, employer=fife,
                               email="kirsty.journey@test.example", holds_children=True, holds_justice=True)
    peter = f.AssessorFactory(reference="A09332", name="Peter Journey", employer=fife, holds_children=True)
    quinn = f.AssessorFactory(reference="A09333", name="Quinn Journey", employer=fife,
                              holds_children=False, holds_justice=True)
    rhona = f.AssessorFactory(reference="A09334", name="Rhona Journey", employer=fife,
                              holds_children=False, holds_justice=True)
    for a in (kirsty, peter, quinn, rhona):
        f.AgreementFactory(assessor=a, contact_email=f"hr.{a.name.split()[0].lower()}@test.example", **agreed)
    justice = f.InspectionFactory(reference="I9331", area=f.area("highland"), type="justice",
                                  starts_on=date(YEAR, 6, 6), ends_on=date(YEAR, 6, 17), title=REPLAN_TITLE)
    f.SeatFactory(inspection=justice, specialism="justice", count=2, min_days=4, max_days=6)
    # Published as plan version 1 puts them: one plan, in assessor order, the seat's maximum days.
    earlier = SolveRun(status="finished", scope={"references": ["I9331"]}, version=1, published_at=utcnow())
    live_db.session.add(earlier)
    for a in (kirsty, quinn):
        f.DeploymentFactory(assessor=a, inspection=justice, specialism="justice", day_count=6, plan=earlier)
    live_db.session.commit()
    return user.email


def _date(page, field: str, d: date) -> None:
    page.locator(f"#{field}").fill(str(d.day))
    page.locator(f"#{field}-month").fill(str(d.month))
    page.locator(f"#{field}-year").fill(str(d.year))


def _sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_coordinator_plans_publishes_and_replans_only_the_seat_an_assessor_declined(
        page, live_server, live_db, sign_in_as, axe, held_solves, employer_confirms):
    release = held_solves
    kirsty_email = _arrange(live_db)

    # --- The coordinator adds the inspection through the form --------------------------------
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/inspections?year={YEAR}")
    axe(page)
    page.get_by_role("button", name="Add an inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an inspection")
    axe(page)
    page.locator("#title").fill(TITLE)
    page.locator("input[name=type][value=children]").check()
    page.get_by_label("Area").select_option(label="Moray")
    _date(page, "starts_on", date(YEAR, 3, 7))
    _date(page, "ends_on", date(YEAR, 3, 18))
    page.locator("#children_count").fill("3")  # only two assessors hold children: one place stays empty
    page.locator("#children_min").fill("4")
    page.locator("#children_max").fill("6")
    page.get_by_role("button", name="Work out days and exclusions").click()
    expect(page.locator("input[name=working_days]:checked")).to_have_count(10)
    axe(page)
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    added = page.locator(".govuk-notification-banner").inner_text()
    ref = re.search(r"\bI\d{4}\b", added).group(0)
    axe(page)

    # --- Build teams and watch the solve -----------------------------------------------------
    page.goto(f"{live_server.url}/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team builder")
    # the earlier plan is sound: nothing to re-plan yet
    expect(page.get_by_text("Published deployments that must change")).to_have_count(0)
    axe(page)
    page.locator(f"input[name=inspections][value={ref}]").check()
    page.get_by_role("button", name="Build teams").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("^(Teams queued to be built|Building teams)$"))
    status = page.locator("#solve-status [data-field=status]")
    expect(status).to_have_text("Running", timeout=SOLVE_TIMEOUT)  # the poller updates it
    events = page.locator("#solve-progress-table tbody tr")
    expect(events.first).to_be_visible(timeout=SOLVE_TIMEOUT)     # the solver's improvements so far
    expect(events.filter(has_text="Seats filled")).not_to_have_count(0)
    page.get_by_role("link", name="Refresh").click()                 # without JavaScript: same page
    expect(page.get_by_role("heading", level=1)).to_have_text("Building teams")
    expect(page.locator("#solve-progress-table tbody tr").first).to_be_visible()
    expect(page.get_by_role("button", name="Cancel")).to_be_visible()
    axe(page)
    release.set()  # the solve finishes; the poller loads the result
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built", timeout=SOLVE_TIMEOUT)
    expect(page.get_by_text("Best possible team: proven optimal")).to_be_visible()
    # Kirsty and Peter, new on the new inspection: counted in the summary, no table of additions
    expect(page.locator(".govuk-summary-list__row", has_text="Changes to the published teams")).to_contain_text(
        "2 new deployments: nothing is published for these inspections yet")
    expect(page.get_by_text("Changes this plan makes")).to_have_count(0)
    axe(page)

    # --- Why is a children's place unfilled? -------------------------------------------------
    expect(page.locator("#unfilled-places")).to_contain_text(f"{ref}: 1 children and young people place unfilled")
    page.get_by_role("link", name=f"Who could take it for the children and young people place on {ref}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ref} Children and young people seat")
    axe(page)
    # typed as a coordinator would: the suggestion picked from the autocomplete, then Check
    page.get_by_role("combobox", name="Assessor's name or reference").fill("A09334")
    page.get_by_role("option", name=re.compile(r"\(A09334\)")).click()
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#why-not-answer")).to_contain_text("rule 1 (specialism)")
    axe(page)
    page.get_by_role("link", name="Back to the teams").click()

    # --- Pin Kirsty and publish --------------------------------------------------------------
    page.get_by_role("button", name=f"Pin Kirsty Journey (A09331) on {ref}").click()
    expect(page.get_by_text(f"A09331 is pinned on {ref}.")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Check and publish").click()   # the check page first
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before publishing")
    page.get_by_role("button", name="Publish these teams").click()
    expect(page.get_by_text("Published as plan version")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published plan version")
    axe(page)

    # --- Kirsty's employer confirms through the emailed link ---------------------------------
    requests = [m for m in live_server.outbox("hr.kirsty@test.example") if m.subject.startswith("Please confirm")]
    assert len(requests) == 1, [m.subject for m in requests]
    employer_confirms(page, "hr.kirsty@test.example")

    # --- Kirsty finds it in her calendar feed ------------------------------------------------
    page.goto(f"{live_server.url}/teams/")
    _sign_out(page)
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Email address").fill(kirsty_email)
    page.get_by_label("Password", exact=True).fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/my")
    expect(page.get_by_role("heading", level=1)).to_have_text("My deployments")
    axe(page)
    feed_url = page.get_by_label("Your private calendar link").input_value()
    response = page.request.get(feed_url)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    summaries = {str(e["summary"]): e for e in Calendar.from_ical(response.body()).walk("VEVENT")}
    assert set(summaries) == {f"{TITLE} (confirmed)", f"{REPLAN_TITLE} (proposed)"}
    confirmed = summaries[f"{TITLE} (confirmed)"]
    assert str(confirmed["status"]) == "CONFIRMED" and f"Inspection {ref}" in str(confirmed["description"])
    assert date(YEAR, 3, 7) <= confirmed.decoded("dtstart") <= date(YEAR, 3, 18)

    # --- ... and declines the proposed justice deployment, with a reason ---------------------
    page.get_by_role("link", name=re.compile(REPLAN_TITLE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REPLAN_TITLE)
    axe(page)
    page.get_by_label("No, I have to decline it").check()
    page.get_by_role("button", name="Send", exact=True).click()   # without a reason first: refused
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you cannot do this deployment")
    axe(page)
    page.get_by_label("If you are declining, tell us why").fill("I am on jury service that fortnight.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You declined the deployment on {REPLAN_TITLE}")
    axe(page)
    _sign_out(page)

    # --- The coordinator re-plans: only the declined seat changes ----------------------------
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team builder")
    flagged = page.locator("table", has=page.get_by_text("Deployments that must change")).locator("tbody tr")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("I9331")
    expect(flagged).to_contain_text("Kirsty Journey (A09331)")
    expect(flagged).to_contain_text("the assessor declined the deployment")
    axe(page)
    page.get_by_role("button", name="Re-plan the affected inspections").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built", timeout=SOLVE_TIMEOUT)
    expect(page.locator(".govuk-caption-l")).to_contain_text("Inspections I9331")
    changes = page.locator("table", has=page.get_by_text("Changes this plan makes")).locator("tbody tr")
    expect(changes).to_have_count(1)   # Quinn kept, Kirsty already out: Rhona takes her place
    expect(changes.locator("td")).to_have_text(["Added", "I9331", "Rhona Journey (A09334)",
                                                re.compile(r"days, .* 2033$")])
    seat = page.locator("table", has=page.get_by_text("Justice social work: 2 of 2 filled"))
    expect(seat.locator("tbody th")).to_have_text(["Quinn Journey (A09333)", "Rhona Journey (A09334)"])
    axe(page)
