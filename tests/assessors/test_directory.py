"""The assessor directory: filters (including "available between"), sorting, 25 a page, and a
bounded number of queries however many assessors there are."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from scheduler.models import Assessor
from tests import factories


def names(page) -> list[str]:
    table = page.soup.select_one("table.app-table--directory")
    if table is None:
        return []
    return [row.find("a").get_text(strip=True) for row in table.select("tbody tr")]


def test_only_coordinators_and_admins_open_the_directory(client, db, sign_in):
    sign_in("admin")
    assert client.get("/assessors").status_code == 200


def test_the_directory_lists_assessors_with_employer_area_and_agreement(client, db, coordinator):
    a = factories.AssessorFactory(name="Alison Brown")
    factories.AgreementFactory(assessor=a)
    page = client.get("/assessors")
    row = page.soup.select_one("table.app-table--directory tbody tr").get_text(" ", strip=True)
    assert "Alison Brown" in row and "Fife Council" in row and "Fife" in row and "Agreed" in row
    assert "Showing 1 to 1 of 1 assessor" in page.get_data(as_text=True)


def test_filter_by_specialism_sector_area_and_status(client, db, coordinator):
    factories.AssessorFactory(name="Child Fife", holds_children=True)
    factories.AssessorFactory(name="Adult Angus", holds_children=False, holds_adults=True,
                              home_area=factories.area("angus"))
    factories.AssessorFactory(name="Justice Third", holds_children=False, holds_justice=True, sector="third")
    factories.AssessorFactory(name="Paused Person", status="paused")
    assert names(client.get("/assessors?specialism=adults")) == ["Adult Angus"]
    assert names(client.get("/assessors?sector=third")) == ["Justice Third"]
    assert names(client.get("/assessors?area=angus")) == ["Adult Angus"]
    assert names(client.get("/assessors?status=paused")) == ["Paused Person"]
    assert names(client.get("/assessors?specialism=children&status=active")) == ["Child Fife"]
    # a choice not on the list is ignored rather than an error
    assert len(names(client.get("/assessors?specialism=astrology"))) == 4


def test_filter_by_agreement_status_uses_the_latest_agreement(client, db, coordinator):
    agreed = factories.AssessorFactory(name="Has Agreed")
    factories.AgreementFactory(assessor=agreed)
    waiting = factories.AssessorFactory(name="Is Waiting")
    factories.AgreementFactory(assessor=waiting, status="expired")
    db.session.flush()
    factories.AgreementFactory(assessor=waiting, status="requested")
    factories.AssessorFactory(name="Has None")
    assert names(client.get("/assessors?agreement=agreed")) == ["Has Agreed"]
    assert names(client.get("/assessors?agreement=requested")) == ["Is Waiting"]
    assert names(client.get("/assessors?agreement=expired")) == []
    assert names(client.get("/assessors?agreement=none")) == ["Has None"]


def _between(start: date, end: date) -> str:
    return (f"/assessors?available_from={start.day}&available_from={start.month}&available_from={start.year}"
            f"&available_to={end.day}&available_to={end.month}&available_to={end.year}")


def test_available_between_needs_no_overlapping_leave_and_an_agreement_covering_the_range(client, db, coordinator):
    free = factories.AssessorFactory(name="Free Agreed")
    factories.AgreementFactory(assessor=free, valid_from=date(2027, 1, 1), valid_to=date(2027, 12, 31))
    factories.UnavailabilityFactory(assessor=free, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    on_leave = factories.AssessorFactory(name="On Leave")
    factories.AgreementFactory(assessor=on_leave)
    factories.UnavailabilityFactory(assessor=on_leave, starts_on=date(2027, 3, 10), ends_on=date(2027, 3, 10))
    short = factories.AssessorFactory(name="Agreement Ends Early")
    factories.AgreementFactory(assessor=short, valid_to=date(2027, 3, 5))
    waiting = factories.AssessorFactory(name="Only Requested")
    factories.AgreementFactory(assessor=waiting, status="requested")
    factories.AssessorFactory(name="No Agreement")
    page = client.get(_between(date(2027, 3, 1), date(2027, 3, 12)))
    assert names(page) == ["Free Agreed"]
    # leave on the range's first or last day counts as overlapping
    assert names(client.get(_between(date(2027, 4, 16), date(2027, 4, 20)))) == ["On Leave"]
    assert names(client.get(_between(date(2027, 4, 17), date(2027, 4, 20)))) == ["Free Agreed", "On Leave"]
    assert names(client.get(_between(date(2027, 3, 1), date(2027, 3, 10)))) == ["Free Agreed"]
    # the chosen dates stay in the form
    assert page.soup.find("input", id="available_from")["value"] == "1"


def test_available_between_with_a_wrong_range_is_explained_and_ignored(client, db, coordinator):
    factories.AssessorFactory(name="Anyone")
    page = client.get(_between(date(2027, 3, 12), date(2027, 3, 1)))
    assert page.status_code == 200 and page.soup.title.text.startswith("Error: Assessors")
    assert "Available to must be the same as or after available from" in page.get_data(as_text=True)
    assert names(page) == ["Anyone"]
    page = client.get("/assessors?available_from=1&available_from=3&available_from=2027")
    assert "Enter the date they must be available to as well" in page.get_data(as_text=True)
    page = client.get("/assessors?available_from=1&available_from=&available_from=2027")
    assert "Available from date must include a month" in page.get_data(as_text=True)


def test_sort_by_employer_and_by_area(client, db, coordinator):
    factories.AssessorFactory(name="Zed", employer=factories.employer("Aberdeen City Council"),
                              home_area=factories.area("aberdeen-city"))
    factories.AssessorFactory(name="Amy", employer=factories.employer("Fife Council"),
                              home_area=factories.area("fife"))
    assert names(client.get("/assessors?sort=name")) == ["Amy", "Zed"]
    assert names(client.get("/assessors?sort=employer")) == ["Zed", "Amy"]
    assert names(client.get("/assessors?sort=area")) == ["Zed", "Amy"]


def test_twenty_five_a_page_with_pagination_keeping_the_filters(client, db, coordinator):
    for n in range(60):
        factories.AssessorFactory(name=f"Person {n:02d}")
    first = client.get("/assessors?specialism=children")
    assert names(first) == [f"Person {n:02d}" for n in range(25)]
    nav = first.soup.select_one("nav.govuk-pagination")
    assert nav is not None
    next_href = nav.select_one(".govuk-pagination__next a")["href"]
    assert "specialism=children" in next_href and "page=2" in next_href
    third = client.get("/assessors?specialism=children&page=3")
    assert names(third) == [f"Person {n:02d}" for n in range(50, 60)]
    assert "Showing 51 to 60 of 60 assessors" in third.get_data(as_text=True)
    assert third.soup.select_one(".govuk-pagination__next") is None
    # a page beyond the end shows the last page, rubbish shows the first
    assert names(client.get("/assessors?page=99")) == names(third)
    assert names(client.get("/assessors?page=abc")) == names(first)


def _directory_queries(client, count_queries) -> int:
    with count_queries() as statements:
        page = client.get("/assessors?sort=employer&available_from=1&available_from=3&available_from=2027"
                          "&available_to=12&available_to=3&available_to=2027")
    assert page.status_code == 200
    return len(statements)


def test_the_directory_runs_a_bounded_number_of_queries_whatever_the_number_of_assessors(
        client, db, coordinator, count_queries):
    def add(n):
        for _ in range(n):
            a = factories.AssessorFactory()
            factories.AgreementFactory(assessor=a)
            factories.UnavailabilityFactory(assessor=a, starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 2))
    add(2)
    few = _directory_queries(client, count_queries)
    add(40)
    many = _directory_queries(client, count_queries)
    assert few == many
    assert many <= 5   # the login session, the data version, the areas, the count and the rows


@pytest.mark.slow
def test_every_directory_view_answers_over_5000_assessors(client, db, coordinator):
    """5,000 assessors, a third with leave, all with an agreement: each view answers and counts right.
    How fast is the load test's business (bench/LOAD.md), never a timed assertion here."""
    fife = factories.employer("Fife Council")
    rows = [dict(reference=f"B{n:05d}", name=f"Assessor {n:05d}", email=f"bulk{n}@test.example", phone="",
                 holds_children=n % 3 == 0, holds_adults=n % 3 == 1, holds_justice=n % 3 == 2,
                 sector="statutory", employer_id=fife.id, job_title="Head of Service", strategic_experience="",
                 home_area_id="fife", status="active", version_id=1, created_at=date(2026, 1, 1))
            for n in range(5000)]
    db.session.execute(insert(Assessor), rows)
    ids = list(db.session.scalars(db.select(Assessor.id)))
    from scheduler.models import EmployerAgreement, Unavailability

    db.session.execute(insert(EmployerAgreement), [dict(
        assessor_id=i, employer_id=fife.id, contact_name="M", contact_email="m@test.example", days_per_deployment=8,
        total_days=16, valid_from=date(2027, 1, 1), valid_to=date(2027, 12, 31), status="agreed", version_id=1,
        created_at=date(2026, 1, 1)) for i in ids])
    db.session.execute(insert(Unavailability), [dict(
        assessor_id=i, starts_on=date(2027, 3, 8), ends_on=date(2027, 3, 9), reason="") for i in ids[::3]])
    db.session.commit()
    for url, count in [
        ("/assessors", "5,000"),
        # a third are away on 8-9 March
        ("/assessors?sort=employer&page=40&available_from=1&available_from=3"
         "&available_from=2027&available_to=12&available_to=3&available_to=2027", "3,333"),
        ("/assessors?agreement=agreed&specialism=children", "1,667"),
    ]:
        assert f"of {count} assessors" in client.get(url).get_data(as_text=True), url
    # every word must match: Assessor 00042 and 00420 to 00429
    assert "of 11 assessors" in client.get("/assessors?q=sessor+0042").get_data(as_text=True)


