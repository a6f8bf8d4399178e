"""Deployment status changes: which are allowed from which status (against a table written here,
not the module's), and that each writes its audit event and its emails."""
from __future__ import annotations

import pytest

from scheduler import deployment_mail
from scheduler.deployments import status
from scheduler.extensions import db as _db
from scheduler.models import AuditEvent, DeploymentStatus, OutboxMessage
from tests import factories as f

# What a coordinator, an employer or an assessor may do to a deployment in each status, from the
# product's rules: a new one can only be proposed; a live one (proposed or confirmed) can get new
# days or be withdrawn; only a proposed one is confirmed, declined or accepted; a confirmed one is
# completed. Everything else is refused.
EXPECTED = {
    ("propose", None): "proposed",
    ("propose", "proposed"): "proposed",
    ("propose", "employer_confirmed"): "proposed",
    ("withdraw", "proposed"): "cancelled",
    ("withdraw", "employer_confirmed"): "cancelled",
    ("confirm", "proposed"): "employer_confirmed",
    ("employer_decline", "proposed"): "employer_declined",
    ("assessor_decline", "proposed"): "assessor_declined",
    ("accept", "proposed"): "proposed",
    ("complete", "employer_confirmed"): "completed",
}
STATUSES = [None, "proposed", "employer_confirmed", "employer_declined", "assessor_declined", "cancelled",
            "completed"]
ACTIONS = ["propose", "withdraw", "confirm", "employer_decline", "assessor_decline", "accept", "complete"]


def _do(action: str, deployment) -> None:
    {"propose": lambda d: status.propose(d),
     "withdraw": lambda d: status.withdraw(d, deployment_mail.REPLANNED),
     "confirm": status.confirm,
     "employer_decline": lambda d: status.decline(d, "Short-staffed", by_employer=True),
     "assessor_decline": lambda d: status.decline(d, "Unwell", by_employer=False),
     "accept": status.accept,
     "complete": status.complete}[action](deployment)


def test_the_statuses_walked_are_every_status():
    assert set(STATUSES) - {None} == {s.value for s in DeploymentStatus}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("before", STATUSES)
def test_each_change_is_allowed_only_from_the_statuses_the_rules_allow(app, db, action, before):
    with app.test_request_context():
        a = f.AssessorFactory()
        f.AgreementFactory(assessor=a)
        if before is None:
            d = status.new_deployment(a, f.InspectionFactory(), "children")
            d.set_days(d.inspection.working_days[:5])
        else:
            d = f.DeploymentFactory(assessor=a, status=before)
        expected = EXPECTED.get((action, before))
        if expected is None:
            with pytest.raises(status.NotAllowed):
                _do(action, d)
            assert d.status == before
        else:
            _do(action, d)
            assert d.status == expected


def _events(d) -> list[str]:
    return list(_db.session.scalars(_db.select(AuditEvent.action).filter_by(object_type="deployment",
                                                                          object_id=str(d.id))
                                    .order_by(AuditEvent.id)))


