"""The programme for a year: which inspections, how full their teams are, and the timeline's geometry.

The timeline is drawn server-side as SVG. Every position is an SVG attribute computed here (the CSP
forbids inline styles); colours come from a fixed set of CSS classes, one per inspection type.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from scheduler.extensions import db
from scheduler.models import Deployment, DeploymentStatus, Inspection, InspectionDay, InspectionStatus, Seat

NATIONAL = "national"
# A seat counts as filled by a deployment that is proposed, confirmed by the employer or completed.
FILLED_STATUSES = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value,
                   DeploymentStatus.COMPLETED.value)


@dataclass
class Row:
    inspection: Inspection
    seats: int
    filled: int
    working_days: int

    @property
    def empty(self) -> int:
        return max(self.seats - self.filled, 0)


def years_with_inspections() -> list[int]:
    first, last = db.session.execute(sa.select(sa.func.min(Inspection.starts_on),
                                               sa.func.max(Inspection.ends_on))).one()
    if first is None:
        return []
    return list(range(first.year, last.year + 1))


def default_year(today: date) -> int:
    """The current year while any of its inspections is still to finish; then the next year if it
    has inspections planned (a programme is planned ahead); otherwise the current year."""
    this_year_left = db.session.scalar(
        sa.select(sa.func.count(Inspection.id)).where(
            Inspection.ends_on >= today, Inspection.starts_on <= date(today.year, 12, 31))
    )
    if this_year_left:
        return today.year
    next_year = db.session.scalar(
        sa.select(sa.func.count(Inspection.id)).where(
            Inspection.starts_on >= date(today.year + 1, 1, 1), Inspection.starts_on <= date(today.year + 1, 12, 31))
    )
    return today.year + 1 if next_year else today.year


def filled_by_inspection(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Deployment.inspection_id, sa.func.count(Deployment.id))
        .where(Deployment.inspection_id.in_(ids), Deployment.status.in_(FILLED_STATUSES))
        .group_by(Deployment.inspection_id)
    )
    return {inspection_id: n for inspection_id, n in rows}


PER_PAGE = 100


@dataclass
class Month:
    """Inspections that start in a month of the year (or, for January, before it), and their seats."""
    number: int
    label: str
    inspections: int = 0
    seats: int = 0
    filled: int = 0
    page: int = 1                 # the table's page where the month's first inspection is

    @property
    def empty(self) -> int:
        return max(self.seats - self.filled, 0)


@dataclass
class Programme:
    rows: list[Row]               # this page's inspections
    total: int                    # inspections in the year (matching the filters)
    page: int
    pages: int
    months: list[Month]
    seats: int = 0
    filled: int = 0

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * PER_PAGE, self.total)

    @property
    def empty(self) -> int:
        return max(self.seats - self.filled, 0)


def _figures(year: int, *, type_: str = "", area: str = "", status: str = "") -> sa.Select:
    """One row per inspection running in `year`: id, start, seats, filled, working days (correlated
    counts, so no list of ids is sent back to the database)."""
    seats = (sa.select(sa.func.coalesce(sa.func.sum(Seat.count), 0)).where(Seat.inspection_id == Inspection.id)
             .correlate(Inspection).scalar_subquery())
    filled = (sa.select(sa.func.count(Deployment.id))
              .where(Deployment.inspection_id == Inspection.id, Deployment.status.in_(FILLED_STATUSES))
              .correlate(Inspection).scalar_subquery())
    days = (sa.select(sa.func.count()).select_from(InspectionDay).where(InspectionDay.inspection_id == Inspection.id)
            .correlate(Inspection).scalar_subquery())
    query = (
        sa.select(Inspection.id, Inspection.starts_on, seats.label("seats"), filled.label("filled"),
                  days.label("days"))
        .where(Inspection.starts_on <= date(year, 12, 31), Inspection.ends_on >= date(year, 1, 1))
        .order_by(Inspection.starts_on, Inspection.reference)
    )
    if type_:
        query = query.where(Inspection.type == type_)
    if area == NATIONAL:
        query = query.where(Inspection.area_id.is_(None))
    elif area:
        query = query.where(Inspection.area_id == area)
    if status:
        query = query.where(Inspection.status == status)
    return query


def programme_for(year: int, *, page: int = 1, type_: str = "", area: str = "", status: str = "") -> Programme:
    """The year's inspections a page at a time (date order), and a month-by-month summary of all of them."""
    figures = db.session.execute(_figures(year, type_=type_, area=area, status=status)).all()
    total = len(figures)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    months = [Month(m, calendar.month_name[m]) for m in range(1, 13)]
    seen: set[int] = set()
    for n, f in enumerate(figures):
        m = months[f.starts_on.month - 1 if f.starts_on.year == year else 0]
        if m.number not in seen:
            seen.add(m.number)
            m.page = n // PER_PAGE + 1
        m.inspections += 1
        m.seats += f.seats
        m.filled += min(f.filled, f.seats)
    shown = figures[(page - 1) * PER_PAGE:page * PER_PAGE]
    by_id = {i.id: i for i in db.session.scalars(
        sa.select(Inspection).where(Inspection.id.in_([f.id for f in shown]))
        .options(joinedload(Inspection.area)))} if shown else {}
    rows = [Row(by_id[f.id], f.seats, f.filled, f.days) for f in shown]
    return Programme(rows, total, page, pages, months, sum(m.seats for m in months),
                     sum(m.filled for m in months))


