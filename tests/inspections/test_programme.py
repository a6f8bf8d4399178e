"""The programme: a year's inspections as a timeline and an equivalent table, with filters."""
from __future__ import annotations

from datetime import date

import pytest

from tests import factories


def _programme_year(client, year=2027, **filters):
    response = client.get("/inspections", query_string={"year": year, **filters})
    assert response.status_code == 200
    return response


def _table_rows(response) -> list[list[str]]:
    table = response.soup.find(id="programme-table")
    return [[" ".join(td.get_text(" ", strip=True).split()) for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")]


@pytest.fixture()
def programme(db):
    angus = factories.InspectionFactory(starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    factories.SeatFactory(inspection=angus, specialism="children", count=3)
    factories.SeatFactory(inspection=angus, specialism="adults", count=2)
    for status in ("proposed", "employer_confirmed", "completed", "employer_declined", "cancelled"):
        factories.DeploymentFactory(inspection=angus, status=status)
    national = factories.InspectionFactory(
        type="thematic", area=None, title="National thematic review of transitions",
        starts_on=date(2027, 9, 6), ends_on=date(2027, 9, 17), status="draft")
    factories.SeatFactory(inspection=national, specialism="adults", count=1)
    fife = factories.InspectionFactory(
        type="justice", area=factories.area("fife"), title="Justice social work in Fife",
        starts_on=date(2027, 6, 7), ends_on=date(2027, 6, 18))
    factories.SeatFactory(inspection=fife, specialism="justice", count=2)
    next_year = factories.InspectionFactory(starts_on=date(2028, 2, 7), ends_on=date(2028, 2, 18))
    return {"angus": angus, "national": national, "fife": fife, "next_year": next_year}


def test_timeline_shows_filled_and_empty_seats(client, sign_in, programme):
    sign_in("coordinator")
    response = _programme_year(client)
    svg = response.soup.find("svg", class_="app-timeline__svg")
    seats = svg.find_all("rect", class_="app-timeline__seat")
    filled = svg.find_all("rect", class_="app-timeline__seat--filled")
    assert len(seats) == 5 + 1 + 2 and len(filled) == 3  # proposed, confirmed and completed fill seats
    bars = svg.find_all("rect", class_="app-timeline__bar")
    assert [b["class"][1] for b in bars] == [
        "app-timeline__bar--children", "app-timeline__bar--justice", "app-timeline__bar--thematic"]
    # Bars are placed by date: March before June before September.
    assert float(bars[0]["x"]) < float(bars[1]["x"]) < float(bars[2]["x"])
    assert not any(el.has_attr("style") for el in svg.find_all(True))  # the CSP forbids inline styles


def test_table_equivalent_present(client, sign_in, programme):
    sign_in("inspector")
    response = _programme_year(client)
    svg = response.soup.find("svg", class_="app-timeline__svg")
    assert svg["role"] == "img"
    title = response.soup.find(id=svg["aria-labelledby"])
    assert "table of inspections" in title.get_text()
    assert response.soup.find(id="programme-table").find("caption").get_text(strip=True) == "Inspections in 2027"
    rows = _table_rows(response)
    assert [r[1] for r in rows] == ["Children and young people", "Justice social work", "National thematic"]
    assert rows[0][2] == "Angus" and rows[2][2] == "National"
    assert rows[0][4] == "3 of 5 filled 2 empty"
    # The legend names every type: colour is not the only cue.
    legend = response.soup.find(class_="app-timeline-legend").get_text(" ", strip=True)
    for label in ("Children and young people", "Adults and older people", "Justice social work", "National thematic"):
        assert label in legend


def test_filters_work(client, sign_in, programme):
    sign_in("coordinator")
    assert [r[0][:5] for r in _table_rows(_programme_year(client, type="justice"))] == [programme["fife"].reference]
    assert [r[2] for r in _table_rows(_programme_year(client, area="national"))] == ["National"]
    assert [r[2] for r in _table_rows(_programme_year(client, area="angus"))] == ["Angus"]
    assert [r[1] for r in _table_rows(_programme_year(client, status="draft"))] == ["National thematic"]
    empty = _programme_year(client, type="adults")
    assert empty.soup.find(id="programme-table") is None
    assert "no inspections in 2027 matching the filters" in empty.soup.get_text()
    # Nonsense filters are ignored rather than failing.
    assert len(_table_rows(_programme_year(client, type="bogus", area="atlantis"))) == 3


def test_programme_shows_one_year_at_a_time(client, sign_in, programme):
    sign_in("coordinator")
    response = _programme_year(client, year=2028)
    assert response.soup.find("h1").get_text(strip=True) == "Inspection programme 2028"
    assert len(_table_rows(response)) == 1
    assert response.soup.find("a", href="/inspections?year=2027")  # previous year


def test_programme_defaults_to_the_current_or_next_planning_year(client, sign_in, programme):
    sign_in("coordinator")
    response = client.get("/inspections")
    heading = response.soup.find("h1").get_text(strip=True)
    assert heading in {f"Inspection programme {date.today().year}", f"Inspection programme {date.today().year + 1}"}
    assert client.get("/inspections?year=nonsense").status_code == 200


def test_an_inspection_crossing_new_year_shows_in_both_years(client, sign_in):
    factories.InspectionFactory(starts_on=date(2026, 12, 14), ends_on=date(2027, 1, 15))
    sign_in("coordinator")
    assert len(_table_rows(_programme_year(client, year=2026))) == 1
    assert len(_table_rows(_programme_year(client, year=2027))) == 1


def test_inspection_page_shows_days_seats_exclusions_and_team(client, sign_in, programme):
    angus = programme["angus"]
    angus.excluded_employers = [factories.employer("Angus Council"), factories.employer("NHS Tayside")]
    sign_in("coordinator")
    response = client.get(f"/inspections/{angus.id}")
    assert response.status_code == 200
    text = response.soup.get_text(" ", strip=True)
    assert "1 March 2027 1 Mar Mandatory 2 Mar Working day" in text  # week beginning 1 March
    assert "Angus Council" in text and "NHS Tayside" in text
    assert "3 of 5 filled, 2 empty" in text
    assert "Employer declined (seat not filled)" in text
    assert response.soup.find("a", href=f"/inspections/{angus.id}/edit")


def test_inspection_page_names_bank_holidays_left_out(client, sign_in):
    inspection = factories.InspectionFactory(starts_on=date(2026, 11, 23), ends_on=date(2026, 12, 4),
                                             working_days=[date(2026, 11, 23), date(2026, 11, 24),
                                                           date(2026, 11, 25), date(2026, 11, 26)])
    sign_in("inspector")
    response = client.get(f"/inspections/{inspection.id}")
    assert "Monday 30 November 2026 (Saint Andrew's Day)" in response.soup.get_text(" ", strip=True)
    assert not response.soup.find("a", href=f"/inspections/{inspection.id}/edit")  # inspectors only view


def test_inspection_page_links_to_the_team_builder_when_it_exists(app, client, sign_in):
    from flask import url_for

    from scheduler.access import declared_access

    if "teams.index" not in app.view_functions:
        pytest.skip("the team builder is not part of this build")
    inspection = factories.InspectionFactory()
    sign_in("coordinator")
    page = client.get(f"/inspections/{inspection.id}")
    with app.test_request_context():
        href = url_for("teams.index")
    link = page.soup.find("a", href=href)
    assert (link is not None) == ("coordinator" in declared_access(app.view_functions["teams.index"]))


@pytest.mark.parametrize("role, linked", [("coordinator", True), ("inspector", False)])
def test_an_inspection_lists_its_assessors_by_name_beside_reference(client, db, sign_in, role, linked):
    sign_in(role)
    d = factories.DeploymentFactory(assessor=factories.AssessorFactory(name="Iona Grant", reference="A00777"))
    page = client.get(f"/inspections/{d.inspection.id}")
    cell = page.soup.find("caption", string=lambda t: t and "Associate assessors deployed" in t).parent.find("td")
    text = " ".join(cell.get_text(" ").split())
    assert text == "Iona Grant A00777"
    assert (cell.find("a") is not None) == linked
