"""Dates and people written for people: dates the GOV.UK way ("5 April 2027", no leading zero, no
ordinal), assessors by name and reference ("Ailsa MacKay (A00002)"). ISO dates stay in JSON; CSV
exports are read by people, so they use these too. Also the Jinja filters in FILTERS (registered in
`scheduler.register_templates`)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Iterable
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def long_date(d: date | str | None) -> str:
    """'5 April 2027' (a datetime shows its date only; an ISO string, as kept in JSON, is read first);
    empty for no date, so templates need no guard."""
    if isinstance(d, str):
        d = date.fromisoformat(d) if d else None
    return f"{d.day} {d:%B %Y}" if d else ""


def day_with_weekday(d: date | None) -> str:
    """'Monday 5 April 2027'; empty for no date."""
    return f"{d:%A} {long_date(d)}" if d else ""


def to_uk(moment: datetime | None) -> datetime | None:
    """A stored UTC timestamp as UK wall-clock time (GMT or BST), without a zone. Timestamps are
    stored in UTC (`models.base.utcnow`) and people read UK time, so every time shown goes through
    here (`uk_date`, `uk_when`), labelled "(UK time)"."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(UK).replace(tzinfo=None)


def time_of_day(moment: datetime | time | None) -> str:
    """The GOV.UK way: '9am', '2:05pm', 'midday', 'midnight' (the clock as given: no conversion)."""
    if moment is None:
        return ""
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def uk_date(moment: datetime | None) -> str:
    """The UK date of a stored UTC timestamp: '5 April 2027' (23:30 UTC in summer is the next day)."""
    return long_date(to_uk(moment))


def uk_when(moment: datetime | None) -> str:
    """A stored UTC timestamp for people: '5 April 2027 at 2:05pm (UK time)'."""
    local = to_uk(moment)
    return f"{long_date(local)} at {time_of_day(local)} (UK time)" if local else ""


def format_period(start: date, end: date, *, weekdays: bool = False) -> str:
    """'5 April to 16 April 2027', '28 December 2026 to 3 January 2027', '5 April 2027'; with
    `weekdays` (where the days matter: time off, inspection days) 'Monday 5 April to Friday 16 April 2027'."""
    day = (lambda d: f"{d:%A} ") if weekdays else (lambda d: "")
    if start == end:
        return day(start) + long_date(start)
    first = long_date(start) if start.year != end.year else f"{start.day} {start:%B}"
    return f"{day(start)}{first} to {day(end)}{long_date(end)}"


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
           "day_list": day_list, "person": person, "time_of_day": time_of_day, "uk_date": uk_date,
           "uk_when": uk_when, "to_uk": to_uk}
