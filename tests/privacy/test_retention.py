"""The retention schedule, applied with the clock moved to each period's end and one day before it."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner

from scheduler.models import (
    Application,
    Assessor,
    AuditEvent,
    Deployment,
    LoginSession,
    Notification,
    OutboxMessage,
    UsedLink,
)
from scheduler.privacy import retention, schedule
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    AssessorFactory,
    CampaignFactory,
    DeploymentFactory,
    InspectionFactory,
    NotificationFactory,
    PartnerLinkFactory,
    UnavailabilityFactory,
    UserFactory,
)

from .conftest import places_holding

CLOSED_ON = date(2027, 6, 30)
LAST_DEPLOYED = date(2027, 3, 12)  # the factory inspection's last day


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def test_the_defaults_are_the_schedule_the_service_promises(app):
    with app.app_context():
        assert [(r.key, r.period_in_words) for r in schedule.RULES] == [
            ("applications", "1 year"), ("assessors", "2 years"), ("notifications", "2,192 days (about 6 years)"),
            ("outbox", "90 days"), ("links", "30 days"), ("sessions", "30 days"), ("audit", "6 years")]


@pytest.fixture()
def applications(db):
    closed = CampaignFactory(is_open=False, opens_on=date(2027, 1, 4), closes_on=CLOSED_ON)
    return {
        "rejected": ApplicationFactory(campaign=closed, name="Rhona Rejected", email="rhona@test.example",
                                       status="rejected", rejection_reason="Rhona lacked strategic experience"),
        "admitted": ApplicationFactory(campaign=closed, name="Ailsa Admitted", status="admitted"),
        "open_campaign": ApplicationFactory(campaign=CampaignFactory(is_open=True, closes_on=None),
                                            name="Oona Open", status="submitted"),
    }


def test_applications_not_admitted_are_erased_a_year_after_their_campaign_closes(app, db, applications):
    rejected = applications["rejected"]
    db.session.commit()
    assert retention.run(date(2028, 6, 29)).counts["applications"] == 0
    assert db.session.get(Application, rejected.id).name == "Rhona Rejected"

    result = retention.run(date(2028, 6, 30))

    assert result.done["applications"] == [f"Application {rejected.reference}: personal details erased"]
    erased = db.session.get(Application, rejected.id)
    assert erased.erased_at is not None and erased.status == "rejected" and erased.campaign_id
    assert places_holding("Rhona Rejected", "rhona@test.example") == []
    # kept: the admitted applicant (now an assessor) and anyone in a campaign still open
    assert db.session.get(Application, applications["admitted"].id).name == "Ailsa Admitted"
    assert db.session.get(Application, applications["open_campaign"].id).name == "Oona Open"


def _left_assessor(**kwargs) -> Assessor:
    user = UserFactory(role="assessor", email="lorna.left@test.example")
    assessor = AssessorFactory(name="Lorna Left", email="lorna.left@test.example", status="left", user=user,
                               phone="07700 900123", **kwargs)
    DeploymentFactory(assessor=assessor, status="completed", inspection=InspectionFactory())
    AgreementFactory(assessor=assessor)
    UnavailabilityFactory(assessor=assessor)
    return assessor


def test_assessors_who_left_are_anonymised_two_years_after_their_last_deployment(app, db):
    left = _left_assessor()
    active = AssessorFactory(name="Annie Active")
    DeploymentFactory(assessor=active, status="completed")
    db.session.add(OutboxMessage(recipient=left.email, subject="Your deployment",
                                 body="Dear Lorna Left, ...", delivered_via="console"))
    db.session.commit()

    assert retention.run(LAST_DEPLOYED.replace(year=2029) - timedelta(days=1)).counts["assessors"] == 0
    assert db.session.get(Assessor, left.id).name == "Lorna Left"

    result = retention.run(LAST_DEPLOYED.replace(year=2029))

    assert result.done["assessors"] == [f"Assessor {left.reference}: personal details erased"]
    assert places_holding("Lorna Left", "lorna.left@test.example", "07700 900123") == []
    erased = db.session.get(Assessor, left.id)
    assert (erased.reference, erased.status, erased.erased_at is not None) == (left.reference, "left", True)
    assert erased.agreements == [] and erased.unavailability == []
    assert erased.user.active is False and erased.user.password_hash is None
    # their deployments stay, as anonymous history: past years' figures do not change
    assert db.session.scalar(db.select(db.func.count()).select_from(Deployment)
                             .where(Deployment.assessor_id == left.id)) == 1
    assert db.session.get(Assessor, active.id).name == "Annie Active"


def test_many_leavers_in_one_run_are_all_swept_from_every_table(app, db, monkeypatch):
    """The run sweeps once for everyone it anonymises, in batches of queries: each leaver's name goes
    from every text and JSON column, however many there are, and no one else's."""
    from scheduler.privacy import erasure

    monkeypatch.setattr(erasure, "MENTIONS_PER_QUERY", 3)      # several batches with a handful of leavers
    leavers = [AssessorFactory(name=f"Leaver Number{n} Smith", email=f"leaver{n}@test.example", status="left",
                               phone=f"07700 90{n:04d}") for n in range(7)]
    for a in leavers:
        DeploymentFactory(assessor=a, status="completed", inspection=InspectionFactory())
        db.session.add(OutboxMessage(recipient=a.email, subject=f"About {a.name}", body=f"Dear {a.name}, ...",
                                     delivered_via="console"))
    active = AssessorFactory(name="Annie Active")
    db.session.add(OutboxMessage(recipient=active.email, subject="Hello", body="Dear Annie Active, ...",
                                 delivered_via="console"))
    db.session.commit()
    details = [(a.name, a.email, a.phone) for a in leavers]

    assert retention.run(LAST_DEPLOYED.replace(year=2029)).counts["assessors"] == 7

    for name, email, phone in details:
        assert places_holding(name, email, phone) == []
    assert places_holding("Annie Active") != []


