"""The build result reads from the top: a summary whose counts equal the lists below it, the unfilled
places first, and a list of the inspections that jumps to each team (issue 11: no 19,000 px page to
scroll to find a seat)."""
from __future__ import annotations

import re
from datetime import date

from scheduler.extensions import db
from scheduler.models import SolveRun
from tests import factories as f
from tests.teams.conftest import build_run, live


def _summary(soup) -> dict[str, str]:
    return {row.find("dt").get_text(" ", strip=True): " ".join(row.find("dd").get_text(" ").split())
            for row in soup.select(".govuk-summary-list__row")}


def _unfilled_fife_inspection():
    """Two children's places in Fife, where the arranged assessors' employer is: at least one stays unfilled."""
    extra = f.InspectionFactory(reference="I0003", area=f.area("fife"), starts_on=date(2027, 3, 1),
                                ends_on=date(2027, 3, 12), title="Joint inspection in Fife")
    f.SeatFactory(inspection=extra, count=2)


def test_unfilled_places_come_first_and_their_count_is_the_places_listed(client, sign_in, programme):
    _unfilled_fife_inspection()
    sign_in("coordinator")
    soup = client.get(f"/teams/runs/{build_run(client).id}").soup
    heading = soup.find("h2", id="unfilled")
    items = soup.select("#unfilled-places li")
    per_item = [int(re.search(r": (\d+) ", li.get_text(" ")).group(1)) for li in items]
    assert heading.get_text(strip=True) == f"Unfilled places: {sum(per_item)}"
    in_the_teams = [int(m) for m in re.findall(r"(\d+) [a-z ]+ places? unfilled\.", " ".join(
        p.get_text(" ") for p in soup.select("section .govuk-inset-text p strong")))]
    assert sum(per_item) == sum(in_the_teams) >= 1
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert headings.index(f"Unfilled places: {sum(per_item)}") < headings.index("Teams")
    for li in items:
        assert soup.find(id=li.a["href"].lstrip("#")) is not None


def test_the_list_of_inspections_jumps_to_each_team_and_counts_its_places(client, sign_in, programme):
    _unfilled_fife_inspection()
    sign_in("coordinator")
    soup = client.get(f"/teams/runs/{build_run(client).id}").soup
    listed = soup.select("#team-list li")
    sections = soup.select("section[id]")
    assert [li.a["href"] for li in listed] == [f"#{s['id']}" for s in sections]
    for li, section in zip(listed, sections):
        filled, places = map(int, re.search(r"(\d+) of (\d+) places? filled", li.get_text(" ")).groups())
        captions = [re.search(r"(\d+) of (\d+) filled", c.get_text(" ")).groups() for c in section.find_all("caption")]
        assert (filled, places) == (sum(int(a) for a, _ in captions), sum(int(b) for _, b in captions))
        assert section.find("a", href="#inspections")


def test_with_nothing_published_the_summary_counts_every_deployment_as_new_and_lists_no_changes(
        client, sign_in, programme):
    sign_in("coordinator")
    soup = client.get(f"/teams/runs/{build_run(client).id}").soup
    members = len(soup.select("section tbody tr"))
    assert _summary(soup)["Changes to the published teams"] == (
        f"{members} new deployments: nothing is published for these inspections yet")
    assert soup.find("caption", string="Changes this plan makes to the published teams") is None


def test_after_publishing_the_summary_counts_the_changes_the_table_lists(client, sign_in, programme):
    sign_in("coordinator")
    first = build_run(client)
    client.post(f"/teams/runs/{first.id}/publish")
    gone = live("I0001")[1]
    f.UnavailabilityFactory(assessor=gone.assessor, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    db.session.commit()
    response = client.post("/teams/replan")
    replan = db.session.get(SolveRun, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    soup = client.get(f"/teams/runs/{replan.id}").soup
    table = soup.find("caption", string="Changes this plan makes to the published teams").find_parent("table")
    kinds = [tr.find("td").get_text(strip=True) for tr in table.select("tbody tr")]
    assert _summary(soup)["Changes to the published teams"] == (
        f"{kinds.count('Added')} added, {kinds.count('Days changed')} with days changed, "
        f"{kinds.count('Withdrawn')} withdrawn")
    assert kinds.count("Withdrawn") == 1
