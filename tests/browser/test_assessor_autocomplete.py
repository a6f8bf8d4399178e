"""The name-or-reference autocomplete answers asynchronously. An answer that arrives after the
coordinator has picked a suggestion must not reopen the list over the "Check" button: the next
click would land on an option and nothing would be checked (CI saw exactly that, once)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from scheduler.extensions import db
from tests import factories as f
from tests.browser.conftest import database_of_its_own

live_app, live_server = database_of_its_own("autocomplete")


@pytest.fixture(scope="module", autouse=True)
def _arrange(live_app) -> None:
    """One justice seat on I9701 and only children's assessors, so the seat stays unfilled."""
    with live_app.app_context():
        f.bind(db.session)
        _add_people()
        db.session.commit()
        db.session.remove()


def _add_people() -> None:
    i = f.InspectionFactory(reference="I9701", area=f.area("highland"), type="justice",
                            starts_on=date(2028, 6, 19), ends_on=date(2028, 6, 30),
                            title="Inspection of justice social work in Highland")
    f.SeatFactory(inspection=i, specialism="justice", count=1, min_days=4, max_days=6)
    for n in (1, 2):
        a = f.AssessorFactory(reference=f"A0970{n}", employer=f.employer("Fife Council"),
                              email=f"assessor970{n}@test.example")
        f.AgreementFactory(assessor=a, contact_email=f"hr970{n}@test.example", valid_from=date(2028, 1, 1),
                           valid_to=date(2028, 12, 31))


def _one_held(page, held: list) -> None:
    """The held request has reached this test: route handlers run while Playwright is waiting, so the
    request may be held in the browser a moment before the list here has it."""
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1


def _build(page, live_server, sign_in_as) -> None:
    sign_in_as(page, "coordinator")
    page.goto(f"{live_server.url}/teams/")
    page.locator("input[name=inspections][value=I9701]").check()
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")


def _open_the_unfilled_seat(page) -> None:
    page.get_by_role("link", name=re.compile("justice social work seat of I9701")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I9701 Justice social work seat")


def test_a_late_suggestion_answer_never_covers_the_check_button(page, live_server, sign_in_as):
    _build(page, live_server, sign_in_as)
    _open_the_unfilled_seat(page)

    # The answer to the last keystroke is held back until after the choice is made.
    held = []
    page.route(re.compile(r"suggestions\.json\?q=A09701$"), lambda route: held.append(route))
    why = page.get_by_role("combobox", name="Assessor's name or reference")  # once the script has run
    why.press_sequentially("A0970")
    expect(page.get_by_role("option", name=re.compile(r"\(A09701\)"))).to_be_visible()
    why.press_sequentially("1")  # the list still shows the answer for "A0970"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(why).to_have_value(re.compile(r"\(A09701\)$"))
    expect(page.get_by_role("listbox")).to_be_hidden()

    _one_held(page, held)
    with page.expect_response(re.compile(r"suggestions\.json\?q=A09701$")):
        held[0].continue_()
    page.wait_for_function("() => new Promise((done) => setTimeout(() => done(true), 200))")
    expect(page.get_by_role("listbox")).to_be_hidden()  # the late answer is dropped

    page.get_by_role("button", name="Check").click()
    expect(page.locator("#why-not-answer")).to_contain_text("rule 1 (specialism)")


def test_what_was_typed_before_the_script_ran_stays_and_keeps_focus(page, live_server, sign_in_as):
    _build(page, live_server, sign_in_as)
    held = []
    page.route(re.compile(r"assessor-autocomplete\.js$"), lambda route: held.append(route))
    _open_the_unfilled_seat(page)
    page.get_by_label("Assessor's name or reference").press_sequentially("A0970")  # the plain input
    _one_held(page, held)
    held[0].continue_()
    why = page.get_by_role("combobox", name="Assessor's name or reference")
    expect(why).to_have_value("A0970")
    expect(why).to_be_focused()
    expect(page.get_by_role("option")).to_have_count(2)      # what was typed is searched for at once
    page.wait_for_function("() => document.activeElement.selectionStart === 5")  # the caret at the end
    page.keyboard.type("1")  # typing goes on where it left off
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option", name=re.compile(r"\(A09701\)"))).to_be_visible()


def test_check_can_be_clicked_while_the_suggestions_are_showing(page, live_server, sign_in_as):
    """The list sits in the page's flow: closing it as the input loses focus moved the button up
    between mouse down and mouse up, so the click missed it and nothing was checked."""
    _build(page, live_server, sign_in_as)
    _open_the_unfilled_seat(page)
    why = page.get_by_role("combobox", name="Assessor's name or reference")
    why.press_sequentially("A09701")
    expect(page.get_by_role("option", name=re.compile(r"\(A09701\)"))).to_be_visible()
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#why-not-answer")).to_contain_text("rule 1 (specialism)")
