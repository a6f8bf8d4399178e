"""Dates written for people, the GOV.UK way ("5 April 2027", no leading zero, no ordinal). Also the
Jinja filters `long_date` and `day_with_weekday` (registered in `scheduler.register_templates`)."""
from __future__ import annotations

from datetime import date


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


FILTERS = {"long_date": long_date, "day_with_weekday": day_with_weekday}
