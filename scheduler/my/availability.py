"""Unavailable periods: the rules for a new or changed period, merging, and a 12-month summary."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler.audit import record
from scheduler.extensions import db
from scheduler.formatting import format_period
from scheduler.models import Assessor, Unavailability

MAX_YEARS_AHEAD = 2
MAX_REASON_LENGTH = 200


def today() -> date:
    """The service's idea of today (tests replace it)."""
    return date.today()


def two_years_from(today: date) -> date:
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def touches(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Overlapping, or one starting the day after the other ends."""
    return a_start <= b_end + timedelta(days=1) and b_start <= a_end + timedelta(days=1)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


@dataclass
class Merge:
    starts_on: date
    ends_on: date
    absorbed: list[Unavailability] = field(default_factory=list)

    def message(self, new_start: date, new_end: date, whose: str = "your") -> str | None:
        if not self.absorbed:
            return None
        periods = [format_period(u.starts_on, u.ends_on) for u in self.absorbed]
        joined = periods[0] if len(periods) == 1 else ", ".join(periods[:-1]) + " and " + periods[-1]
        noun = "leave" if len(periods) == 1 else "periods of leave"
        if any(overlaps(new_start, new_end, u.starts_on, u.ends_on) for u in self.absorbed):
            verb = "overlaps"
        else:
            verb = "runs straight on from"
        return f"This {verb} {whose} {noun} from {joined}, so we joined them into one period"


def merge_with(start: date, end: date, others: list[Unavailability]) -> Merge:
    """Join a period with every existing one it overlaps or touches, repeatedly (a long period can
    bridge two others)."""
    merge = Merge(start, end)
    remaining = sorted(others, key=lambda u: (u.starts_on, u.id or 0))
    changed = True
    while changed:
        changed = False
        for u in list(remaining):
            if touches(merge.starts_on, merge.ends_on, u.starts_on, u.ends_on):
                merge.starts_on = min(merge.starts_on, u.starts_on)
                merge.ends_on = max(merge.ends_on, u.ends_on)
                merge.absorbed.append(u)
                remaining.remove(u)
                changed = True
    merge.absorbed.sort(key=lambda u: u.starts_on)
    return merge


def merged_reason(reasons: list[str]) -> str:
    seen: list[str] = []
    for r in reasons:
        r = (r or "").strip()
        if r and r not in seen:
            seen.append(r)
    text = "; ".join(seen)
    return text if len(text) <= MAX_REASON_LENGTH else text[: MAX_REASON_LENGTH - 1] + "…"


def save_period(me: Assessor, start: date, end: date, reason: str | None, existing: Unavailability | None,
                whose: str = "your") -> str | None:
    """Store a period, joined with any it overlaps or touches, and audit it (as whoever is signed in: the
    assessor, or a coordinator acting for them). In the caller's transaction. Returns the merge message."""
    reason = (reason or "").strip()
    others = [u for u in me.unavailability if existing is None or u.id != existing.id]
    merge = merge_with(start, end, others)
    message = merge.message(start, end, whose)  # before the rows it names are changed
    target = existing
    before = None
    if target is None and merge.absorbed:
        target = merge.absorbed[0]  # keep the earliest existing row, so its id lives on
    if target is not None:
        before = {"starts_on": target.starts_on.isoformat(), "ends_on": target.ends_on.isoformat(),
                  "reason": target.reason}
    absorbed = [u for u in merge.absorbed if u is not target]
    reasons = [reason] + [u.reason for u in merge.absorbed]
    if target is None:
        target = Unavailability(assessor=me)
        db.session.add(target)
    target.starts_on, target.ends_on = merge.starts_on, merge.ends_on
    target.reason = merged_reason(reasons)
    for u in absorbed:
        me.unavailability.remove(u)
        db.session.delete(u)
    db.session.flush()
    after = {"unavailability_id": target.id, "starts_on": target.starts_on.isoformat(),
             "ends_on": target.ends_on.isoformat(), "reason": target.reason}
    if merge.absorbed:
        after["merged"] = [{"starts_on": u.starts_on.isoformat(), "ends_on": u.ends_on.isoformat()}
                           for u in merge.absorbed]
    action = "unavailability.changed" if existing is not None else (
        "unavailability.merged" if merge.absorbed else "unavailability.added")
    record(action, object_type="assessor", object_id=me.id, before=before, after=after)
    return message


def remove_period(me: Assessor, existing: Unavailability) -> None:
    """Delete a period and audit it, in the caller's transaction."""
    record("unavailability.removed", object_type="assessor", object_id=me.id,
           before={"unavailability_id": existing.id, "starts_on": existing.starts_on.isoformat(),
                   "ends_on": existing.ends_on.isoformat(), "reason": existing.reason})
    me.unavailability.remove(existing)
    db.session.delete(existing)


# --- The next 12 months, as month grids -------------------------------------------------------

@dataclass
class Day:
    day: date
    unavailable: bool = False
    deployed: bool = False
    today: bool = False

    @property
    def classes(self) -> str:
        names = ["app-calendar__day"]
        if self.unavailable:
            names.append("app-calendar__day--unavailable")
        if self.deployed:
            names.append("app-calendar__day--deployed")
        if self.today:
            names.append("app-calendar__day--today")
        return " ".join(names)

    @property
    def description(self) -> str:
        parts = []
        if self.unavailable:
            parts.append("unavailable")
        if self.deployed:
            parts.append("deployed")
        return ", ".join(parts)


@dataclass
class Month:
    first: date
    weeks: list[list[Day | None]]
    unavailable_days: int
    deployed_days: int
    periods: list[str]

    @property
    def caption(self) -> str:
        return f"{self.first:%B %Y}"


def next_twelve_months(today: date, unavailability: list[Unavailability], deployed: set[date]) -> list[Month]:
    months: list[Month] = []
    year, month = today.year, today.month
    for _ in range(12):
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        in_month = [u for u in unavailability if overlaps(u.starts_on, u.ends_on, first, last)]
        off = set()
        for u in in_month:
            d = max(u.starts_on, first)
            while d <= min(u.ends_on, last):
                off.add(d)
                d += timedelta(days=1)
        weeks: list[list[Day | None]] = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([Day(d, d in off, d in deployed, d == today) if d.month == month else None for d in week])
        months.append(Month(
            first=first, weeks=weeks, unavailable_days=len(off),
            deployed_days=sum(1 for d in deployed if first <= d <= last),
            periods=[format_period(u.starts_on, u.ends_on) for u in in_month],
        ))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months
