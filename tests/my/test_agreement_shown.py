"""An assessor's employer agreements as they stand today: a running one is "Agreed" whatever year is
being planned, and "Ended" is said only of one that has, with why and what to do."""
from __future__ import annotations

from datetime import date

from tests import factories

# tests/my/conftest.py: today is Monday 11 January 2027


def agreement_section(page) -> list[str]:
    heading = page.soup.find("h2", string="Employer agreement")
    return [" ".join(p.get_text(" ", strip=True).split()) for p in heading.find_next_siblings("p")
            if p.find_previous_sibling("h2") is heading]


def test_an_agreement_running_to_the_end_of_the_year_is_agreed_and_so_is_the_next(client, db, me):
    factories.AgreementFactory(assessor=me, valid_from=date(2026, 1, 1), valid_to=date(2027, 1, 31))
    factories.AgreementFactory(assessor=me, valid_from=date(2027, 2, 1), valid_to=date(2027, 12, 31))
    db.session.commit()
    shown = agreement_section(client.get("/my"))
    assert [line.split(" ")[0] for line in shown] == ["Agreed", "Agreed"]
    assert "1 January 2026 to 31 January 2027" in shown[0] and "1 February 2027" in shown[1]
    assert not any("Ended" in line for line in shown)


def test_an_agreed_period_that_is_over_says_when_it_ended_and_what_to_do(client, db, me):
    factories.AgreementFactory(assessor=me, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    db.session.commit()
    shown = agreement_section(client.get("/my"))
    assert shown[0].startswith("Ended")
    assert shown[1].startswith("This agreement ended on 31 December 2026.")
    assert "ask a coordinator to request a new agreement from your employer" in shown[1]


def test_an_agreement_ended_by_a_change_of_employer_says_so(client, db, me):
    factories.AgreementFactory(assessor=me, valid_from=date(2026, 6, 1), valid_to=date(2027, 5, 31),
                               status="expired")
    db.session.commit()
    shown = agreement_section(client.get("/my"))
    assert shown[0].startswith("Ended") and shown[1].startswith("This agreement ended when you changed employer.")


def test_an_ended_agreement_gives_way_to_the_one_asked_for(client, db, me):
    factories.AgreementFactory(assessor=me, valid_from=date(2026, 6, 1), valid_to=date(2027, 5, 31),
                               status="expired")
    factories.AgreementFactory(assessor=me, valid_from=date(2027, 1, 11), valid_to=date(2028, 1, 10),
                               status="requested")
    db.session.commit()
    shown = agreement_section(client.get("/my"))
    assert len(shown) == 1 and shown[0].startswith("Waiting for employer")
    profile = client.get("/my/profile").get_data(as_text=True)
    assert "Waiting for employer" in profile and "Ended" not in profile


def test_a_coordinator_sees_an_agreed_period_that_is_over_as_ended(app, db, me, sign_in):
    factories.AgreementFactory(assessor=me, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31))
    factories.AgreementFactory(assessor=me, valid_from=date(2027, 1, 1), valid_to=date(2027, 12, 31))
    db.session.commit()
    coordinator = app.test_client()
    sign_in("coordinator", client=coordinator)
    page = coordinator.get(f"/assessors/{me.id}")
    table = page.soup.find("h2", id="agreements").find_next("table")
    statuses = {row.select("td")[0].get_text(strip=True): row.select("td")[-1].get_text(" ", strip=True)
                for row in table.select("tbody tr")}
    assert statuses == {"1 January to 31 December 2026": "Ended", "1 January to 31 December 2027": "Agreed"}
