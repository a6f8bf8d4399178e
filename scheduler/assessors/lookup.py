"""An assessor typed by a coordinator: a reference (A00017), a full name, or a suggestion picked from
the autocomplete ("Morag Lyle (A00017)"). One reading of what was typed for every form that asks
"which assessor?", and the suggestions the autocomplete shows."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from scheduler.extensions import db
from scheduler.formatting import person
from scheduler.models import Assessor
from scheduler.text import fold

from .directory import matching

REFERENCE = re.compile(r"^A\d{5}$", re.IGNORECASE)
PICKED = re.compile(r"\((A\d{5})\)\s*$", re.IGNORECASE)  # the reference at the end of a suggestion
MAX_SUGGESTIONS = 10
MAX_NAMED_IN_PROBLEM = 5


@dataclass(frozen=True)
class Lookup:
    reference: str | None = None
    problem: str | None = None


def assessor_autocomplete() -> dict[str, str]:
    """The attributes that turn a text input into a name-or-reference autocomplete when JavaScript
    runs (frontend/js/assessor-autocomplete.js); without it the input stays a plain text box."""
    return {"data-module": "app-assessor-autocomplete", "data-source": url_for("assessors.suggestions")}


EMAIL_TAKEN = "Another assessor already uses this email address: enter a different one"


def email_taken(email: str, assessor: Assessor) -> bool:
    """Whether another assessor already has this contact email (it is unique to each)."""
    return db.session.scalar(sa.select(Assessor.id).where(Assessor.email == email, Assessor.id != assessor.id)) \
        is not None


def lookup(typed: str) -> Lookup:
    """The assessor meant by what was typed, or the problem to show beside the field."""
    text = " ".join((typed or "").split())
    picked = PICKED.search(text)
    reference = picked.group(1) if picked else text if REFERENCE.match(text) else None
    if reference:
        reference = reference.upper()
        if db.session.scalar(sa.select(Assessor.id).filter_by(reference=reference)) is None:
            return Lookup(problem=f"No assessor has the reference {reference}")
        return Lookup(reference)
    if not text:
        return Lookup(problem="Enter the assessor's name or reference")
    # the search narrows to those whose details hold every word; the name must then be the whole name
    candidates = db.session.execute(sa.select(Assessor.reference, Assessor.name).where(*matching(db.session, text)))
    exact = sorted(r.reference for r in candidates if fold(r.name) == fold(text))
    if len(exact) == 1:
        return Lookup(exact[0])
    if exact:
        shown = " or ".join(exact) if len(exact) <= MAX_NAMED_IN_PROBLEM else \
            ", ".join(exact[:MAX_NAMED_IN_PROBLEM]) + " or another"
        return Lookup(problem=f"{len(exact)} assessors are called {text}: enter the reference of the one you "
                              f"mean ({shown})")
    return Lookup(problem=f"No assessor is called {text}: enter their full name as in the directory, "
                          f"or their reference, like A00017")


def suggestions(typed: str) -> list[dict[str, str]]:
    """Up to 10 assessors whose name, reference, email or employer match every word typed."""
    where = matching(db.session, typed)
    if not where:
        return []
    rows = db.session.scalars(sa.select(Assessor).where(*where)
                              .order_by(sa.func.lower(Assessor.name), Assessor.id).limit(MAX_SUGGESTIONS))
    return [{"reference": a.reference, "name": a.name, "label": person(a.name, a.reference)} for a in rows]
