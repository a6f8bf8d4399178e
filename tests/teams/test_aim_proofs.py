"""A build's result says, aim by aim in the order they were weighed, whether each is proven best
possible or how good it could be, and never disagrees with the result's status line."""
from __future__ import annotations

from datetime import date

import solver
from scheduler.extensions import db
from scheduler.models import PlanningPolicy
from scheduler.teams import plans
from tests import factories as f
from tests.solver.helpers import assessor, inspection, instance
from tests.teams.conftest import build_run


def _result_line(page) -> str:
    row = next(r for r in page.soup.select(".govuk-summary-list__row")
               if r.select_one(".govuk-summary-list__key").get_text(strip=True) == "Result")
    return row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)


def _aims(page) -> list[tuple[str, str, str]]:
    return [(li["data-level"], li["data-proven"], " ".join(li.get_text(" ").split()))
            for li in page.soup.select("#aim-proofs li")]


def test_an_optimal_build_says_every_aim_is_proven_best_possible(client, sign_in, programme):
    db.session.add(PlanningPolicy(id=1, max_deployments_per_assessor=2, aims="with_wishes_and_partnerships"))
    f.PreferenceFactory(assessor=programme.assessors[0], inspection=programme.inspections[1], kind="keen")
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client)
    assert run.plan["status"] == "optimal"
    page = client.get(f"/teams/runs/{run.id}")
    assert _result_line(page) == "Best possible team: proven optimal"
    aims = _aims(page)
    assert [level for level, _, _ in aims] == list(run.instance["policy"]["objective"])
    assert all(proven == "yes" and text.endswith("proven best possible") for _, proven, text in aims)
    seats = sum(1 for d in run.plan["deployments"])
    assert aims[0][2] == f"Seats filled: {seats}, proven best possible"


def test_a_build_stopped_by_its_time_limit_says_which_aims_are_not_proven_and_the_status_agrees(
        app, monkeypatch, client, sign_in, programme):
    monkeypatch.setitem(app.config, "SOLVE_TIME_LIMIT", 0.001)
    sign_in("coordinator")
    run = build_run(client)
    assert run.plan["status"] == "feasible"
    page = client.get(f"/teams/runs/{run.id}")
    assert _result_line(page) == "Good team found, not proven best within the time limit"
    aims = _aims(page)
    unproven = [text for _, proven, text in aims if proven == "no"]
    assert unproven and not any("proven best possible" in text for text in unproven)
    first = next(text for _, proven, text in aims if proven == "no")
    level = next(level for level, proven, _ in aims if proven == "no")
    assert f"best found, could be up to {round(run.plan['bound'][level])}" in first or "as low as" in first


def test_a_plan_changed_by_hand_proves_no_aim(client, sign_in, programme):
    spare = f.AssessorFactory(reference="A00006", home_area=f.area("highland"))
    f.AgreementFactory(assessor=spare)
    sign_in("coordinator")
    run = build_run(client)
    on_i2 = next(d["assessor"] for d in run.plan["deployments"] if d["inspection"] == "I0002")
    client.post(f"/teams/runs/{run.id}/replace/I0002/children", data={"key": f"{on_i2}|I0002", "replacement": "A00006"})
    aims = _aims(client.get(f"/teams/runs/{run.id}"))
    assert aims and all(proven == "no" and text.endswith("not proven: the teams were changed by hand after the build")
                        for _, proven, text in aims)


def test_an_aim_says_how_good_it_could_be_in_its_own_direction():
    assert plans.AimProof("days_deployed", 40, False, 46).in_words() == (
        "Days deployed: 40, best found, could be up to 46")
    assert plans.AimProof("travel_km", 900, False, 850).in_words() == (
        "Travel (km): 900, best found, could be as low as 850")
    assert plans.AimProof("keen", 3, False, unknown_because=plans.NOT_KNOWN_BELOW).in_words() == (
        "Deployments on an inspection the assessor asked to join: 3, not proven: how good it could be "
        "is not known until an aim weighed before it is proven")


def test_a_plan_that_meets_every_bound_is_called_proven_even_if_time_ran_out():
    objective = {"seats_filled": 3, "days_deployed": 20}
    assert plans.result_words("finished", "feasible", objective, dict(objective), None) == (
        "Best possible team: proven optimal")
    assert plans.result_words("finished", "feasible", objective, {"seats_filled": 3, "days_deployed": 22}, None) == (
        "Good team found, not proven best within the time limit")


def test_an_aims_bound_is_read_on_the_builds_own_inspections_less_what_pinned_deployments_elsewhere_add():
    """A1's deployment on I2 lies outside the build (pinned context, 5 days); the build's own I1 has
    A2 for 4 days. The solver's days bound of 11 on the whole plan leaves I1 up to 6."""
    def on(who, where, days):
        return solver.Deployment(who, where, "children", tuple(date(2027, 3, d) for d in days))

    context = on("A1", "I2", range(15, 20))
    data = instance([assessor("A1"), assessor("A2")], [inspection("I1", range(1, 7)), inspection("I2", range(15, 20))],
                    pinned=[context.to_json()])
    built = solver.Instance.from_json(data)
    plan = solver.Plan("feasible", {}, None, 1.0, (on("A2", "I1", range(1, 5)), context))
    objective = {"seats_filled": 2, "days_deployed": 9, "repeat_deployments": 0, "travel_km": 102}
    bound = {"seats_filled": 2, "days_deployed": 11, "repeat_deployments": None, "travel_km": None}
    proofs = plans.aim_proofs(built, plan, ["I1"], "finished", objective, bound, None)
    assert [p.in_words() for p in proofs[:2]] == ["Seats filled: 1, proven best possible",
                                                   "Days deployed: 4, best found, could be up to 6"]
    assert [p.proven for p in proofs] == [True, False, False, False]
    trivial = dict(bound, days_deployed=9, repeat_deployments=0, travel_km=0)   # days proven; travel open
    travel = plans.aim_proofs(built, plan, ["I1"], "finished", objective, trivial, None)[3]
    assert travel.in_words().endswith("best found, could be as low as 0")
