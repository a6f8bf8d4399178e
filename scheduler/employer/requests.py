"""Requests an employer answers through an emailed link, without an account.

Each kind of request registers its link purpose, how long its links last, how to find what the
link is about, and the view that shows and answers it. `/employer/<token>` works out which kind a
token is from its signature, so a second kind (a deployment confirmation) slots in beside the first.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from scheduler.links import LinkInvalid, LinkProblem, LinkUsed, SignedLink, read_token


@dataclass(frozen=True)
class RequestKind:
    purpose: str
    max_age: timedelta
    load: Callable[[int], Any | None]          # the thing the link is about, or None
    is_pending: Callable[[Any], bool]           # still waiting for the employer's answer?
    respond: Callable[[str, SignedLink, Any], Any]  # (token, link, subject) -> response


KINDS: dict[str, RequestKind] = {}


def register(kind: RequestKind) -> RequestKind:
    KINDS[kind.purpose] = kind
    return kind


def resolve(token: str) -> tuple[RequestKind, SignedLink, Any]:
    """The request a token is for, or a LinkProblem. Nothing is changed."""
    for kind in KINDS.values():
        try:
            link = read_token(token, kind.purpose, kind.max_age)
        except LinkInvalid:
            continue  # signed for another purpose (or not at all): try the next kind
        except LinkProblem:
            raise
        subject = kind.load(link.subject_id)
        if subject is None:
            raise LinkInvalid()
        if not kind.is_pending(subject):
            raise LinkUsed()
        return kind, link, subject
    raise LinkInvalid()
