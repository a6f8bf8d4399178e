"""Reading the result, adjusting it by hand within the rules, publishing, confirming, re-planning."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import AuditEvent, Deployment, OutboxMessage, SolveRun
from scheduler.models.choices import Specialism
from tests import factories as f
from tests.csv_words import assert_in_words, rows_of
from tests.teams.conftest import build_run, live, make_assessor


def _members(run, inspection="I0001"):
    return sorted(d["assessor"] for d in run.plan["deployments"] if d["inspection"] == inspection)


def test_exported_plan_passes_the_solver_checker(client, sign_in, programme, tmp_path):
    sign_in("coordinator")
    run = build_run(client)
    inst = client.get(f"/teams/runs/{run.id}/instance.json")
    plan = client.get(f"/teams/runs/{run.id}/plan.json")
    assert "attachment" in inst.headers["Content-Disposition"]
    (tmp_path / "i.json").write_bytes(inst.data)
    (tmp_path / "p.json").write_bytes(plan.data)
    done = subprocess.run([sys.executable, "-m", "solver", "check", str(tmp_path / "i.json"), str(tmp_path / "p.json")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_result_shows_unfilled_seats_with_counts_by_rule_and_suggestions(client, sign_in, programme):
    extra = f.InspectionFactory(reference="I0003", area=f.area("fife"), starts_on=date(2027, 3, 1),
                                ends_on=date(2027, 3, 12), title="Joint inspection in Fife")
    f.SeatFactory(inspection=extra, count=2)
    sign_in("coordinator")
    run = build_run(client)
    page = " ".join(client.get(f"/teams/runs/{run.id}").soup.get_text(" ").split())
    assert "1 children and young people place unfilled" in page
    assert "The inspection is in their own area: 4" in page
    seat = client.get(f"/teams/runs/{run.id}/seats/I0003/children")
    assert seat.status_code == 200
    assert "Candidates, best first" in seat.soup.get_text(" ")


def test_why_not_this_assessor_names_the_rule(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    page = client.get(f"/teams/runs/{run.id}/seats/I0001/children?assessor=A00005")
    text = " ".join(page.soup.select_one("#why-not-answer").get_text(" ").split())
    assert "rule 2 (conflict of interest)" in text and "own area" in text
    bad = client.get(f"/teams/runs/{run.id}/seats/I0001/children?assessor=nonsense")
    assert "No assessor is called nonsense" in bad.soup.get_text(" ")


def test_why_not_reads_a_name_as_well_as_a_reference(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    named = programme.assessors[4]
    page = client.get(f"/teams/runs/{run.id}/seats/I0001/children", query_string={"assessor": named.name.upper()})
    assert named.reference in page.soup.select_one("#why-not-answer").get_text(" ")


def test_manual_replacement_that_breaks_a_rule_is_refused_and_names_it(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    out = _members(run)[0]
    response = client.post(f"/teams/runs/{run.id}/replace/I0001/children",
                           data={"key": f"{out}|I0001", "replacement": "A00005"})
    assert response.status_code == 400
    assert "rule 2 (conflict of interest)" in response.soup.select_one(".govuk-error-summary").get_text(" ")
    db.session.refresh(run)
    assert out in _members(run)


def test_manual_replacement_within_the_rules_is_made_and_audited(client, sign_in, programme):
    spare = make_assessor(reference="A00006", home_area=f.area("highland"))
    sign_in("coordinator")
    run = build_run(client)
    on_i2 = _members(run, "I0002")[0]
    response = client.post(f"/teams/runs/{run.id}/replace/I0002/children",
                           data={"key": f"{on_i2}|I0002", "replacement": spare.reference})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(run)
    assert _members(run, "I0002") == ["A00006"]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="teams.replaced")) is not None
    import solver
    from solver.check import check
    assert check(solver.Instance.from_json(run.instance), solver.Plan.from_json(run.plan)).ok


def test_pinning_a_proposed_deployment_pins_it_on_publish(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    who = _members(run)[0]
    assert client.post(f"/teams/runs/{run.id}/pin", data={"key": f"{who}|I0001"}).status_code == 302
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="teams.pinned")) is not None
    client.post(f"/teams/runs/{run.id}/publish")
    pinned = [d.assessor.reference for d in live() if d.pinned]
    assert pinned == [who]


def test_pressing_pin_twice_leaves_it_pinned_and_unpin_twice_leaves_it_unpinned(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    key = f"{_members(run)[0]}|I0001"
    for _ in range(2):
        page = client.post(f"/teams/runs/{run.id}/pin", data={"key": key}, follow_redirects=True)
        assert "is pinned on I0001" in page.get_data(as_text=True)
        db.session.refresh(run)
        assert run.adjustments["pinned"] == [key]
    for _ in range(2):
        page = client.post(f"/teams/runs/{run.id}/unpin", data={"key": key}, follow_redirects=True)
        assert "is no longer pinned on I0001" in page.get_data(as_text=True)
        db.session.refresh(run)
        assert run.adjustments["pinned"] == []
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("teams.%pinned"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["teams.pinned", "teams.unpinned"]


def test_publish_is_all_or_nothing(client, sign_in, programme, monkeypatch):
    sign_in("coordinator")
    run = build_run(client)
    calls = {"n": 0}
    import scheduler.employer.deployments as confirmations
    real = confirmations.request_confirmation

    def fail_on_third(deployment):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("mail server exploded")
        return real(deployment)

    monkeypatch.setattr(confirmations, "request_confirmation", fail_on_third)
    response = client.post(f"/teams/runs/{run.id}/publish")
    assert response.status_code == 500
    db.session.expire_all()
    assert live() == []
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    run = db.session.get(SolveRun, run.id)
    assert run.published_at is None and run.version is None
    monkeypatch.setattr(confirmations, "request_confirmation", real)
    assert client.post(f"/teams/runs/{run.id}/publish").status_code == 302
    assert len(live()) == 3


def test_second_publisher_sees_a_conflict_and_loses_nothing(client, sign_in, programme):
    sign_in("coordinator")
    first = build_run(client)
    second = build_run(client)
    client.post(f"/teams/runs/{first.id}/publish")
    published = [(d.id, d.assessor_id, list(d.days)) for d in live()]
    response = client.post(f"/teams/runs/{second.id}/publish", follow_redirects=True)
    text = response.soup.get_text(" ")
    assert "Not published" in text and "Someone else changed the teams" in text
    assert [(d.id, d.assessor_id, list(d.days)) for d in live()] == published
    db.session.refresh(second)
    assert second.published_at is None and second.plan is not None       # the plan is kept
    again = client.post(f"/teams/runs/{first.id}/publish", follow_redirects=True)
    assert "already been published" in again.soup.get_text(" ")


def _link(to: str) -> str:
    body = db.session.scalars(db.select(OutboxMessage).filter_by(recipient=to)
                              .where(OutboxMessage.subject.like("Please confirm%"))).all()[-1].body
    return re.search(r"https?://\S+", body).group(0)


def test_employer_confirms_and_declines_through_the_emailed_link(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    deps = live()
    links = [_link("jane.manager@test.example")]
    all_links = [re.search(r"https?://\S+", m.body).group(0) for m in db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.subject.like("Please confirm%")).order_by(OutboxMessage.id))]
    assert len(all_links) == 3 and links[0] in all_links
    path = lambda url: url.split("://", 1)[1].split("/", 1)[1]  # noqa: E731
    page = client.get("/" + path(all_links[0]))
    assert page.status_code == 200 and "Confirm" in page.soup.h1.get_text()
    client.post("/" + path(all_links[0]), data={"decision": "confirm"})
    client.post("/" + path(all_links[1]), data={"decision": "decline", "decline_reason": "Budget setting week"})
    statuses = sorted(d.status for d in db.session.scalars(db.select(Deployment)))
    assert statuses == ["employer_confirmed", "employer_declined", "proposed"]
    assert client.get("/" + path(all_links[0])).status_code == 410        # single use
    actions = {e.action for e in db.session.scalars(db.select(AuditEvent))}
    assert {"deployment.employer_confirmed", "deployment.employer_declined"} <= actions
    told = [m.subject for m in db.session.scalars(db.select(OutboxMessage)) if "has declined" in m.subject]
    assert told        # coordinators and the assessor are told
    assert deps


def test_replan_changes_only_what_it_must(client, sign_in, programme):
    """After publishing, one assessor becomes unavailable: the re-plan replaces just them,
    keeps confirmed deployments and every other published one."""
    make_assessor(reference="A00006", home_area=f.area("highland"))
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    before = {(d.assessor.reference, d.inspection.reference): (d.id, list(d.days)) for d in live()}
    confirmed = live("I0001")[0]
    confirmed.status = "employer_confirmed"
    gone = live("I0001")[1]
    f.UnavailabilityFactory(assessor=gone.assessor, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    db.session.commit()
    index = client.get("/teams/").soup.get_text(" ")
    assert "Published deployments that must change" in index and gone.assessor.reference in index
    response = client.post("/teams/replan")
    assert response.status_code == 302
    replan = db.session.get(SolveRun, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    db.session.refresh(replan)
    assert replan.status == "finished", replan.error
    changes = [c for c in __import__("scheduler.planning", fromlist=["compare"]).compare(replan.plan,
                                                                                         replan.scope["in_scope"])
               if c.kind != "unchanged"]
    assert sorted(c.kind for c in changes) == ["added", "removed"]
    assert [c.key[0] for c in changes if c.kind == "removed"] == [gone.assessor.reference]
    newcomer = next(c.key[0] for c in changes if c.kind == "added")
    page = client.get(f"/teams/runs/{replan.id}").soup.get_text(" ")
    assert "Withdrawn" in page and "Added" in page
    client.post(f"/teams/runs/{replan.id}/publish")
    after = {(d.assessor.reference, d.inspection.reference): (d.id, list(d.days)) for d in live()}
    for key, value in before.items():
        if key[0] != gone.assessor.reference:
            assert after[key] == value          # same row, same days
    assert (newcomer, "I0001") in after
    assert db.session.get(Deployment, gone.id).status == "cancelled"


def test_csv_of_teams_guards_against_formulas(client, sign_in, programme):
    programme.assessors[0].name = "=HYPERLINK(\"http://evil\")"
    programme.assessors[1].name = "=HYPERLINK(\"http://evil\")"
    sign_in("coordinator")
    run = build_run(client)
    response = client.get(f"/teams/runs/{run.id}/teams.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Inspection" and len(rows) == 4
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_the_teams_csv_is_in_words(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    rows = rows_of(client.get(f"/teams/runs/{run.id}/teams.csv"))
    assert_in_words(rows)
    header, first = rows[0], rows[1]
    assert first[header.index("Specialism")] in {"Children and young people", "Adults and older people",
                                                  "Justice social work"}
    days = int(first[header.index("Days")])
    assert first[header.index("Dates")].count(" 2027") == days  # every day, as "5 March 2027"


def test_pinning_a_published_deployment_is_audited_and_pins_it_next_time(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    client.post(f"/teams/runs/{run.id}/publish")
    d = live()[0]
    assert client.get("/teams/published").status_code == 200
    client.post(f"/teams/deployments/{d.id}/pin")
    client.post(f"/teams/deployments/{d.id}/pin")          # pressed twice: still pinned, audited once
    db.session.refresh(d)
    assert d.pinned
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action="deployment.pinned")) == 1
    client.post(f"/teams/deployments/{d.id}/unpin")
    client.post(f"/teams/deployments/{d.id}/unpin")
    db.session.refresh(d)
    assert not d.pinned
    client.post(f"/teams/deployments/{d.id}/pin")
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="deployment.pinned", object_id=str(d.id)))
    from scheduler.planning import Scope, build
    assert (d.assessor.reference, d.inspection.reference) in {
        (p.assessor, p.inspection) for p in build(Scope(date(2027, 3, 1), date(2027, 3, 31))).instance.pinned}


def test_published_teams_name_each_seat_by_the_words_of_its_specialism(client, sign_in):
    for specialism in Specialism:
        f.DeploymentFactory(specialism=specialism.value)
    sign_in("coordinator")
    table = client.get("/teams/published").soup.select_one("table")
    seats = sorted(" ".join(th.get_text(" ").split()).split(" (", 1)[1]
                   for th in table.select("tbody th"))
    assert seats == sorted(f"{s.label})" for s in Specialism)
    text = table.get_text(" ")
    assert [s.value for s in Specialism if re.search(rf"\b{s.value}\b", text)] == []


@pytest.mark.parametrize("role", ["assessor", "inspector"])
def test_only_coordinators_and_admins_use_the_team_builder(client, sign_in, role):
    sign_in(role)
    assert client.get("/teams/").status_code == 403


def test_rebuilding_over_a_published_plan_reports_every_published_deployment_kept(client, sign_in, programme):
    sign_in("coordinator")
    client.post(f"/teams/runs/{build_run(client).id}/publish")
    published = len(live())
    again = build_run(client)
    page = client.get(f"/teams/runs/{again.id}").soup.get_text(" ")
    assert re.search(rf"Published deployments kept\s+{published} of {published}", page)