def _mail() -> list[OutboxMessage]:
    return list(_db.session.scalars(_db.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_proposing_audits_asks_the_employer_and_tells_the_assessor(app, db):
    with app.test_request_context():
        a = f.AssessorFactory()
        f.AgreementFactory(assessor=a, contact_email="boss@test.example")
        d = status.new_deployment(a, f.InspectionFactory(reference="I0042"), "children")
        asked = status.propose(d, d.inspection.working_days[:5])
        assert asked and d.status == "proposed" and d.day_count == 5
        assert _events(d) == ["deployment.proposed", "deployment.confirmation_requested"]
        assert [(m.recipient, m.subject) for m in _mail()] == [
            ("boss@test.example",
             f"Please confirm {a.name}'s release for Joint inspection of services for children in Angus (I0042)"),
            (a.email, "Proposed deployment: Joint inspection of services for children in Angus (I0042), "
                      "from Monday 1 March 2027")]


def test_an_employers_decline_tells_the_assessor_and_every_coordinator_with_the_seats_link(app, db, make_user):
    with app.test_request_context():
        coordinators = [make_user("coordinator"), make_user("coordinator")]
        make_user("inspector")
        d = f.DeploymentFactory(inspection=f.InspectionFactory(reference="I0042"))
        status.decline(d, "Short-staffed", by_employer=True)
        assert d.decline_reason == "Short-staffed"
        assert _events(d) == ["deployment.employer_declined"]
        mail = {m.recipient: m.body for m in _mail()}
        assert set(mail) == {d.assessor.email} | {c.email for c in coordinators}
        for c in coordinators:
            assert "Short-staffed" in mail[c.email]
            assert "/teams/seats/I0042/children" in mail[c.email]
        assert "/teams/seats/" not in mail[d.assessor.email]


def test_an_assessors_decline_tells_every_coordinator_with_the_seats_link(app, db, make_user):
    with app.test_request_context():
        coordinator = make_user("coordinator")
        d = f.DeploymentFactory(inspection=f.InspectionFactory(reference="I0042"))
        status.decline(d, "Unwell", by_employer=False)
        assert _events(d) == ["deployment.assessor_declined"]
        [message] = _mail()
        assert message.recipient == coordinator.email
        assert "Unwell" in message.body and "/teams/seats/I0042/children" in message.body


def test_withdrawing_audits_and_tells_the_assessor(app, db):
    with app.test_request_context():
        d = f.DeploymentFactory(status="employer_confirmed", inspection=f.InspectionFactory(reference="I0042"))
        status.withdraw(d, deployment_mail.REPLANNED, plan_version=3)
        assert _events(d) == ["deployment.withdrawn"]
        event = _db.session.scalar(_db.select(AuditEvent).filter_by(action="deployment.withdrawn"))
        assert event.after == {"status": "cancelled", "why": "re-planned", "plan_version": 3}
        [message] = [m for m in _mail() if m.recipient == d.assessor.email]
        assert message.subject == ("You are no longer needed for Joint inspection of services for children "
                                   "in Angus (I0042)")


def _withdrawal_to_the_assessor(app, why: str) -> str:
    with app.test_request_context():
        d = f.DeploymentFactory(inspection=f.InspectionFactory(reference="I0042"))
        status.withdraw(d, why)
        [message] = [m for m in _mail() if m.recipient == d.assessor.email]
        return " ".join(message.body.split())


def test_a_withdrawal_by_a_re_plan_tells_the_assessor_the_team_was_re_planned(app, db):
    body = _withdrawal_to_the_assessor(app, deployment_mail.REPLANNED)
    assert "Joint inspection of services for children in Angus (I0042)" in body
    assert "has been re-planned and you are no longer proposed for it" in body
    assert "left" not in body


def test_a_withdrawal_because_the_assessor_left_tells_them_they_were_marked_as_having_left(app, db):
    body = _withdrawal_to_the_assessor(app, deployment_mail.LEFT)
    assert ("A coordinator has marked you as having left the pool of associate assessors, so you are no longer "
            "on the team for Joint inspection of services for children in Angus (I0042)") in body
    assert "re-planned" not in body


def test_an_employer_who_confirmed_a_deployment_is_told_it_is_withdrawn_and_why(app, db):
    with app.test_request_context():
        a = f.AssessorFactory(name="Ailsa MacKay", reference="A00002")
        f.AgreementFactory(assessor=a, contact_name="Jo Boss", contact_email="boss@test.example")
        d = f.DeploymentFactory(assessor=a, status="employer_confirmed",
                                inspection=f.InspectionFactory(reference="I0042"))
        status.withdraw(d, deployment_mail.LEFT)
        [message] = [m for m in _mail() if m.recipient == "boss@test.example"]
        body = " ".join(message.body.split())
        assert message.subject == ("Ailsa MacKay is no longer needed for Joint inspection of services for children "
                                   "in Angus (I0042)")
        assert body.startswith("Dear Jo Boss, We no longer need Ailsa MacKay (A00002) for: "
                               "Joint inspection of services for children in Angus (I0042), Monday 1 March 2027 to "
                               "Friday 12 March 2027")
        assert ("The days we asked you to release them for: 5 days: Monday 1 March 2027, Tuesday 2 March 2027, "
                "Wednesday 3 March 2027, Thursday 4 March 2027 and Friday 5 March 2027") in body
        assert "Why: Ailsa MacKay has been marked as having left our pool of associate assessors." in body


def test_an_employer_asked_to_confirm_is_told_when_a_re_plan_withdraws_the_deployment(app, db):
    with app.test_request_context():
        a = f.AssessorFactory()
        f.AgreementFactory(assessor=a, contact_email="boss@test.example")
        d = status.new_deployment(a, f.InspectionFactory(reference="I0042"), "children")
        assert status.propose(d, d.inspection.working_days[:5])      # the employer is asked
        status.withdraw(d, deployment_mail.REPLANNED, plan_version=2)
        subjects = [m.subject for m in _mail() if m.recipient == "boss@test.example"]
        assert subjects[1:] == [
            f"{a.name} is no longer needed for Joint inspection of services for children in Angus (I0042)"]
        told = [m for m in _mail() if m.recipient == "boss@test.example"][-1]
        assert "Why: the inspection team has been re-planned without them." in " ".join(told.body.split())


def test_an_employer_never_asked_to_confirm_is_not_told_of_a_withdrawal(app, db):
    with app.test_request_context():
        held = f.AssessorFactory()
        f.AgreementFactory(assessor=held, contact_email="unconfirmed@elsewhere.example", contact_verified_at=None)
        waiting = status.new_deployment(held, f.InspectionFactory(), "children")
        assert not status.propose(waiting, waiting.inspection.working_days[:5])   # held: nobody confirmed the contact
        never = f.DeploymentFactory()                                          # proposed, no request ever sent
        f.AgreementFactory(assessor=never.assessor, contact_email="never@test.example")
        for d in (waiting, never):
            status.withdraw(d, deployment_mail.REPLANNED)
        assert {m.recipient for m in _mail()} == {held.email, never.assessor.email}


def test_accepting_changes_the_version_so_a_stale_answer_elsewhere_fails(app, db):
    with app.test_request_context():
        d = f.DeploymentFactory()
        _db.session.flush()
        version = d.version_id
        status.accept(d)
        assert d.status == "proposed" and d.version_id != version
        assert _events(d) == ["deployment.accepted"] and _mail() == []


def test_an_assessor_s_yes_stands_for_the_same_days_and_is_asked_again_for_new_ones(app, db):
    with app.test_request_context():
        d = f.DeploymentFactory()
        _db.session.flush()
        status.accept(d)
        assert d.accepted_at is not None
        status.propose(d, status.days_of(d))                  # re-published on the same days
        assert d.accepted_at is not None
        status.propose(d, status.days_of(d)[:4])              # one day fewer: their yes was to other days
        assert d.accepted_at is None


def test_a_decline_clears_an_earlier_yes(app, db):
    with app.test_request_context():
        d = f.DeploymentFactory()
        _db.session.flush()
        status.accept(d)
        status.decline(d, "Caring for a relative that fortnight", by_employer=False)
        assert d.status == "assessor_declined" and d.accepted_at is None
