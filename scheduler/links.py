"""Signed, expiring, single-use links for people without an account (employers, partners,
invited assessors). Built once; every such journey uses it."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.models import UsedLink


class LinkProblem(Exception):
    """Why a link cannot be used, in words for the person who clicked it."""

    title = "This link cannot be used"


class LinkInvalid(LinkProblem):
    title = "This link is not valid"


class LinkExpired(LinkProblem):
    title = "This link has expired"


class LinkUsed(LinkProblem):
    title = "This link has already been used"


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email: the configured BASE_URL, never the request's Host header."""
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


# A link carrying a token made by make_token (itsdangerous: payload.timestamp.signature).
SIGNED_LINK = re.compile(r"https?://\S*?\.?[\w-]{8,}\.[\w-]{4,}\.[\w-]{16,}\S*")
REDACTED = "[signed link: only the recipient can see it]"


def redact_signed_links(text: str) -> str:
    """text with every signed link replaced: whoever reads a copy (the admins' outbox) cannot use it."""
    return SIGNED_LINK.sub(REDACTED, text)


@dataclass(frozen=True)
class SignedLink:
    purpose: str
    subject_id: int
    nonce: str


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"link:{purpose}")


def make_token(purpose: str, subject_id: int, *, state: str | None = None) -> str:
    """state: what the subject looked like when the link was sent (see read_token's state_of)."""
    data = {"id": subject_id, "n": secrets.token_urlsafe(16)}
    if state is not None:
        data["s"] = state
    return _serializer(purpose).dumps(data)


def read_token(token: str, purpose: str, max_age: timedelta,
               state_of: Callable[[int], str] | None = None) -> SignedLink:
    """The link's contents, or a LinkProblem. Reading does not use the link up. With state_of, a link
    whose subject has changed since it was made (state_of(id) differs from the state it was made
    with) counts as used: a second link sent for the same thing dies when the first is used."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise LinkExpired() from error
    except BadSignature as error:
        raise LinkInvalid() from error
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(data.get("n"), str):
        raise LinkInvalid()
    if db.session.get(UsedLink, data["n"]) is not None:
        raise LinkUsed()
    if state_of is not None and data.get("s") != state_of(data["id"]):
        raise LinkUsed()
    return SignedLink(purpose=purpose, subject_id=data["id"], nonce=data["n"])


def use(link: SignedLink) -> None:
    """Mark the link used in the caller's transaction; a concurrent second use fails here."""
    db.session.add(UsedLink(nonce=link.nonce, purpose=link.purpose))
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise LinkUsed() from error
