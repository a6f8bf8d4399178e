"""The year's cap on deployments per assessor: an admin sets it (1 to 4, default 2), it is audited,
and every instance the team builder builds carries it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import AuditEvent, PlanningPolicy
from scheduler.planning import Scope, build
from tests import factories as f
from tests.teams.conftest import build_run, make_assessor


def _cap() -> int:
    return build(Scope(date(2027, 3, 1), date(2027, 3, 31))).instance.policy.max_deployments_per_assessor


def test_without_a_setting_the_cap_is_two(programme):
    assert _cap() == 2


@pytest.mark.parametrize("cap", [1, 4])
def test_an_admin_sets_the_cap_and_the_next_build_carries_it(client, sign_in, programme, cap):
    sign_in("admin")
    page = client.get("/teams/policy")
    assert page.soup.select_one("input[name=max_deployments_per_assessor][value='2']").has_attr("checked")
    response = client.post("/teams/policy", data={"max_deployments_per_assessor": str(cap),
                                                  "aims": "seats_days_spread_travel"})
    assert response.status_code == 302
    assert _cap() == cap
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="planning_policy.changed"))
    assert event.before == {"max_deployments_per_assessor": 2, "aims": "seats_days_spread_travel"}
    assert event.after == {"max_deployments_per_assessor": cap, "aims": "seats_days_spread_travel"}


@pytest.mark.parametrize("value", ["0", "5", "", "two"])
def test_a_cap_outside_one_to_four_is_refused_naming_the_field(client, sign_in, db, value):
    sign_in("admin")
    response = client.post("/teams/policy", data={"max_deployments_per_assessor": value,
                                                  "aims": "seats_days_spread_travel"})
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary").get_text(" ")
    assert "Select how many deployments one assessor may take this year" in summary
    assert db.session.get(PlanningPolicy, 1) is None


@pytest.mark.parametrize("cap", [0, 5])
def test_the_database_refuses_a_cap_outside_one_to_four(db, cap):
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=cap))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()


@pytest.mark.parametrize("role", ["coordinator", "assessor", "inspector"])
def test_only_admins_set_the_planning_policy(client, sign_in, db, role):
    sign_in(role)
    assert client.get("/teams/policy").status_code == 403


@pytest.mark.parametrize("cap", [2, 3])
def test_a_build_gives_one_assessor_at_most_the_years_cap(client, sign_in, db, cap):
    """One assessor, three inspections a fortnight apart: as many deployments as the cap allows."""
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=cap))
    for n, start in enumerate((date(2027, 6, 7), date(2027, 6, 21), date(2027, 7, 5)), start=1):
        i = f.InspectionFactory(reference=f"I000{n}", starts_on=start, ends_on=start + timedelta(days=4))
        f.SeatFactory(inspection=i, count=1)
    make_assessor(reference="A00001", agreement={"days_per_deployment": 5, "total_days": 15})
    sign_in("coordinator")
    run = build_run(client, ["I0001", "I0002", "I0003"])
    assert run.instance["policy"] == {"max_deployments_per_assessor": cap}
    assert len(run.plan["deployments"]) == cap


def _objective() -> tuple[str, ...]:
    return build(Scope(date(2027, 3, 1), date(2027, 3, 31))).instance.policy.objective


def test_without_a_setting_the_aims_are_the_specs_four_levels(programme):
    assert _objective() == ("seats_filled", "days_deployed", "repeat_deployments", "travel_km")


def test_an_admin_orders_the_aims_by_a_named_preset_and_the_next_build_carries_it(client, sign_in, programme):
    sign_in("admin")
    page = client.get("/teams/policy")
    assert "then avoid &#39;rather not&#39;, then inspection days, then &#39;like to join&#39;" in page.get_data(
        as_text=True)
    response = client.post("/teams/policy", data={"max_deployments_per_assessor": "2",
                                                  "aims": "with_wishes_and_partnerships"})
    assert response.status_code == 302
    assert _objective() == ("seats_filled", "rather_not", "days_deployed", "keen", "partnerships_reached",
                            "repeat_deployments", "travel_km")
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="planning_policy.changed"))
    assert (event.before["aims"], event.after["aims"]) == ("seats_days_spread_travel",
                                                           "with_wishes_and_partnerships")


@pytest.mark.parametrize("value", ["", "travel_first"])
def test_an_unknown_order_of_aims_is_refused_naming_the_field(client, sign_in, db, value):
    sign_in("admin")
    response = client.post("/teams/policy", data={"max_deployments_per_assessor": "2", "aims": value})
    assert response.status_code == 400
    assert "Select the order in which the team builder weighs its aims" in response.soup.select_one(
        ".govuk-error-summary").get_text(" ")
    assert db.session.get(PlanningPolicy, 1) is None


def test_the_database_refuses_an_unknown_order_of_aims(db):
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=2, aims="travel_first"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