def test_an_assessor_with_a_deployment_still_to_happen_is_never_anonymised(app, db):
    left = _left_assessor()
    future = InspectionFactory(starts_on=date(2031, 3, 3), ends_on=date(2031, 3, 14))
    DeploymentFactory(assessor=left, inspection=future, status="employer_confirmed")
    db.session.commit()

    assert retention.run(date(2031, 1, 5)).counts["assessors"] == 0
    assert db.session.get(Assessor, left.id).name == "Lorna Left"


def test_outbox_copies_go_after_90_days(app, db):
    now = datetime(2028, 5, 1, 12, 0)
    kept = OutboxMessage(recipient="a@test.example", subject="s", body="b", delivered_via="console",
                         created_at=now - timedelta(days=90))
    gone = [OutboxMessage(recipient="b@test.example", subject="s", body="b", delivered_via="console",
                          created_at=now - timedelta(days=90 + n, seconds=1)) for n in range(3)]
    db.session.add_all([kept, *gone])
    db.session.commit()

    result = retention.run(now.date(), now=now)

    assert result.done["outbox"] == ["outbox_message: 3 deleted"] and result.counts["outbox"] == 3
    assert [m.recipient for m in db.session.scalars(db.select(OutboxMessage))] == ["a@test.example"]


def test_link_records_go_30_days_after_the_link_expired(app, db):
    now = datetime(2028, 5, 1, 12, 0)
    # a used nonce must outlive the longest link that could carry it (90 days), then 30 days more
    db.session.add_all([UsedLink(nonce="kept", purpose="p", used_at=now - timedelta(days=120)),
                        UsedLink(nonce="gone", purpose="p", used_at=now - timedelta(days=120, seconds=1))])
    ended = PartnerLinkFactory(created_at=now - timedelta(days=100), expires_at=now - timedelta(days=30, seconds=1))
    recent = PartnerLinkFactory(created_at=now - timedelta(days=100), expires_at=now - timedelta(days=29))
    used = PartnerLinkFactory(created_at=now - timedelta(days=100), expires_at=now - timedelta(days=60))
    NotificationFactory(partner_link=used, source="partner_link")
    db.session.commit()
    ids = ended.id, recent.id, used.id

    retention.run(now.date(), now=now)

    from scheduler.models import PartnerLink
    assert [n for (n,) in db.session.execute(db.select(UsedLink.nonce))] == ["kept"]
    assert sorted(db.session.scalars(db.select(PartnerLink.id))) == sorted([ids[1], ids[2]])


