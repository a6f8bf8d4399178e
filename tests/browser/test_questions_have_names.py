"""What a screen reader announces: on the add-unavailability page, the deployment answer page and the
specialisms page, each group of inputs is a group whose accessible name is its question (the
legend), read from Chromium's accessibility tree (Playwright's ARIA snapshot), in the error state
too. Without a legend the group has no name and a screen reader says only "Day", "Yes" or "Children"."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from scheduler.extensions import db
from scheduler.models import User
from tests import factories

GROUP = re.compile(r'^(?P<indent>\s*)- group "(?P<name>[^"]*)"')
CONTROL = re.compile(r'^\s*- (?P<role>textbox|radio|checkbox) "(?P<name>[^"]*)"')


def groups(page) -> dict[str, list[tuple[str, str]]]:
    """Each named group in the main form's accessibility tree, with the controls inside it."""
    found: dict[str, list[tuple[str, str]]] = {}
    current, depth = None, -1
    for line in page.locator("main form").first.aria_snapshot().splitlines():
        indent = len(line) - len(line.lstrip())
        if current is not None and indent <= depth:
            current = None
        if match := GROUP.match(line):
            current, depth = match["name"], indent
            found[current] = []
        elif current is not None and (control := CONTROL.match(line)):
            found[current].append((control["role"], control["name"]))
    return found


def test_each_question_is_the_name_of_its_group(page, live_server, live_db, sign_in_as, axe):
    email = sign_in_as(page, "assessor")
    user = live_db.session.scalar(db.select(User).filter_by(email=email))
    me = factories.AssessorFactory(user=user, name="Ailsa Reader", email="ailsa.reader@test.example",
                                   holds_children=True, holds_adults=False, holds_justice=False)
    inspection = factories.InspectionFactory(title="Joint inspection of services for children in Fife",
                                             starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    deployment = factories.DeploymentFactory(assessor=me, inspection=inspection)
    live_db.session.commit()

    page.goto(f"{live_server.url}/my/availability/add")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a time you are unavailable")
    dates = [("textbox", "Day"), ("textbox", "Month"), ("textbox", "Year")]
    assert groups(page) == {"When is the first day you are unavailable?": dates,
                            "When is the last day you are unavailable?": dates}
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the first day you are unavailable")
    assert list(groups(page)) == ["When is the first day you are unavailable?",
                                  "When is the last day you are unavailable?"]
    group = page.get_by_role("group", name="When is the first day you are unavailable?")
    expect(group).to_have_accessible_description(re.compile("Enter the first day you are unavailable"))
    axe(page)

    page.goto(f"{live_server.url}/my/deployments/{deployment.id}")
    assert groups(page) == {"Can you do this deployment?": [("radio", "Yes, I accept it"),
                                                            ("radio", "No, I have to decline it")]}
    axe(page)

    page.goto(f"{live_server.url}/my/profile/specialisms")
    assert groups(page) == {"Which specialisms do you hold?": [
        ("checkbox", "Children and young people"), ("checkbox", "Adults and older people"),
        ("checkbox", "Justice social work")]}
    axe(page)
