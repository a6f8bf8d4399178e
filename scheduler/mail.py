"""Sending email through a transactional outbox: no message is ever lost or wrongly marked sent.

`send_mail` writes the message in the caller's transaction, so a change that is rolled back never
tells anyone it happened, and one that commits always has its messages. After the commit a sender
tries each message and records the outcome on its row: sent, retrying (with the next attempt's
time, backing off exponentially) or failed (with the reason). Where the sender runs:
  * ``REDIS_URL`` set: an RQ job on the ``mail`` queue, run by ``flask worker``, which schedules
    each retry; if Redis cannot be reached, the web process sends instead;
  * otherwise: in the web process, right after the commit;
  * ``flask outbox send`` sends every message that is due (run it every few minutes from cron
    when there is no worker: it is what retries messages without Redis).
Nothing the sender does can turn a committed request into an error: it logs and leaves the
message due for the next try.
"""
from __future__ import annotations

import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from scheduler.extensions import db
from scheduler.models import MessageStatus, OutboxMessage, utcnow

SMTP_TIMEOUT_SECONDS = 10
QUEUE_NAME = "mail"
PENDING = "pending_mail"
# Attempts 1..6 are 1, 2, 4, 8 and 16 minutes apart (about half an hour in all), then it fails.
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)
DUE = (MessageStatus.PENDING.value, MessageStatus.RETRYING.value)


class Undeliverable(Exception):
    """The message can never be sent as it is (a malformed header, an address the server refuses)."""


def send_mail(to: str, subject: str, body: str) -> OutboxMessage:
    """Record the message in the caller's transaction; it is delivered when that commits."""
    via = "smtp" if current_app.config.get("MAIL_SERVER") else "console"
    message = OutboxMessage(recipient=to, subject=subject, body=body, delivered_via=via,
                            status=MessageStatus.PENDING.value)
    db.session.add(message)
    db.session.info.setdefault(PENDING, []).append(message)
    return message


def init_mail(app: Flask) -> None:
    if event.contains(Session, "after_commit", _deliver_pending):
        return
    event.listen(Session, "before_commit", _settle_pending)
    event.listen(Session, "after_commit", _deliver_pending)
    event.listen(Session, "after_rollback", _discard_pending)


def _settle_pending(session: Session) -> None:
    """Before commit: flush so each message has its id, and keep only the ids for afterwards."""
    pending = session.info.get(PENDING)
    if pending:
        session.flush()
        session.info[PENDING] = [m if isinstance(m, int) else m.id for m in pending]


def _deliver_pending(session: Session) -> None:
    ids = session.info.pop(PENDING, [])
    if ids and has_app_context():
        dispatch(ids)


def _discard_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def dispatch(ids: list[int]) -> None:
    """Hand committed messages to the sender. Never raises: a message not sent now stays due."""
    app = current_app._get_current_object()
    try:
        if app.config.get("REDIS_URL"):
            try:
                _queue(app).enqueue("scheduler.mail.deliver_job", ids, result_ttl=3600, failure_ttl=86400)
                return
            except Exception:  # Redis down: send from here rather than wait for cron
                app.logger.exception("Could not queue outbox messages %s: sending them in this process", ids)
        deliver(app, ids)
    except Exception:
        app.logger.exception("Outbox messages %s were not sent; `flask outbox send` will retry them", ids)


def _queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(app.config["REDIS_URL"]))


def deliver_job(ids: list[int]) -> None:
    """The RQ job: try the messages, then schedule each one still retrying for its next attempt."""
    app = current_app._get_current_object()
    for message_id, retry_at in deliver(app, ids).items():
        if retry_at is not None:
            _queue(app).enqueue_at(retry_at, "scheduler.mail.deliver_job", [message_id])


def due_ids(now: datetime | None = None) -> list[int]:
    return list(db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status.in_(DUE), OutboxMessage.next_attempt_at <= (now or utcnow()))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)))


def deliver(app: Flask, ids: Iterable[int]) -> dict[int, datetime | None]:
    """Try each due message among ids, each in its own transaction; {id: next attempt or None}."""
    outcome = {}
    for message_id in ids:
        try:
            outcome[message_id] = _attempt(app, message_id)
        except Exception:
            app.logger.exception("Outbox message %s: the attempt could not be recorded", message_id)
    return outcome


def _attempt(app: Flask, message_id: int) -> datetime | None:
    # Its own session: this also runs inside another session's after-commit hook. The row lock
    # (skipped if another sender holds it) keeps two senders from sending the same message.
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        message = session.scalar(
            db.select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(DUE),
                   OutboxMessage.next_attempt_at <= utcnow())
            .with_for_update(skip_locked=True))
        if message is None:
            return None
        message.attempts += 1
        try:
            _deliver(app, message)
        except Undeliverable as error:
            _fail(message, str(error))
        except (OSError, smtplib.SMTPException) as error:
            reason = f"{type(error).__name__}: {error}"
            if message.attempts >= MAX_ATTEMPTS:
                _fail(message, f"Gave up after {message.attempts} attempts. {reason}")
            else:
                message.status = MessageStatus.RETRYING.value
                message.error = reason
                message.next_attempt_at = utcnow() + FIRST_RETRY * 2 ** (message.attempts - 1)
                app.logger.warning("Email %s to %s failed (attempt %s), retrying at %s: %s", message.id,
                                   message.recipient, message.attempts, message.next_attempt_at, reason)
        else:
            message.status = MessageStatus.SENT.value
            message.sent_at = utcnow()
            message.next_attempt_at = None
        return message.next_attempt_at


def _fail(message: OutboxMessage, reason: str) -> None:
    message.status = MessageStatus.FAILED.value
    message.error = reason
    message.next_attempt_at = None
    current_app.logger.error("Email %s to %s failed for good: %s", message.id, message.recipient, reason)


def _email(config, message: OutboxMessage) -> EmailMessage:
    """The message as it goes out; Undeliverable if its headers cannot be written safely."""
    email = EmailMessage()
    try:
        email["From"] = config["MAIL_SENDER"]
        email["To"] = message.recipient
        email["Subject"] = message.subject
    except (ValueError, TypeError) as error:  # a line break in a header would forge others
        raise Undeliverable(f"The message cannot be sent as written: {error}") from error
    email.set_content(message.body)
    return email


def _deliver(app: Flask, message: OutboxMessage) -> None:
    """Send one message (SMTP, or the log without a mail server); raises why it could not."""
    config = app.config
    email = _email(config, message)
    if not config.get("MAIL_SERVER"):
        app.logger.info("Email to %s\nSubject: %s\n\n%s", message.recipient, message.subject, message.body)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        raise Undeliverable(f"The mail server refused the address: {error}") from error
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:  # a permanent refusal: trying again cannot help
            raise Undeliverable(f"The mail server refused the message: {error.smtp_code} "
                                f"{error.smtp_error!r}") from error
        raise


def resend(message: OutboxMessage) -> None:
    """Queue a message again (an admin's resend), in the caller's transaction; sent after commit."""
    message.status = MessageStatus.PENDING.value
    message.next_attempt_at = utcnow()
    message.error = None
    message.attempts = 0
    db.session.info.setdefault(PENDING, []).append(message)
