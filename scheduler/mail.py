"""Sending email: SMTP when configured, otherwise the console. Every message is kept in the outbox."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from scheduler.extensions import db
from scheduler.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 10


def send_mail(to: str, subject: str, body: str) -> OutboxMessage:
    """Send now and record it in the caller's transaction. A failed send is recorded, not raised:
    the user's action has succeeded and the message can be re-sent from the outbox."""
    config = current_app.config
    message = OutboxMessage(recipient=to, subject=subject, body=body, delivered_via="console")
    if config.get("MAIL_SERVER"):
        message.delivered_via = "smtp"
        try:
            _send_smtp(to, subject, body)
        except (OSError, smtplib.SMTPException) as error:
            message.error = f"{type(error).__name__}: {error}"
            current_app.logger.error("Email to %s failed: %s", to, message.error)
    else:
        current_app.logger.info("Email to %s\nSubject: %s\n\n%s", to, subject, body)
    db.session.add(message)
    return message


def _send_smtp(to: str, subject: str, body: str) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
