"""Reading the register: rows with their computed deadlines, filters and the dashboard's figures.
Deadlines are computed in Python from `deadlines.py` (the register holds hundreds of
rows a year, not millions), so the rules live in one place and never go stale in a column."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy.orm import selectinload

from scheduler.extensions import db
from scheduler.formatting import UK
from scheduler.formatting import to_uk as to_uk  # export.py and routes.py take it from here
from scheduler.models import Area, Notification, NotificationKind, NotificationStatus
from scheduler.privacy.schedule import NOTIFICATIONS

from . import deadlines as rules
from .deadlines import Deadline, DeadlineState


def uk_today() -> date:
    return datetime.now(UK).date()


def uk_now_naive() -> datetime:
    """The UK wall-clock time now, without a zone: how `notified_at` is kept."""
    return datetime.now(UK).replace(tzinfo=None, microsecond=0)


def due_soon_days() -> int:
    return int(current_app.config.get("NOTIFICATION_DUE_SOON_DAYS", rules.DUE_SOON_DAYS))


def retention_days() -> int:
    return NOTIFICATIONS.amount


@dataclass
class Row:
    notification: Notification
    deadlines: list[Deadline]
    next: Deadline | None
    retention_review_on: date
    today: date

    @property
    def retention_due(self) -> bool:
        return self.today >= self.retention_review_on

    @property
    def deadline_state(self) -> str:
        return self.next.state.value if self.next else "none"


def row_for(notification: Notification, today: date | None = None) -> Row:
    today = today or uk_today()
    soon = due_soon_days()
    all_deadlines = rules.deadlines_for(notification, today, soon)
    return Row(
        notification=notification,
        deadlines=all_deadlines,
        next=rules.next_deadline(notification, today, soon),
        retention_review_on=rules.retention_review_on(notification, retention_days()),
        today=today,
    )


def _sort_key(row: Row):
    # Next due date first; rows with no open deadline after, newest event first among them.
    if row.next:
        return (0, row.next.due_on.toordinal(), row.notification.id)
    return (1, -row.notification.event_date.toordinal(), row.notification.id)


def rows(*, kind: str = "", area_id: str = "", status: str = "", deadline: str = "",
         retention: bool = False, today: date | None = None) -> list[Row]:
    query = db.select(Notification).options(selectinload(Notification.extensions),
                                            selectinload(Notification.area))
    if kind in {k.value for k in NotificationKind}:
        query = query.filter(Notification.kind == kind)
    # Only a known area reaches the query (PostgreSQL refuses text with a NUL character: a 500).
    if area_id in set(db.session.scalars(db.select(Area.id))):
        query = query.filter(Notification.area_id == area_id)
    if status in {s.value for s in NotificationStatus}:
        query = query.filter(Notification.status == status)
    result = [row_for(n, today) for n in db.session.scalars(query)]
    if deadline:
        result = [r for r in result if r.deadline_state == deadline]
    if retention:
        result = [r for r in result if r.retention_due]
    return sorted(result, key=_sort_key)


def area_choices() -> list[tuple[str, str]]:
    return [(a.id, a.name) for a in db.session.scalars(db.select(Area).order_by(Area.name))]


# ---------------------------------------------------------------- dashboard


@dataclass
class QuarterFigure:
    quarter: tuple[int, int]
    kind: NotificationKind
    count: int
    decided: int
    on_time: int

    @property
    def label(self) -> str:
        return rules.quarter_label(self.quarter)

    @property
    def share_on_time(self) -> int | None:
        return round(100 * self.on_time / self.decided) if self.decided else None


def dashboard(today: date | None = None) -> dict:
    today = today or uk_today()
    all_rows = rows(today=today)
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)

    due_this_week = []
    overdue_by_area: Counter[str] = Counter()
    for row in all_rows:
        if row.notification.status == NotificationStatus.CLOSED:
            continue
        for deadline in row.deadlines:
            if not deadline.is_open:
                continue
            if week_start <= deadline.due_on <= week_end:
                due_this_week.append((row, deadline))
            if deadline.state is DeadlineState.OVERDUE:
                overdue_by_area[row.notification.area.name] += 1
    due_this_week.sort(key=lambda pair: (pair[1].due_on, pair[0].notification.id))

    # Quarters by the date notified. "On time" counts deadlines whose outcome is known: met on time
    # against met late or overdue; deadlines still running are not counted either way.
    figures: dict[tuple, QuarterFigure] = {}
    for row in all_rows:
        n = row.notification
        key = (rules.quarter_of(n.notified_at.date()), NotificationKind(n.kind))
        figure = figures.setdefault(key, QuarterFigure(key[0], key[1], 0, 0, 0))
        figure.count += 1
        for deadline in row.deadlines:
            state = deadline.state
            if state in (DeadlineState.MET, DeadlineState.MET_LATE, DeadlineState.OVERDUE):
                figure.decided += 1
                figure.on_time += state is DeadlineState.MET
    ordered = sorted(figures.values(),
                     key=lambda f: (tuple(-x for x in f.quarter), list(NotificationKind).index(f.kind)))
    by_quarter: dict[tuple[int, int], list[QuarterFigure]] = defaultdict(list)
    for figure in ordered:
        by_quarter[figure.quarter].append(figure)

    return {
        "today": today,
        "week_start": week_start,
        "week_end": week_end,
        "due_this_week": due_this_week,
        "overdue_by_area": sorted(overdue_by_area.items(), key=lambda kv: (-kv[1], kv[0])),
        "figures": ordered,
        "by_quarter": list(by_quarter.items())[:8],
        "max_count": max((f.count for f in ordered), default=0),
    }
