"""How the solver names things in sentences a coordinator reads.

People by name and reference ("Ailsa MacKay (A00002)"), areas by name ("Moray"), inspections by
title and reference, specialisms in words ("Children and young people"), dates in words ("5 April
2027").  ISO dates and codes stay in JSON and CSV only.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .domain import Assessor, Inspection, Instance

MAX_LISTED_DAYS = 5
# The words for the specialism codes; the web app shows these too (scheduler.models.choices).
SPECIALISMS = {"children": "Children and young people", "adults": "Adults and older people",
               "justice": "Justice social work"}


def person(assessor: Assessor) -> str:
    return f"{assessor.name} ({assessor.id})" if assessor.name else assessor.id


def place(instance: Instance, area_id: str) -> str:
    area = instance.area_by_id.get(area_id)
    return area.name if area is not None and area.name else area_id


def inspection(ins: Inspection) -> str:
    return f"{ins.title} ({ins.id})" if ins.title else ins.id


def specialism(code: str) -> str:
    """A specialism in words; a code the spec allows but that has no words here stays as given."""
    return SPECIALISMS.get(code, code)


def day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def days(ds: Iterable[date]) -> str:
    """Up to five days in words, then how many more."""
    listed = sorted(ds)
    if not listed:
        return "no days"
    words = [day(d) for d in listed[:MAX_LISTED_DAYS]]
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    if len(listed) > MAX_LISTED_DAYS:
        text = ", ".join(words) + f" and {len(listed) - MAX_LISTED_DAYS} more"
    return text


def named_days(word: str, ds: Iterable[date]) -> str:
    """"mandatory day 5 April 2027", "mandatory days 5 April 2027 and 6 April 2027"."""
    listed = list(ds)
    return f"{word} {'day' if len(listed) == 1 else 'days'} {days(listed)}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
