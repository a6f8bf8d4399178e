"""The privacy notice says what the service does: written from the retention schedule and the access rules."""
from __future__ import annotations

from datetime import date, datetime

from scheduler.models import AuditEvent, Notification, NotificationTombstone
from scheduler.privacy import schedule
from tests.factories import NotificationFactory


def _section(page, title: str) -> str:
    heading = page.soup.find("h2", string=title)
    text = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        text.append(sibling.get_text(" ", strip=True))
    return " ".join(text)


def test_the_notice_names_each_period_and_lawful_basis_and_who_can_see_and_change(client, db):
    page = client.get("/privacy")

    notifications = _section(page, "Notifications from partnerships")
    assert "2,192 days (about 6 years) after they close" in notifications
    assert "substantial public interest" in notifications
    # only strategic inspectors may open notifications (least privilege): the notice says so
    assert "Strategic inspectors can see and change it" in notifications
    assert "admin" not in notifications.lower()
    applicants = _section(page, "If you apply to be an associate assessor")
    assert "1 year after their campaign closes" in applicants and "Public task" in applicants
    assert "Recruitment admins can see and change it" in applicants
    assert "Recruitment admins and coordinators can see it." in _section(page, "If you are an employer contact")
    assert "2 years after their last deployment" in _section(page, "If you are an associate assessor")
    assert "90 days after they were sent" in _section(page, "Records of use")


def test_changing_a_period_changes_the_notice(app, client, db):
    app.config["RETENTION_OUTBOX_DAYS"] = 30
    try:
        assert "30 days after they were sent" in _section(client.get("/privacy"), "Records of use")
    finally:
        app.config["RETENTION_OUTBOX_DAYS"] = 90


def test_admins_see_the_schedule_and_the_last_run(client, db, admin):
    db.session.add(AuditEvent(action="retention.run", at=datetime(2028, 5, 2, 3, 0),
                              after={"applications": 3, "assessors": 1, "notifications": 2}))
    page = client.get("/personal-data")
    text = " ".join(page.soup.find("main").get_text(" ").split())
    assert ("Last run 2 May 2028 at 4am (UK time): 3 applications and 1 assessor erased, "
            "2 notifications awaiting an inspector's review") in text
    schedule_rows = page.soup.find("dl", attrs={"aria-labelledby": "schedule"}).select(".govuk-summary-list__row")
    assert [r.dt.text for r in schedule_rows] == [rule.records for rule in schedule.RULES]


def test_an_inspector_deletes_a_notification_past_its_review_leaving_a_tombstone(client, db, sign_in):
    inspector = sign_in("inspector")
    old = NotificationFactory(status="closed", closed_on=date(2019, 1, 10), event_date=date(2018, 12, 24),
                              subject_name="Jamie Test", notifier_name="Alex Carer")
    recent = NotificationFactory(status="closed", closed_on=date(2025, 1, 10), event_date=date(2024, 12, 2))
    old_id, reference = old.id, old.reference

    assert client.get(f"/notifications/{recent.id}/delete").status_code == 302  # not due: sent back
    assert client.get(f"/notifications/{old_id}/delete").status_code == 200
    response = client.post(f"/notifications/{old_id}/delete")

    assert response.status_code == 302
    assert db.session.get(Notification, old_id) is None and db.session.get(Notification, recent.id)
    tombstone = db.session.scalar(db.select(NotificationTombstone))
    assert (tombstone.reference, tombstone.kind, tombstone.closed_on, tombstone.deleted_by_id) == (
        reference, "looked_after_death", date(2019, 1, 10), inspector.id)
    listed = client.get("/notifications").soup.find("details")
    assert "Deleted at their retention review (1)" in listed.text
    assert f"{reference}: Death of a looked-after child or young person, closed 10 January 2019" in listed.text