# --- Free-text search ---------------------------------------------------------------------------

def test_search_matches_part_of_a_name_whatever_the_case_and_accents(client, db, coordinator):
    factories.AssessorFactory(name="Siobhán MacKay")
    factories.AssessorFactory(name="Ewan Mackie")
    assert names(client.get("/assessors?q=mackay")) == ["Siobhán MacKay"]
    assert names(client.get("/assessors?q=SIOBHAN")) == ["Siobhán MacKay"]
    assert names(client.get("/assessors?q=mack")) == ["Ewan Mackie", "Siobhán MacKay"]


def test_search_matches_reference_email_and_employer(client, db, coordinator):
    by_ref = factories.AssessorFactory(name="By Reference", reference="A04321")
    factories.AssessorFactory(name="By Email", email="kirsty.w@angus.example")
    factories.AssessorFactory(name="By Employer", employer=factories.employer("Angus Council"))
    factories.AssessorFactory(name="Nobody Else")
    assert names(client.get("/assessors?q=a0432")) == [by_ref.name]
    assert names(client.get("/assessors?q=kirsty.w")) == ["By Email"]
    assert set(names(client.get("/assessors?q=angus"))) == {"By Email", "By Employer"}


def test_every_word_searched_must_match_somewhere(client, db, coordinator):
    factories.AssessorFactory(name="Morag Lyle", employer=factories.employer("Angus Council"))
    factories.AssessorFactory(name="Morag Bell")
    assert names(client.get("/assessors?q=morag+angus")) == ["Morag Lyle"]
    assert names(client.get("/assessors?q=morag+dundee")) == []


