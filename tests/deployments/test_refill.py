"""Refilling a declined seat from its page: the candidates who could take it now, best first, and a
one-step offer that proposes the deployment and asks the employer, refused (naming the rule) for
anyone the solver's rules keep off the seat."""
from __future__ import annotations

import threading
from datetime import date

import pytest

from scheduler.extensions import db as _db
from scheduler.models import AuditEvent, Deployment, OutboxMessage
from tests import factories as f

SEAT = "/teams/seats/I0001/children"
MARCH_1_TO_5 = [date(2027, 3, d).isoformat() for d in range(1, 6)]


def _assessor(reference: str, name: str, agreement: dict | None = None, **kw):
    a = f.AssessorFactory(reference=reference, name=name, **kw)
    f.AgreementFactory(assessor=a, contact_email=f"boss.{reference.lower()}@test.example", **(agreement or {}))
    return a


@pytest.fixture()
def declined_seat(db):
    """I0001 in Angus, 1-12 March 2027, one children seat (4-8 days, 1 March mandatory), declined by
    Morag's employer; I0002 in Dundee on the same dates. The holders of the specialism:
    Ewan (from Fife, free), Fiona (lives in Angus), Gus (on leave all March), Hamish (8 of his agreement's
    10 days used on a later inspection), Iona (already on I0002 those days)."""
    i1 = f.InspectionFactory(reference="I0001")
    f.SeatFactory(inspection=i1, count=1)
    i2 = f.InspectionFactory(reference="I0002", area=f.area("dundee-city"))
    f.SeatFactory(inspection=i2, count=1)
    i3 = f.InspectionFactory(reference="I0003", area=f.area("dundee-city"), starts_on=date(2027, 5, 3),
                             ends_on=date(2027, 5, 14))
    f.SeatFactory(inspection=i3, count=1, max_days=12)
    morag = _assessor("A00001", "Morag Lyle")
    f.DeploymentFactory(assessor=morag, inspection=i1, status="employer_declined", decline_reason="Short-staffed")
    people = {
        "ewan": _assessor("A00002", "Ewan Bell"),
        "fiona": _assessor("A00003", "Fiona Reid", home_area=f.area("angus"), employer=f.employer("Angus Council")),
        "gus": _assessor("A00004", "Gus Moir"),
        "hamish": _assessor("A00005", "Hamish Dunn", agreement={"total_days": 10}),
        "iona": _assessor("A00006", "Iona Kerr"),
    }
    f.UnavailabilityFactory(assessor=people["gus"], starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    f.DeploymentFactory(assessor=people["hamish"], inspection=i3, day_count=8, status="employer_confirmed")
    f.DeploymentFactory(assessor=people["iona"], inspection=i2, status="employer_confirmed")
    _db.session.flush()
    return people


def _live_on_seat() -> list[Deployment]:
    return list(_db.session.scalars(_db.select(Deployment).join(Deployment.inspection).where(
        Deployment.status.in_(("proposed", "employer_confirmed")), Deployment.inspection.has(reference="I0001"))))


def _banner(response) -> str:
    return " ".join(response.soup.select_one(".govuk-notification-banner").get_text(" ").split())


def test_the_seats_page_ranks_who_could_take_it_and_offers_only_them(client, sign_in, declined_seat):
    sign_in("coordinator")
    page = client.get(SEAT)
    assert page.status_code == 200
    rows = {" ".join(r.th.get_text(" ").split()): r for r in page.soup.select("tbody tr")}
    assert set(rows) == {"Ewan Bell (A00002)", "Fiona Reid (A00003)", "Gus Moir (A00004)", "Hamish Dunn (A00005)",
                         "Iona Kerr (A00006)", "Morag Lyle (A00001)"}
    offered = [" ".join(b.get_text(" ").split()) for b in page.soup.select("form[action$='/offer'] button")]
    assert offered == ["Offer to this assessor : Ewan Bell (A00002)"]
    assert list(rows)[0] == "Ewan Bell (A00002)"      # the only one who could take it comes first
    assert "Short-staffed" in page.soup.select_one("#declined + ul").get_text()


def test_offering_proposes_the_deployment_on_the_declined_days_and_asks_the_employer(client, sign_in, declined_seat):
    sign_in("coordinator")
    response = client.post(f"{SEAT}/offer", data={"key": "A00002"})
    assert response.status_code == 302 and response.location.endswith(SEAT)
    [d] = _live_on_seat()
    assert (d.assessor.reference, d.status, d.days) == ("A00002", "proposed", MARCH_1_TO_5)
    mail = {m.recipient: m for m in _db.session.scalars(_db.select(OutboxMessage))}
    assert "/employer/" in mail["boss.a00002@test.example"].body
    assert mail[d.assessor.email].subject == ("Proposed deployment: Joint inspection of services for children "
                                              "in Angus (I0001), from Monday 1 March 2027")
    assert "deployment.proposed" in _db.session.scalars(
        _db.select(AuditEvent.action).filter_by(object_type="deployment", object_id=str(d.id))).all()
    page = client.get(response.location)
    assert "Offered to Ewan Bell (A00002): 5 days from 1 March 2027" in _banner(page)
    assert not page.soup.select("form[action$='/offer']")      # the seat is full now


@pytest.mark.parametrize("who, why", [
    ("A00003", "rule 2 (conflict of interest)"),             # own area
    ("A00004", "rule 4 (days)"),                              # unavailable
    ("A00005", "rule 6 (caps)"),                              # over the agreement's total days
    ("A00006", "rule 5 (no double booking)"),                 # a deployment on the same days
])
def test_an_offer_the_rules_forbid_is_refused_naming_the_rule(client, sign_in, declined_seat, who, why):
    sign_in("coordinator")
    response = client.post(f"{SEAT}/offer", data={"key": who})
    assert response.status_code == 302
    banner = _banner(client.get(response.location))
    assert "cannot take this seat" in banner and why in banner, banner
    assert _live_on_seat() == []
    assert _db.session.scalar(_db.select(OutboxMessage.id)) is None


def test_a_second_coordinator_offering_the_filled_seat_is_told_and_nothing_is_doubled(
        client, app, sign_in, declined_seat):
    sign_in("coordinator")
    other = app.test_client()
    sign_in("coordinator", client=other)
    assert other.get(SEAT).soup.select("form[action$='/offer']")      # both see the offer
    client.post(f"{SEAT}/offer", data={"key": "A00002"})
    response = other.post(f"{SEAT}/offer", data={"key": "A00002"})
    banner = _banner(other.get(response.location))
    assert "the seat is full now (Ewan Bell (A00002))" in banner
    assert len(_live_on_seat()) == 1


def test_two_coordinators_offering_at_once_fill_the_seat_once(app, client, sign_in, declined_seat, db):
    """Each offer takes its turn: the second reads what the first committed."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two offers at once need two connections: run with TEST_DATABASE_URL on PostgreSQL")
    sign_in("coordinator")
    other = app.test_client()
    sign_in("coordinator", client=other)
    db.session.commit()
    results: list[int] = []
    start = threading.Barrier(2)

    def offer(c) -> None:
        start.wait()
        results.append(c.post(f"{SEAT}/offer", data={"key": "A00002"}).status_code)

    threads = [threading.Thread(target=offer, args=(c,)) for c in (client, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [302, 302]
    db.session.expire_all()
    assert len(_live_on_seat()) == 1


def test_a_seat_that_is_not_there_is_not_found(client, sign_in, declined_seat):
    sign_in("coordinator")
    assert client.get("/teams/seats/I0001/justice").status_code == 404
    assert client.get("/teams/seats/I9999/children").status_code == 404
    for seat in ("I9999/children", "I0001/justice", "I0001/2027-02-30"):
        assert client.post(f"/teams/seats/{seat}/offer", data={"key": "A00002"}).status_code == 404
    assert _live_on_seat() == []


def test_why_not_on_the_seats_page_names_the_rule(client, sign_in, declined_seat):
    sign_in("coordinator")
    page = client.get(f"{SEAT}?assessor=A00003")
    answer = " ".join(page.soup.select_one("#why-not-answer").get_text(" ").split())
    assert answer.startswith("Fiona Reid (A00003) cannot take this seat: rule 2 (conflict of interest)")


def test_an_offer_to_someone_whose_employer_contact_is_unconfirmed_says_the_employer_is_not_asked_yet(
        client, sign_in, declined_seat):
    declined_seat["ewan"].agreements[0].contact_verified_at = None
    sign_in("coordinator")
    response = client.post(f"{SEAT}/offer", data={"key": "A00002"})
    banner = _banner(client.get(response.location))
    assert "Fife Council has not been asked yet: confirm the release contact under Employer contacts first" in banner
    assert [d.assessor.reference for d in _live_on_seat()] == ["A00002"]
    assert _db.session.scalar(_db.select(OutboxMessage.id).filter_by(recipient="boss.a00002@test.example")) is None


def test_the_inspection_page_links_each_seat_to_its_page_for_coordinators(client, sign_in, declined_seat):
    inspection_id = _db.session.scalar(_db.select(Deployment.inspection_id))
    sign_in("coordinator")
    page = client.get(f"/inspections/{inspection_id}")
    assert page.soup.select(f"a[href='{SEAT}']")
