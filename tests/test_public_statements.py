"""The privacy notice and the accessibility statement tell the truth about the service as built:
who sees what (checked by trying each role), how to reach the team (the configured contact), how to
ask for another format, the enforcement procedure, the dates they were prepared and reviewed, and
what is not yet accessible."""
from __future__ import annotations

import pytest

from scheduler.models import Role
from scheduler.public import statements
from tests.factories import NotificationFactory


def _text(page) -> str:
    return " ".join(page.soup.main.get_text(" ").split())


def _section(page, title: str) -> str:
    heading = page.soup.find("h2", string=title)
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("path", ["/privacy", "/accessibility"])
def test_each_statement_gives_the_configured_contact_and_follows_it_when_it_changes(app, client, db, path):
    page = client.get(path)
    assert page.soup.select_one("main a[href='mailto:associate.assessors@test.example']")
    assert "phone 0131 496 0000 (Monday to Friday, 9am to 5pm)" in _text(page)
    saved = app.config["CONTACT_EMAIL"], app.config["CONTACT_PHONE"]
    app.config.update(CONTACT_EMAIL="team@elsewhere.example", CONTACT_PHONE=None)
    try:
        moved = client.get(path)
        assert moved.soup.select_one("main a[href='mailto:team@elsewhere.example']")
        assert "associate.assessors@test.example" not in moved.get_data(as_text=True)
        assert "phone" not in _text(moved).split("team@elsewhere.example")[1][:20]
    finally:
        app.config.update(CONTACT_EMAIL=saved[0], CONTACT_PHONE=saved[1])


def test_the_accessibility_statement_has_every_part_a_public_body_must_publish(client, db):
    page = client.get("/accessibility")
    headings = [h.get_text(strip=True) for h in page.soup.main.find_all(["h2", "h3"])]
    for required in ("How accessible this service is", "Feedback and contact information",
                     "Reporting accessibility problems with this service", "Enforcement procedure",
                     "Compliance status", "Preparation of this accessibility statement"):
        assert required in headings
    assert ("Non-accessible content" in headings) == bool(statements.KNOWN_ISSUES)
    text = _text(page)
    assert "run by the Care Inspectorate" in text
    assert "large print, easy read, an audio recording or braille" in _section(page, "Feedback and contact information")
    assert "reply within 10 working days" in text
    enforcement = _section(page, "Enforcement procedure")
    assert "Equality and Human Rights Commission (EHRC)" in enforcement
    assert "Equality Advisory and Support Service (EASS)" in enforcement
    assert "(No. 2) Accessibility Regulations 2018" in enforcement
    status = ("partially compliant" if statements.KNOWN_ISSUES else "fully compliant")
    assert f"{status} with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "This statement was prepared on 26 November 2026. It was last reviewed on 27 November 2026." in text
    assert "This service was last tested on 27 November 2026." in text


def test_every_known_issue_is_listed_with_the_criteria_it_fails(client, db, monkeypatch):
    issue = statements.KnownIssue("A made-up problem for this test.", "1.1.1 Non-text content")
    monkeypatch.setattr(statements, "KNOWN_ISSUES", (issue,))
    page = client.get("/accessibility")
    listed = [" ".join(li.get_text(" ").split()) for li in page.soup.select("#known-issues li")]
    assert listed == ["A made-up problem for this test. This fails WCAG 2.2 success criteria 1.1.1 Non-text content."]
    assert "partially compliant" in _text(page)


def test_with_no_known_issue_the_statement_says_so_and_what_is_not_tested_yet(client, db):
    page = client.get("/accessibility")
    assert not statements.KNOWN_ISSUES and not page.soup.select("#known-issues")
    assert "fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, as far as " \
           "we have tested it" in _text(page)
    untested = [li.get_text(strip=True) for li in page.soup.select("#not-yet-tested li")]
    assert len(untested) == len(statements.NOT_YET_TESTED) > 0


def test_the_privacy_notice_names_the_controller_how_to_ask_and_when_it_was_reviewed(client, db):
    page = client.get("/privacy")
    assert "The Care Inspectorate runs this service and is the data controller" in _section(page, "Who we are")
    assert "Contact the associate assessor team using the details at the top of this notice. We answer within " \
           "one month." in _section(page, "Your rights")
    assert "0303 123 1113" in _section(page, "Your rights")
    assert "large print, easy read, an audio recording or braille" in _section(
        page, "If you need this notice in another format")
    assert _section(page, "About this notice") == (
        "This notice was prepared on 26 November 2026. It was last reviewed on 27 November 2026.")


def _roles_that_open(client, sign_in, paths: list[str]) -> list[str]:
    """The roles, as the notice names them, that get each page, found by signing in as each."""
    allowed = []
    for role in Role:
        client.post("/sign-out")
        sign_in(role.value)
        if all(client.get(path).status_code == 200 for path in paths):
            allowed.append(role.label)
    client.post("/sign-out")
    return allowed


def test_who_sees_and_changes_notifications_is_what_the_service_lets_each_role_do(client, db, sign_in):
    n = NotificationFactory()
    seen_by = _roles_that_open(client, sign_in, [f"/notifications/{n.id}"])
    changed_by = _roles_that_open(client, sign_in, [f"/notifications/{n.id}/status", f"/notifications/{n.id}/feedback"])
    assert "Strategic inspector" in seen_by and "Associate assessor" not in seen_by
    assert seen_by == changed_by

    def people(labels):  # "Recruitment admins and strategic inspectors"
        words = [f"{label.lower() if i else label}s" for i, label in enumerate(labels)]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]

    notice = _section(client.get("/privacy"), "Notifications from partnerships")
    assert f"{people(seen_by)} can see and change it." in notice
