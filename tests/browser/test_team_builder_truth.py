"""Issue 10, read in the browser: the team builder's result, seat and candidate pages agree with
themselves (each summary count equals the rows it summarises), speak plainly (no ISO date and no
area slug in any sentence) and a scoped build's figures are its own inspections'. axe checks
every page."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from scheduler.models import Area
from tests import factories as f

YEAR = 2031
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
STANDINGS = ("deployed_here", "eligible", "own_area", "employer_conflict", "no_agreement", "agreement_window",
             "agreement_days", "unavailable", "deployment_cap", "busy")

pytestmark = pytest.mark.browser


def _weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1) if (start + timedelta(n)).weekday() < 5]


def _arrange(live_db) -> list[str]:
    """Three children's inspections in June YEAR; the Angus one has six mandatory days (above its
    seat's minimum of 4). Five Fife assessors, one of them with a tight agreed total; one from
    Angus (its own area); one without an agreement. Returns the area slugs."""
    fife = f.employer("Fife Council")
    plan = [("I9401", "angus", date(YEAR, 6, 2), date(YEAR, 6, 13), 2),
            ("I9402", "highland", date(YEAR, 6, 16), date(YEAR, 6, 27), 1),
            ("I9403", "dundee-city", date(YEAR, 6, 9), date(YEAR, 6, 20), 1)]
    for ref, area, start, end, count in plan:
        days = _weekdays(start, end)
        i = f.InspectionFactory(reference=ref, area=f.area(area), starts_on=start, ends_on=end,
                                working_days=days, working_days__mandatory=days[:6 if ref == "I9401" else 1])
        f.SeatFactory(inspection=i, specialism="children", count=count, min_days=4, max_days=8)
    agreed = {"valid_from": date(YEAR, 1, 1), "valid_to": date(YEAR, 12, 31)}
    for n in range(1, 6):
        a = f.AssessorFactory(reference=f"A0940{n}", name=f"Truth Tester {n}", employer=fife)
        f.AgreementFactory(assessor=a, **agreed, **({"days_per_deployment": 7, "total_days": 7} if n == 1 else {}))
    angus = f.AssessorFactory(reference="A09406", name="Truth Angus", home_area=f.area("angus"),
                              employer=f.employer("Angus Council"))
    f.AgreementFactory(assessor=angus, **agreed)
    f.AssessorFactory(reference="A09407", name="Truth Unagreed", employer=fife)
    live_db.session.commit()
    return list(live_db.session.scalars(live_db.select(Area.id)))


def _plain_words(page, slugs: list[str]) -> str:
    """The page's visible text, after checking it has no ISO date and no area slug."""
    text = page.locator("main").inner_text()
    patterns = [ISO_DATE] + [re.compile(rf"(?<![\w@.-]){re.escape(slug)}(?![\w-])") for slug in slugs]
    for pattern in patterns:
        found = pattern.search(text)
        assert found is None, f"{found.group(0)!r} in: {text[max(0, found.start() - 120):found.end() + 80]}"
    return text


def _build(page, live_server, references: list[str]) -> None:
    page.goto(f"{live_server.url}/teams/")
    for ref in references:
        page.locator(f"input[name=inspections][value={ref}]").check()
    page.get_by_role("button", name="Build teams").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built")


def _figure(page, key: str) -> str:
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key)).locator("dd").inner_text()


def test_team_builder_pages_count_what_they_list_and_speak_plainly(page, live_server, live_db, sign_in_as, axe):
    slugs = _arrange(live_db)
    sign_in_as(page, "coordinator")
    _build(page, live_server, ["I9401", "I9402", "I9403"])
    axe(page)
    _plain_words(page, slugs)
    page.get_by_role("button", name="Check and publish").click()   # the check page first
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before publishing")
    page.get_by_role("button", name="Publish these teams").click()
    expect(page.get_by_text("Published as plan version")).to_be_visible()

    # A build of one inspection is headed with that inspection's seats, not the programme's.
    _build(page, live_server, ["I9401"])
    axe(page)
    text = _plain_words(page, slugs)
    team = page.locator("section#I9401")
    members = team.locator("tbody tr").count()
    assert _figure(page, "Seats filled") == f"{members} of 2"
    assert page.locator("section[id^=I94]").count() == 1
    assert "every assessor works" in text

    # The seat page: the summary counts the candidates listed below it.
    team.get_by_role("link", name=re.compile("children and young people seat of I9401")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I9401 Children and young people seat")
    axe(page)
    text = _plain_words(page, slugs)
    rows = page.locator("tbody tr[data-standing]")
    listed = rows.count()
    assert re.search(rf"\b{listed} assessors hold this specialism", text)
    counted = 0
    for standing in STANDINGS:
        summary = page.locator(f"[data-count={standing}]")
        n = int(summary.inner_text()) if summary.count() else 0
        assert n == page.locator(f"tbody tr[data-standing={standing}]").count(), standing
        counted += n
    assert counted == listed
    assert page.locator("tbody tr[data-standing=deployed_here]").count() == members
    if members == 2:
        assert "free to take" not in text and "What would help" not in text

    # The candidate's answer: names with references, the area by name.
    # typed as a coordinator would: the suggestion picked from the autocomplete, then Check
    page.get_by_label("Assessor's name or reference").fill("A09406")
    page.get_by_role("option", name=re.compile(r"\(A09406\)")).click()
    page.get_by_role("button", name="Check").click()
    answer = page.locator("#why-not-answer").inner_text()
    assert "Truth Angus (A09406)" in answer and "Angus" in answer
    axe(page)
    _plain_words(page, slugs)

    # The list of builds: both results in words.
    page.goto(f"{live_server.url}/teams/")
    axe(page)
    _plain_words(page, slugs)
