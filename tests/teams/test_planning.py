"""Database rows -> the solver's instance, and the flags on published deployments."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import solver
from scheduler.extensions import db
from scheduler.planning import Scope, build, flagged_deployments
from solver.check import check
from tests import factories as f
from tests.teams.conftest import make_assessor

MARCH = Scope(date(2027, 3, 1), date(2027, 3, 31))


def test_instance_from_database_matches_the_spec_format(programme, tmp_path):
    f.UnavailabilityFactory(assessor=programme.assessors[0], starts_on=date(2027, 3, 8), ends_on=date(2027, 3, 9))
    programme.inspections[0].excluded_employers = [f.employer("Angus Council")]
    planning = build(MARCH)
    data = planning.instance.to_json()
    assert data["format"] == "assessor-deployment-instance/1"
    assert solver.Instance.from_json(json.loads(json.dumps(data))) == planning.instance
    assert [i["id"] for i in data["inspections"]] == ["I0001", "I0002"]
    i1 = data["inspections"][0]
    assert i1["area"] == "angus" and i1["excluded_employers"] == ["Angus Council"]
    assert i1["mandatory_days"] == ["2027-03-01"] and len(i1["days"]) == 10
    assert i1["seats"] == [{"specialism": "children", "count": 2, "min_days": 4, "max_days": 8}]
    a1 = next(a for a in data["assessors"] if a["id"] == "A00001")
    assert a1 == {"id": "A00001", "name": a1["name"], "specialisms": ["children"], "sector": "statutory",
                  "home_area": "fife", "employer": "Fife Council",
                  "agreement": {"from": "2027-01-01", "to": "2027-12-31", "max_days_per_deployment": 8,
                                "max_days_total": 16},
                  "unavailable": [{"from": "2027-03-08", "to": "2027-03-09"}]}
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    done = subprocess.run([sys.executable, "-m", "solver", "solve", str(path), "--out", str(tmp_path / "plan.json")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_only_active_assessors_and_agreed_agreements_are_used(programme):
    programme.assessors[0].status = "paused"
    no_agreement = make_assessor(reference="A00009", agreement={"status": "requested"})
    planning = build(MARCH)
    ids = {a.id: a for a in planning.instance.assessors}
    assert "A00001" not in ids
    assert ids[no_agreement.reference].agreement is None


def test_scottish_bank_holidays_in_the_horizon_are_non_working_days(db):
    i = f.InspectionFactory(reference="I0007", starts_on=date(2027, 11, 22), ends_on=date(2027, 12, 3))
    f.SeatFactory(inspection=i)
    planning = build(Scope(date(2027, 11, 1), date(2027, 12, 31)))
    assert date(2027, 11, 30) in planning.instance.non_working_days      # St Andrew's Day


def test_confirmed_and_pinned_deployments_are_pinned_and_proposed_ones_kept(programme):
    i1, _ = programme.inspections
    a1, a2, a3 = programme.assessors[:3]
    f.DeploymentFactory(assessor=a1, inspection=i1, status="employer_confirmed")
    f.DeploymentFactory(assessor=a2, inspection=i1, status="proposed", pinned=True)
    f.DeploymentFactory(assessor=a3, inspection=programme.inspections[1], status="proposed")
    planning = build(MARCH)
    assert {(p.assessor, p.inspection) for p in planning.instance.pinned} == {("A00001", "I0001"), ("A00002", "I0001")}
    assert [(k.assessor, k.inspection) for k in planning.keep] == [("A00003", "I0002")]
    plan = solver.solve(planning.instance, time_limit=5, workers=2, extra_levels=planning.keep_published())
    assert check(planning.instance, plan).ok
    assert plan.objective["kept_published"] == 1


def test_deployments_outside_the_scope_count_against_days_and_caps(programme):
    """A00001..A00004 each already have two deployments in April: the cap is reached, so nobody
    from Fife may be put on March's teams; their April days stay theirs."""
    april = []
    for n in range(2):
        ins = f.InspectionFactory(reference=f"I00{n + 10}", area=f.area("highland"),
                                  starts_on=date(2027, 4, 5 + 7 * n), ends_on=date(2027, 4, 9 + 7 * n))
        f.SeatFactory(inspection=ins, count=4)
        april.append(ins)
    for a in programme.assessors[:4]:
        for ins in april:
            f.DeploymentFactory(assessor=a, inspection=ins, day_count=4)
    planning = build(MARCH)
    assert sorted(planning.context) == ["I0010", "I0011"]
    assert len(planning.instance.pinned) == 8
    plan = solver.solve(planning.instance, time_limit=5, workers=2)
    assert check(planning.instance, plan).ok
    mine = [d for d in plan.deployments if d.inspection in planning.in_scope]
    assert {d.assessor for d in mine} <= {"A00005"}


def test_a_deployment_that_now_breaks_a_rule_is_flagged_not_pinned(programme):
    i1 = programme.inspections[0]
    a1 = programme.assessors[0]
    d = f.DeploymentFactory(assessor=a1, inspection=i1, status="employer_confirmed")
    f.UnavailabilityFactory(assessor=a1, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 3))
    planning = build(MARCH)
    assert d.id in planning.flags and "unavailable" in planning.flags[d.id][0]
    assert planning.instance.pinned == ()
    db.session.commit()
    flagged = flagged_deployments(today=date(2027, 1, 1))
    assert [x.id for x, _ in flagged] == [d.id]


def test_an_employer_declined_deployment_is_flagged_until_the_seat_is_refilled(programme):
    i1 = programme.inspections[0]
    d = f.DeploymentFactory(assessor=programme.assessors[0], inspection=i1, status="employer_declined")
    db.session.commit()
    assert [x.id for x, _ in flagged_deployments(today=date(2027, 1, 1))] == [d.id]
    f.DeploymentFactory(assessor=programme.assessors[1], inspection=i1, status="proposed")
    db.session.commit()
    assert flagged_deployments(today=date(2027, 1, 1)) == []


def test_preferences_go_into_the_instance_only_for_the_scopes_inspections(programme):
    a1, a2 = programme.assessors[:2]
    i1, i2 = programme.inspections
    april = f.InspectionFactory(reference="I0003", starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    f.PreferenceFactory(assessor=a1, inspection=i1, kind="keen")
    f.PreferenceFactory(assessor=a1, inspection=i2, kind="rather_not")
    f.PreferenceFactory(assessor=a1, inspection=april, kind="keen")       # outside March: not asked
    f.PreferenceFactory(assessor=a2, inspection=april, kind="rather_not")
    data = build(MARCH).instance.to_json()
    by_id = {a["id"]: a for a in data["assessors"]}
    assert by_id[a1.reference]["preferences"] == {"keen": ["I0001"], "rather_not": ["I0002"]}
    assert "preferences" not in by_id[a2.reference]
    assert data["policy"].get("objective") in (None, ["seats_filled", "days_deployed", "repeat_deployments",
                                                      "travel_km"])