# --------------------------------------------------------------------------- timeline geometry

WIDTH = 1000
SEATS_X = 205  # seat squares
SEAT_SIZE = 8
SEAT_GAP = 3
MAX_SEAT_SQUARES = 10
CHART_X = SEATS_X + MAX_SEAT_SQUARES * (SEAT_SIZE + SEAT_GAP) + 15
CHART_WIDTH = WIDTH - CHART_X - 5
HEADER = 30
ROW_HEIGHT = 26
BAR_HEIGHT = 14


@dataclass
class Bar:
    row: Row
    y: int
    x: float
    width: float
    label: str
    squares: list[dict] = field(default_factory=list)
    more: int = 0
    text_y: int = 0

    @property
    def css(self) -> str:
        classes = f"app-timeline__bar app-timeline__bar--{self.row.inspection.type}"
        if self.row.inspection.status == InspectionStatus.CANCELLED.value:
            classes += " app-timeline__bar--cancelled"
        return classes


@dataclass
class Timeline:
    year: int
    width: int
    height: int
    months: list[dict]
    bars: list[Bar]
    today_x: float | None
    chart_x: int
    header: int


def _x(day: date, year: int) -> float:
    """Left edge of `day` within the year's chart area."""
    start = date(year, 1, 1)
    days_in_year = 366 if calendar.isleap(year) else 365
    return CHART_X + CHART_WIDTH * (day - start).days / days_in_year


def timeline(year: int, rows: list[Row], *, today: date) -> Timeline:
    first, last = date(year, 1, 1), date(year, 12, 31)
    months = []
    for m in range(1, 13):
        start = date(year, m, 1)
        end = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
        x0 = _x(start, year)
        x1 = CHART_X + CHART_WIDTH if m == 12 else _x(end, year)
        months.append({"x": round(x0, 1), "mid": round((x0 + x1) / 2, 1), "label": calendar.month_abbr[m],
                       "shaded": m % 2 == 0, "width": round(x1 - x0, 1)})
    bars = []
    for n, row in enumerate(rows):
        i = row.inspection
        y = HEADER + n * ROW_HEIGHT
        begin, end = max(i.starts_on, first), min(i.ends_on, last)
        x0 = _x(begin, year)
        x1 = CHART_X + CHART_WIDTH if end == last else _x(end, year) + CHART_WIDTH / 365
        place = i.area.name if i.area else "National"
        squares = []
        for k in range(min(row.seats, MAX_SEAT_SQUARES)):
            squares.append({"x": SEATS_X + k * (SEAT_SIZE + SEAT_GAP), "filled": k < row.filled})
        bars.append(Bar(row=row, y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2, x=round(x0, 1),
                        width=round(max(x1 - x0, 3), 1), label=f"{i.reference} {place}"[:27],
                        squares=squares, more=max(row.seats - MAX_SEAT_SQUARES, 0),
                        text_y=y + ROW_HEIGHT // 2 + 5))
    today_x = round(_x(today, year), 1) if first <= today <= last else None
    height = HEADER + max(len(rows), 1) * ROW_HEIGHT + 6
    return Timeline(year=year, width=WIDTH, height=height, months=months, bars=bars, today_x=today_x,
                    chart_x=CHART_X, header=HEADER)