def test_ended_sign_in_sessions_go_30_days_after_they_ended(app, db):
    now = datetime(2028, 5, 1, 12, 0)
    user = UserFactory()
    ended_at = now - timedelta(days=30)
    db.session.add_all([
        LoginSession(id="kept", user=user, last_seen_at=ended_at - app.config["IDLE_TIMEOUT"]),
        LoginSession(id="gone", user=user,
                     last_seen_at=ended_at - app.config["IDLE_TIMEOUT"] - timedelta(seconds=1)),
    ])
    db.session.commit()

    retention.run(now.date(), now=now)

    assert list(db.session.scalars(db.select(LoginSession.id))) == ["kept"]


def test_audit_events_go_after_six_years(app, db):
    now = datetime(2034, 5, 1, 12, 0)
    db.session.add_all([AuditEvent(action="kept", at=datetime(2028, 5, 1, 12, 0)),
                        AuditEvent(action="gone", at=datetime(2028, 5, 1, 11, 59))])
    db.session.commit()

    retention.run(now.date(), now=now)

    assert sorted(db.session.scalars(db.select(AuditEvent.action))) == ["kept", retention.RUN_ACTION]


def test_notifications_past_their_review_are_only_listed_for_an_inspector(app, db):
    review_days = schedule.NOTIFICATIONS.amount
    closed = NotificationFactory(status="closed", closed_on=date(2028, 3, 1))
    still_open = NotificationFactory(status="report_due", received_at=datetime(2020, 1, 6))
    db.session.commit()
    due_on = date(2028, 3, 1) + timedelta(days=review_days)

    assert retention.run(due_on - timedelta(days=1)).counts["notifications"] == 0
    result = retention.run(due_on)

    assert result.done["notifications"] == [f"Notification {closed.reference}: awaiting an inspector's review"]
    assert db.session.get(Notification, closed.id) is not None
    assert db.session.get(Notification, still_open.id) is not None


def test_a_run_is_idempotent_and_records_one_audit_event_with_its_counts(app, db, applications):
    db.session.commit()
    first = retention.run(date(2029, 1, 1))
    second = retention.run(date(2029, 1, 1))

    assert first.counts["applications"] == 1
    assert set(second.counts.values()) == {0}
    runs = db.session.scalars(db.select(AuditEvent).filter_by(action=retention.RUN_ACTION)
                              .order_by(AuditEvent.id)).all()
    assert [e.after["applications"] for e in runs] == [1, 0]
    assert runs[0].after == {"today": "2029-01-01", **first.counts}


def test_a_dry_run_prints_what_it_would_do_and_changes_nothing(app, db, applications):
    rejected = applications["rejected"]
    db.session.commit()

    output = CliRunner().invoke(app.cli, ["retention", "run", "--dry-run", "--today", "2029-01-01"],
                                catch_exceptions=False).output

    assert "Dry run" in output and f"Application {rejected.reference}: personal details erased" in output
    db.session.expire_all()
    assert db.session.get(Application, rejected.id).name == "Rhona Rejected"
    assert db.session.scalar(db.select(AuditEvent).filter_by(action=retention.RUN_ACTION)) is None
