"""Dates and people written for people: dates the GOV.UK way ("5 April 2027", no leading zero, no
ordinal), assessors by name and reference ("Ailsa MacKay (A00002)"). ISO dates stay in JSON; CSV
exports are read by people, so they use these too. Also the Jinja filters in FILTERS (registered in `scheduler.register_templates`)."""
from __future__ import annotations

from datetime import date
from typing import Iterable


def long_date(d: date | None) -> str:
    """'5 April 2027' (a datetime shows its date only); empty for no date, so templates need no guard."""
    return f"{d.day} {d:%B %Y}" if d else ""


def day_with_weekday(d: date | None) -> str:
    """'Monday 5 April 2027'; empty for no date."""
    return f"{d:%A} {long_date(d)}" if d else ""


def format_period(start: date, end: date) -> str:
    """'5 April to 16 April 2027', '28 December 2026 to 3 January 2027', '5 April 2027'."""
    if start == end:
        return long_date(start)
    first = long_date(start) if start.year != end.year else f"{start.day} {start:%B}"
    return f"{first} to {long_date(end)}"


def _dates(days: Iterable[date | str]) -> list[date]:
    return sorted(date.fromisoformat(d) if isinstance(d, str) else d for d in days)


def day_span(days: Iterable[date | str]) -> str:
    """A deployment's or inspection's days: '5 April 2027', '8 days, 5 April to 16 April 2027'."""
    ds = _dates(days)
    if len(ds) <= 1:
        return long_date(ds[0]) if ds else ""
    return f"{len(ds)} days, {format_period(ds[0], ds[-1])}"


def day_list(days: Iterable[date | str]) -> str:
    """Every day in words: '5 April 2027', '5 April 2027 and 6 April 2027', 'a, b and c'."""
    words = [long_date(d) for d in _dates(days)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


def person(name: str | None, reference: str) -> str:
    """How a sentence names an assessor: 'Ailsa MacKay (A00002)' (the reference alone if no name)."""
    return f"{name} ({reference})" if name else reference


FILTERS = {"long_date": long_date, "day_with_weekday": day_with_weekday, "day_span": day_span,
           "day_list": day_list, "person": person}
