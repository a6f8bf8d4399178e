"""Nothing invalid can be published: publish checks the plan (solver.check's checker) against the
database as it is when publishing, with every live deployment outside the plan's inspections, and
publishers take turns. A refusal names the rule and writes nothing."""
from __future__ import annotations

import copy
import threading
import time
from collections import defaultdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import solver
from scheduler.extensions import db
from scheduler.models import Assessor, AuditEvent, Inspection, OutboxMessage, SolveRun
from scheduler.teams import plans
from tests import factories as f
from tests.teams.conftest import build_run, live, make_assessor


def _weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1) if (start + timedelta(n)).weekday() < 5]


def _interleaved_programme():
    """Four inspections a week apart, each two weeks long: the odd ones and the even ones overlap,
    and an odd one's mandatory week is its even neighbour's (so anyone on both is double-booked).
    Two children assessors, two places on every team."""
    weeks = [(date(2027, 6, 7), date(2027, 6, 18), date(2027, 6, 14)),
             (date(2027, 6, 14), date(2027, 6, 25), date(2027, 6, 14)),
             (date(2027, 6, 21), date(2027, 7, 2), date(2027, 6, 28)),
             (date(2027, 6, 28), date(2027, 7, 9), date(2027, 6, 28))]
    for n, (start, end, mandatory_from) in enumerate(weeks, start=1):
        i = f.InspectionFactory(reference=f"I000{n}", starts_on=start, ends_on=end,
                                area=f.area("angus" if n % 2 else "dundee-city"),
                                working_days__mandatory=_weekdays(mandatory_from, mandatory_from + timedelta(4)))
        f.SeatFactory(inspection=i, count=2, min_days=4, max_days=8)
    for n in (1, 2):
        make_assessor(reference=f"A0000{n}", agreement={"days_per_deployment": 8, "total_days": 32})


def _published_rows() -> list[tuple]:
    return sorted((d.assessor.reference, d.inspection.reference, tuple(d.days)) for d in live())


def _nobody_is_double_booked() -> bool:
    days: dict[str, list[str]] = defaultdict(list)
    for d in live():
        days[d.assessor.reference] += list(d.days)
    return all(len(ds) == len(set(ds)) for ds in days.values())


def _nothing_written_by(run: SolveRun, outbox_before: int) -> None:
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert run.published_at is None and run.version is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == outbox_before
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "teams.published", AuditEvent.object_id == str(run.id))) is None


def test_a_plan_that_breaks_an_employer_agreement_is_refused_and_nothing_is_written(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    # The plan as handed to publish gives one assessor 9 days on I0001: their agreement allows 8.
    plan = copy.deepcopy(run.plan)
    first = next(d for d in plan["deployments"] if d["inspection"] == "I0001")
    ins = solver.Instance.from_json(run.instance).inspection_by_id["I0001"]
    first["days"] = [d.isoformat() for d in ins.days[:9]]
    run.plan = plan
    db.session.commit()
    outbox = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))

    response = client.post(f"/teams/runs/{run.id}/publish", follow_redirects=True)

    text = " ".join(response.soup.get_text(" ").split())
    assert "Not published" in text and "rule 3 (length)" in text, text[:1500]
    assert first["assessor"] in text
    assert live() == []
    _nothing_written_by(run, outbox)