def test_search_combines_with_the_filters_and_the_count_agrees(client, db, coordinator):
    factories.AssessorFactory(name="Anna Paused", status="paused")
    factories.AssessorFactory(name="Anna Active")
    page = client.get("/assessors?q=anna&status=active")
    assert names(page) == ["Anna Active"]
    assert "Showing 1 to 1 of 1 assessor" in page.get_data(as_text=True)


def test_search_treats_like_wildcards_as_plain_characters(client, db, coordinator):
    factories.AssessorFactory(name="Plain Name")
    assert names(client.get("/assessors?q=%25")) == []
    assert names(client.get("/assessors?q=_")) == []


def test_a_changed_name_is_found_by_its_new_spelling(client, db, coordinator):
    a = factories.AssessorFactory(name="Old Surname")
    db.session.commit()
    a.name = "Jo Ní Bhriain"
    db.session.commit()
    assert names(client.get("/assessors?q=bhriain")) == ["Jo Ní Bhriain"]
    assert names(client.get("/assessors?q=surname")) == []


def test_available_between_leaves_out_paused_and_departed_assessors_unless_asked(client, db, coordinator):
    for name, status in [("Still Active", "active"), ("Now Paused", "paused"), ("Has Left", "left")]:
        factories.AgreementFactory(assessor=factories.AssessorFactory(name=name, status=status))
    period = ("available_from=1&available_from=3&available_from=2027"
              "&available_to=5&available_to=3&available_to=2027")
    assert names(client.get(f"/assessors?{period}")) == ["Still Active"]
    assert names(client.get(f"/assessors?{period}&include=inactive")) == ["Has Left", "Now Paused", "Still Active"]
    assert names(client.get(f"/assessors?{period}&status=paused")) == ["Now Paused"]


def test_each_search_shows_the_filters_it_was_sent_with_and_only_its_own_errors(client, db, coordinator):
    """The filter form below the search box is kept apart from the results (one per set of filters):
    what it shows must still follow each request."""
    factories.AssessorFactory(name="Anna Active")

    def chosen(page, name):
        return page.soup.find("select", id=name).find("option", selected=True)["value"]

    def clear_link(page):
        return page.soup.find("a", string="Clear search and filters") is not None

    first = client.get("/assessors?q=anna&specialism=children")
    second = client.get("/assessors?q=bob&specialism=children")
    assert second.soup.find("input", id="q")["value"] == "bob" and chosen(second, "specialism") == "children"
    assert names(first) == ["Anna Active"] and names(second) == []
    assert chosen(client.get("/assessors?q=bob&specialism=adults"), "specialism") == "adults"
    assert not clear_link(client.get("/assessors")) and clear_link(client.get("/assessors?q=anna"))
    too_long = client.get("/assessors?q=" + "x" * 201)
    assert "Search must be 200 characters or fewer" in too_long.get_data(as_text=True) and not clear_link(too_long)
    assert "Search must be" not in client.get("/assessors?q=anna").get_data(as_text=True)
    half = "available_from=1&available_from=3&available_from=2027"
    assert ("Enter the date they must be available to as well"
            in client.get(f"/assessors?q=a&{half}").get_data(as_text=True))
    page = client.get(f"/assessors?q=b&{half}&available_to=5&available_to=3&available_to=2027")
    assert "Enter the date" not in page.get_data(as_text=True)
    assert page.soup.find("input", id="available_to")["value"] == "5"
