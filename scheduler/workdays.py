"""Working days in Scotland: weekdays that are not Scottish bank holidays.

The one home of the working-day rule. Bank holidays come from the `holidays` package
(``holidays.country_holidays("GB", subdiv="SCT")``), which includes the Scottish days
(2 January, the first Monday of August, St Andrew's Day) and the substitute days given
when Christmas, Boxing Day or New Year fall at a weekend.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> tuple[tuple[date, str], ...]:
    found = holidays.country_holidays("GB", subdiv="SCT", years=year)
    return tuple(sorted(found.items()))


def scottish_bank_holidays(years: int | Iterable[int]) -> dict[date, str]:
    """Every Scottish bank holiday in the given year(s), by date, with its name."""
    wanted = [years] if isinstance(years, int) else sorted(set(years))
    out: dict[date, str] = {}
    for year in wanted:
        out.update(_holidays_in(year))
    return out


def bank_holiday_name(day: date) -> str | None:
    return scottish_bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and bank_holiday_name(day) is None


def weekdays(start: date, end: date) -> list[date]:
    """Monday to Friday from start to end inclusive (bank holidays included)."""
    return [start + timedelta(n) for n in range((end - start).days + 1) if (start + timedelta(n)).weekday() < 5]


def working_days(start: date, end: date) -> list[date]:
    """The working days from start to end inclusive: no weekends, no Scottish bank holidays."""
    if end < start:
        return []
    closed = scottish_bank_holidays(range(start.year, end.year + 1))
    return [d for d in weekdays(start, end) if d not in closed]


def add_working_days(day: date, n: int) -> date:
    """The nth working day after `day` (n > 0) or before it (n < 0); `day` itself never counts.

    add_working_days(day, 0) is `day` if it is a working day, else the next working day.
    """
    if n == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day