def test_an_agreement_cut_after_the_build_is_caught_at_publish(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    who = next(d["assessor"] for d in run.plan["deployments"] if d["inspection"] == "I0001")
    agreement = next(a for a in programme.assessors if a.reference == who).agreements[0]
    agreement.days_per_deployment = agreement.total_days = 4
    db.session.commit()
    response = client.post(f"/teams/runs/{run.id}/publish", follow_redirects=True)
    text = " ".join(response.soup.get_text(" ").split())
    assert "Not published" in text and who in text
    assert live() == []


def test_a_plan_with_an_assessor_who_has_left_since_the_build_is_refused_in_plain_words(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    who = next(a for a in programme.assessors if a.reference == run.plan["deployments"][0]["assessor"])
    who.status = "left"
    db.session.commit()
    text = " ".join(client.post(f"/teams/runs/{run.id}/publish", follow_redirects=True).soup.get_text(" ").split())
    assert f"Not published: the plan no longer fits what is recorded now: {who.reference} is no longer an " \
           "active assessor" in text
    assert live() == []


def test_interleaved_runs_published_one_after_the_other_the_second_is_refused(client, sign_in, db):
    _interleaved_programme()
    sign_in("coordinator")
    odd = build_run(client, ["I0001", "I0003"])
    even = build_run(client, ["I0002", "I0004"])
    assert odd.plan["deployments"] and even.plan["deployments"]
    assert client.post(f"/teams/runs/{odd.id}/publish").status_code == 302
    published = _published_rows()
    assert len(published) == 4
    outbox = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))

    response = client.post(f"/teams/runs/{even.id}/publish", follow_redirects=True)

    text = " ".join(response.soup.get_text(" ").split())
    assert "Not published" in text and "rule 5 (no double booking)" in text, text[:1500]
    assert _published_rows() == published
    assert _nobody_is_double_booked()
    _nothing_written_by(even, outbox)


def test_interleaved_runs_published_at_once_one_is_refused(app, client, sign_in, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two publishers at once need two connections: run with TEST_DATABASE_URL on PostgreSQL")
    _interleaved_programme()
    sign_in("coordinator")
    runs = [build_run(client, ["I0001", "I0003"]).id, build_run(client, ["I0002", "I0004"]).id]
    db.session.commit()
    start = threading.Barrier(2)
    outcome: dict[int, str] = {}

    def publish(run_id: int) -> None:
        with app.test_request_context():
            run = db.session.get(SolveRun, run_id)
            start.wait(timeout=10)
            try:
                plans.publish(run)
                db.session.commit()
                outcome[run_id] = "published"
            except plans.PublishConflict as refusal:
                db.session.rollback()
                outcome[run_id] = str(refusal)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish, args=(run_id,)) for run_id in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcome.values(), key=len)[0] == "published", outcome
    refused = [text for text in outcome.values() if text != "published"]
    assert len(refused) == 1 and "rule 5 (no double booking)" in refused[0], outcome
    db.session.expire_all()
    assert len(live()) == 4 and _nobody_is_double_booked()


def test_the_builder_flags_published_deployments_double_booked_across_runs(client, sign_in, db):
    """Two plans published before publishing checked (written directly here): the team builder
    says both deployments must change, naming the double booking."""
    _interleaved_programme()
    i1, i2 = (db.session.scalar(sa.select(Inspection).filter_by(reference=r)) for r in ("I0001", "I0002"))
    a = db.session.scalar(sa.select(Assessor).filter_by(reference="A00001"))
    clash = [d.isoformat() for d in _weekdays(date(2027, 6, 14), date(2027, 6, 18))]
    f.DeploymentFactory(assessor=a, inspection=i1, days=clash)
    f.DeploymentFactory(assessor=a, inspection=i2, days=clash)
    sign_in("coordinator")
    page = client.get("/teams/")
    rows = page.soup.select("table tbody tr")
    flagged = {r.th.get_text(strip=True): " ".join(r.get_text(" ").split()) for r in rows if r.th}
    assert set(flagged) == {"I0001", "I0002"}, flagged
    assert all("rule 5 (no double booking)" in why for why in flagged.values())
    assert all("14 June 2027" in why for why in flagged.values())


def test_a_publisher_waits_for_the_turn_of_one_still_publishing(app, client, sign_in, db):
    """Publishers take turns even before the first has written anything the second could trip on."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two publishers at once need two connections: run with TEST_DATABASE_URL on PostgreSQL")
    _interleaved_programme()
    sign_in("coordinator")
    run_id = build_run(client, ["I0001", "I0003"]).id
    db.session.commit()
    holding, done = threading.Event(), {}

    def first() -> None:          # takes its turn and keeps it for a second, writing nothing
        with app.app_context():
            plans.one_publisher_at_a_time()
            holding.set()
            time.sleep(1.0)
            done["first"] = time.monotonic()
            db.session.rollback()
            db.session.remove()

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(timeout=10)
    with app.test_request_context():
        plans.publish(db.session.get(SolveRun, run_id))
        done["second"] = time.monotonic()
        db.session.commit()
    thread.join(timeout=10)
    assert done["second"] >= done["first"]
