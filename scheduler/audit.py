"""Audit events, added to the caller's transaction so change and record commit together."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from scheduler.extensions import db
from scheduler.models import AuditEvent


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    user_id: int | None = None,
    commit: bool = False,
) -> AuditEvent:
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        user_id=user_id,
        ip=client_ip(),
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
