"""The outbox: every message written with a change is delivered after the commit or recorded as
failed with the reason; delivery never turns a committed request into an error, never marks an
undelivered message sent, and retries with backoff until it gives up."""
from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler import mail
from scheduler.models import AuditEvent, OutboxMessage, utcnow
from tests import factories

CHANGE_SPECIALISMS = {"specialisms": ["children", "justice"]}


@pytest.fixture()
def assessor(db, make_user, sign_in):
    """Signs in an assessor; the assessor record is returned (its name may be changed by a test)."""
    user = make_user("assessor")
    record = factories.AssessorFactory(user=user, name="Morag Lyle")
    sign_in(user)
    return record


def _messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_twenty_messages_in_one_request_are_each_sent_or_failed_with_the_smtp_reason(
        client, db, assessor, make_user, smtp_server):
    coordinators = [make_user("coordinator") for _ in range(20)]
    smtp_server.refused.add(coordinators[7].email)
    response = client.post("/my/profile/specialisms", data=CHANGE_SPECIALISMS)
    assert response.status_code == 302
    messages = _messages(db)
    assert len(messages) == 20
    by_status = {m.recipient: m.status for m in messages}
    assert by_status.pop(coordinators[7].email) == "failed"
    assert set(by_status.values()) == {"sent"}
    [failed] = [m for m in messages if m.status == "failed"]
    assert "550" in failed.error and failed.sent_at is None
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(by_status)


def test_a_line_break_in_a_name_fails_the_messages_with_a_reason_and_the_request_still_succeeds(
        client, db, assessor, make_user, smtp_server):
    # A name stored before line breaks were refused at validation ends up in the subject header.
    assessor.name = "Morag\r\nBcc: everyone@evil.example"
    for _ in range(20):
        make_user("coordinator")
    response = client.post("/my/profile/specialisms", data=CHANGE_SPECIALISMS)
    assert response.status_code == 302
    messages = _messages(db)
    assert len(messages) == 20
    assert {m.status for m in messages} == {"failed"}
    assert all("cannot be sent as written" in m.error for m in messages)
    assert smtp_server.messages == []


def test_when_the_mail_server_is_down_a_message_is_retried_with_backoff_then_sent(app, client, db, assessor,
                                                                                  make_user, smtp_server):
    coordinator = make_user("coordinator")
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    try:
        before = utcnow()
        assert client.post("/my/profile/specialisms", data=CHANGE_SPECIALISMS).status_code == 302
    finally:
        app.config["MAIL_PORT"] = port
    [message] = _messages(db)
    assert message.status == "retrying" and message.attempts == 1 and message.error
    assert before + mail.FIRST_RETRY <= message.next_attempt_at <= utcnow() + mail.FIRST_RETRY

    runner = app.test_cli_runner()
    early = runner.invoke(args=["outbox", "send"])
    assert "Tried 0 messages" in early.output  # not due yet
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert "Tried 1 messages: 0 waiting to be sent, 0 retrying, 1 sent, 0 failed." in result.output
    [message] = _messages(db)
    assert message.status == "sent" and message.attempts == 2 and message.sent_at
    assert [m["To"] for m in smtp_server.messages] == [coordinator.email]


def test_each_retry_waits_twice_as_long_and_the_last_attempt_fails_with_the_reason(app, db, smtp_server):
    app.config["MAIL_PORT"] = 1
    message = OutboxMessage(recipient="a@example.org", subject="Hello", body="Hi", delivered_via="smtp")
    db.session.add(message)
    db.session.commit()
    waits = []
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        started = utcnow()
        mail.deliver(app, [message.id])
        db.session.refresh(message)
        assert message.attempts == attempt
        if attempt < mail.MAX_ATTEMPTS:
            assert message.status == "retrying"
            waits.append(round((message.next_attempt_at - started).total_seconds() / 60))
            message.next_attempt_at = utcnow()
            db.session.commit()
    assert waits == [1, 2, 4, 8, 16]
    assert message.status == "failed" and message.next_attempt_at is None
    assert message.error.startswith(f"Gave up after {mail.MAX_ATTEMPTS} attempts")


