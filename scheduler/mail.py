"""Sending email: SMTP when configured, otherwise the console. Every message is kept in the outbox.

Messages go out only after the transaction that wrote them commits, so a change that is rolled
back never tells anyone it happened.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from scheduler.extensions import db
from scheduler.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 10
PENDING = "pending_mail"


def send_mail(to: str, subject: str, body: str) -> OutboxMessage:
    """Record the message in the caller's transaction; it is delivered when that commits."""
    via = "smtp" if current_app.config.get("MAIL_SERVER") else "console"
    message = OutboxMessage(recipient=to, subject=subject, body=body, delivered_via=via)
    db.session.add(message)
    db.session.info.setdefault(PENDING, []).append((current_app._get_current_object(), message))
    return message


def init_mail(app: Flask) -> None:
    if event.contains(Session, "after_commit", _deliver_pending):
        return
    event.listen(Session, "before_commit", _settle_pending)
    event.listen(Session, "after_commit", _deliver_pending)
    event.listen(Session, "after_rollback", _discard_pending)


def _settle_pending(session: Session) -> None:
    """Before commit: flush so each message has its id, and keep plain values to send afterwards."""
    pending = session.info.get(PENDING)
    if pending:
        session.flush()
        session.info[PENDING] = [
            (flask_app, message.id, message.recipient, message.subject, message.body)
            for flask_app, message in pending
        ]


def _deliver_pending(session: Session) -> None:
    for flask_app, message_id, to, subject, body in session.info.pop(PENDING, []):
        error = _deliver(flask_app, to, subject, body)
        if error:
            with flask_app.app_context(), db.engine.begin() as connection:
                connection.execute(db.update(OutboxMessage).where(OutboxMessage.id == message_id)
                                   .values(error=error))

def _discard_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def _deliver(app: Flask, to: str, subject: str, body: str) -> str | None:
    """Send one message; the error in words if it could not be sent."""
    config = app.config
    if not config.get("MAIL_SERVER"):
        app.logger.info("Email to %s\nSubject: %s\n\n%s", to, subject, body)
        return None
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        # The user's change has committed; the outbox keeps the message and why it failed.
        app.logger.error("Email to %s failed: %s: %s", to, type(error).__name__, error)
        return f"{type(error).__name__}: {error}"
    return None
