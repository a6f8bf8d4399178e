"""The coordinator's home: what needs them, each count equal to its list, each rule at its boundary."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from scheduler.audit import record
from scheduler.auth import mfa
from scheduler.dashboard import needs
from scheduler.models import utcnow
from scheduler.my import availability
from tests import factories

TODAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(availability, "today", lambda: TODAY)


def inspection(starts_on: date, seats: int = 1, **kw):
    i = factories.InspectionFactory(starts_on=starts_on, ends_on=starts_on + timedelta(days=11), **kw)
    factories.SeatFactory(inspection=i, count=seats)
    return i


def section(page, anchor: str) -> tuple[str, int]:
    heading = page.soup.find(id=anchor)
    table = heading.find_next_sibling().find("table")  # in its scroll region, or a sentence with none
    rows = len(table.select("tbody tr")) if table else 0
    return heading.get_text(" ", strip=True), rows


def test_a_coordinator_signs_in_to_what_needs_them(client, db, make_user):
    user = make_user("coordinator")
    db.session.commit()
    client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/sign-in/security-code", data={"code": mfa.current_code(user)})  # staff: second step
    assert response.headers["Location"].endswith("/dashboard")


def test_a_declined_deployment_is_listed_until_its_seat_is_filled_again(db):
    i = inspection(TODAY + timedelta(days=20))
    declined = factories.DeploymentFactory(inspection=i, status="employer_declined")
    factories.DeploymentFactory(inspection=inspection(TODAY - timedelta(days=1)), status="assessor_declined")
    assert needs.declined_to_refill(TODAY) == [declined]
    factories.DeploymentFactory(inspection=i, status="proposed")
    assert needs.declined_to_refill(TODAY) == []


def test_a_confirmation_is_outstanding_only_after_more_than_seven_days(db):
    d = factories.DeploymentFactory(inspection=inspection(TODAY + timedelta(days=30)))
    db.session.flush()
    asked = record("deployment.confirmation_requested", object_type="deployment", object_id=d.id)
    now = datetime(2027, 3, 1, 12, 0)
    asked.at = now - timedelta(days=7)
    db.session.flush()
    assert needs.confirmations_outstanding(now) == []
    asked.at = now - timedelta(days=7, seconds=1)
    db.session.flush()
    assert [w.deployment for w in needs.confirmations_outstanding(now)] == [d]


def test_a_new_request_to_the_employer_restarts_the_wait(db):
    d = factories.DeploymentFactory(inspection=inspection(TODAY + timedelta(days=30)))
    db.session.flush()
    record("deployment.proposed", object_type="deployment", object_id=d.id).at = utcnow() - timedelta(days=20)
    record("deployment.confirmation_requested", object_type="deployment", object_id=d.id).at = utcnow()
    db.session.flush()
    assert needs.confirmations_outstanding(utcnow()) == []


def test_unfilled_seats_count_for_inspections_starting_within_eight_weeks(db):
    edge = inspection(TODAY + timedelta(weeks=8), seats=2)
    inspection(TODAY + timedelta(weeks=8, days=1), seats=2)
    full = inspection(TODAY + timedelta(days=3), seats=1)
    factories.DeploymentFactory(inspection=full, status="employer_confirmed")
    factories.DeploymentFactory(inspection=edge, status="employer_confirmed")
    [row] = needs.unfilled_soon(TODAY)
    assert (row.inspection, row.seats, row.filled, row.empty) == (edge, 2, 1, 1)


def test_an_agreement_ending_before_the_inspection_ends_is_flagged(db):
    i = inspection(TODAY + timedelta(days=10))
    short = factories.AssessorFactory(name="Short Agreement")
    factories.AgreementFactory(assessor=short, valid_from=date(2026, 1, 1), valid_to=i.ends_on - timedelta(days=1))
    covered = factories.AssessorFactory(name="Covered")
    factories.AgreementFactory(assessor=covered, valid_from=date(2026, 1, 1), valid_to=i.ends_on)
    flagged = factories.DeploymentFactory(inspection=i, assessor=short, status="employer_confirmed")
    factories.DeploymentFactory(inspection=i, assessor=covered, status="employer_confirmed")
    assert needs.agreements_ending_first(TODAY) == [flagged]


def test_each_count_on_the_page_equals_its_list(client, db, sign_in):
    sign_in("coordinator")
    i = inspection(TODAY + timedelta(days=14), seats=3)
    factories.DeploymentFactory(inspection=i, status="employer_declined",
                                assessor=factories.AssessorFactory(name="Declined Person"))
    factories.DeploymentFactory(inspection=i, status="assessor_declined")
    page = client.get("/dashboard")
    assert section(page, "declined") == ("2 declined deployments to refill", 2)
    assert section(page, "unfilled") == ("1 inspection within 8 weeks with unfilled seats", 1)
    assert section(page, "waiting")[1] == 0 and section(page, "waiting")[0].startswith("0 ")
    assert "2 declined deployments to refill" in page.soup.select_one(".app-dashboard-counts").get_text(" ")
    assert page.soup.find("a", string="Declined Person") is not None


def test_only_coordinators_and_admins_see_the_dashboard(client, db, sign_in):
    sign_in("assessor")
    assert client.get("/dashboard").status_code == 403