def test_a_rolled_back_change_sends_nothing(app, db):
    with app.test_request_context():
        mail.send_mail("a@example.org", "Hello", "Hi")
        db.session.rollback()
    assert _messages(db) == []


def test_an_admin_can_send_a_failed_message_again_and_it_is_audited(client, db, sign_in, smtp_server):
    message = OutboxMessage(recipient="a@example.org", subject="Hello", body="Hi", delivered_via="smtp",
                            status="failed", error="SMTPServerDisconnected: gone", attempts=6)
    db.session.add(message)
    sign_in("admin")
    page = client.post(f"/recruitment/outbox/{message.id}/resend", follow_redirects=True)
    assert "Sent again to a@example.org: sent." in page.soup.get_text(" ")
    db.session.refresh(message)
    assert (message.status, message.attempts, message.error) == ("sent", 1, None)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="outbox.resent"))
    assert event.object_id == str(message.id) and event.before["status"] == "failed"
    assert [m["To"] for m in smtp_server.messages] == ["a@example.org"]


def test_the_outbox_shows_each_delivery_outcome_and_why_a_message_failed(client, db, sign_in):
    failed = OutboxMessage(recipient="a@example.org", subject="Broken", body="x", delivered_via="smtp",
                           status="failed", error="SMTPRecipientsRefused: no such mailbox", attempts=1)
    retrying = OutboxMessage(recipient="b@example.org", subject="Later", body="y", delivered_via="smtp",
                             status="retrying", error="ConnectionRefusedError", attempts=2,
                             next_attempt_at=utcnow() + timedelta(minutes=2))
    db.session.add_all([failed, retrying])
    sign_in("admin")
    listing = client.get("/recruitment/outbox").soup
    assert [row.find_all("td")[3].get_text(strip=True) for row in listing.select("tbody tr")] == [
        "Retrying", "Failed"]
    text = client.get(f"/recruitment/outbox/{failed.id}").soup.get_text(" ")
    assert "Why the last attempt failed" in text and "no such mailbox" in text
    assert "Next attempt" in client.get(f"/recruitment/outbox/{retrying.id}").soup.get_text(" ")


def test_the_outbox_hides_live_signed_links_from_admins(client, db, sign_in):
    from scheduler.links import make_token

    with client.application.test_request_context():
        token = make_token("invitation", 1)
    body = f"Set your password: http://localhost/set-password/{token}\nThe register: http://localhost/notifications/3"
    message = OutboxMessage(recipient="a@example.org", subject="Invite", body=body, delivered_via="console")
    db.session.add(message)
    sign_in("admin")
    page = client.get(f"/recruitment/outbox/{message.id}").get_data(as_text=True)
    assert token not in page and token[:20] not in page
    assert "only the recipient can see it" in page
    assert "http://localhost/notifications/3" in page


def test_with_redis_a_worker_sends_the_mail_queue_and_schedules_each_retry(app, db, smtp_server):
    import os

    from redis import Redis
    from rq import Queue, SimpleWorker

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    connection = Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {url} ({error}): start redis-server to run the RQ test")
    queue = Queue(mail.QUEUE_NAME, connection=connection)
    queue.empty()
    app.config["REDIS_URL"] = url
    try:
        good = mail.send_mail("good@example.org", "Hello", "Hi")
        db.session.commit()
        assert good.status == "pending" and queue.count == 1  # queued, not sent by the web process
        SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.refresh(good)
        assert good.status == "sent"
        app.config["MAIL_PORT"] = 1
        later = mail.send_mail("later@example.org", "Hello", "Hi")
        db.session.commit()
        SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.refresh(later)
        assert later.status == "retrying"
        assert queue.scheduled_job_registry.count == 1
    finally:
        app.config["REDIS_URL"] = None
        for job_id in queue.scheduled_job_registry.get_job_ids():
            queue.scheduled_job_registry.remove(job_id, delete_job=True)
        queue.empty()
    assert [m["To"] for m in smtp_server.messages] == ["good@example.org"]
