"""The directory query: every filter is a WHERE on one statement (EXISTS subqueries for availability),
so a page is two queries (count and rows) however many assessors there are. The free-text search
matches every word typed, each as part of a word, in the assessor's folded search column or their
employer's name (scheduler.text.fold: case and accents do not matter)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from scheduler import data_cache
from scheduler.models import (
    AgreementStatus,
    Area,
    Assessor,
    AssessorStatus,
    Employer,
    EmployerAgreement,
    Specialism,
    Unavailability,
)
from scheduler.text import fold, words

PER_PAGE = 25
INACTIVE_STATUSES = (AssessorStatus.PAUSED.value, AssessorStatus.LEFT.value)
HOLDS = tuple(getattr(Assessor, f"holds_{s.value}") for s in Specialism)
NO_AGREEMENT = "none"
SORTS = {
    "name": ("Name", lambda: (sa.func.lower(Assessor.name), Assessor.id)),
    "area": ("Home area", lambda: (Area.name, sa.func.lower(Assessor.name), Assessor.id)),
    "employer": ("Employer", lambda: (Employer.name, sa.func.lower(Assessor.name), Assessor.id)),
}


@dataclass
class Filters:
    q: str = ""
    specialism: str | None = None
    sector: str | None = None
    area: str | None = None
    status: str | None = None
    agreement: str | None = None
    available_from: date | None = None
    available_to: date | None = None
    include_inactive: bool = False
    sort: str = "name"


def latest_agreement_status() -> sa.ScalarSelect:
    """The status of the assessor's most recent employer agreement (NULL if they have none)."""
    return (
        sa.select(EmployerAgreement.status)
        .where(EmployerAgreement.assessor_id == Assessor.id)
        .order_by(EmployerAgreement.created_at.desc(), EmployerAgreement.id.desc())
        .limit(1)
        .correlate(Assessor)
        .scalar_subquery()
    )


def available_between(start: date, end: date) -> sa.ColumnElement[bool]:
    """No unavailable period overlaps [start, end] and an agreed agreement covers all of it."""
    clash = sa.exists().where(
        Unavailability.assessor_id == Assessor.id,
        Unavailability.starts_on <= end,
        Unavailability.ends_on >= start,
    )
    covered = sa.exists().where(
        EmployerAgreement.assessor_id == Assessor.id,
        EmployerAgreement.status == AgreementStatus.AGREED.value,
        EmployerAgreement.valid_from <= start,
        EmployerAgreement.valid_to >= end,
    )
    return sa.and_(~clash, covered)


def matching(session, text: str) -> list[sa.ColumnElement[bool]]:
    """One condition per word typed: in the assessor's name, reference or email, or their employer's
    name (employers are few: their folded names, kept until the data change, are matched here, not
    in SQL)."""
    employers = data_cache.cached(("employers' folded names",), lambda: [
        (e.id, fold(e.name)) for e in session.execute(sa.select(Employer.id, Employer.name))])
    where = []
    for word in words(text):
        in_assessor = Assessor.search_text.contains(word, autoescape=True)
        employer_ids = [id_ for id_, name in employers if word in name]
        where.append(sa.or_(in_assessor, Assessor.employer_id.in_(employer_ids)) if employer_ids else in_assessor)
    return where


def conditions(session, f: Filters) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = matching(session, f.q) if f.q else []
    if f.specialism:
        where.append(getattr(Assessor, f"holds_{f.specialism}").is_(True))
    if f.sector:
        where.append(Assessor.sector == f.sector)
    if f.area:
        where.append(Assessor.home_area_id == f.area)
    if f.status:
        where.append(Assessor.status == f.status)
    if f.agreement == NO_AGREEMENT:
        where.append(~sa.exists().where(EmployerAgreement.assessor_id == Assessor.id))
    elif f.agreement:
        where.append(latest_agreement_status() == f.agreement)
    if f.available_from and f.available_to:
        where.append(available_between(f.available_from, f.available_to))
        if not (f.include_inactive or f.status):  # someone paused or gone is not available to ask
            where.append(Assessor.status.not_in(INACTIVE_STATUSES))
    return where


def _filtered(statement: sa.Select, f: Filters, where: list[sa.ColumnElement[bool]]) -> sa.Select:
    """The statement over assessors with their employer and home area, meeting `where` (the filters'
    conditions), in the filters' order."""
    sort = SORTS.get(f.sort, SORTS["name"])[1]()
    return statement.join(Assessor.employer).join(Assessor.home_area).where(*where).order_by(*sort)


def rows_statement(f: Filters, where: list[sa.ColumnElement[bool]]) -> sa.Select:
    """(Assessor with employer and home area loaded, latest agreement status) meeting `where`, in the
    filters' order: every detail, for the CSV export."""
    return _filtered(sa.select(Assessor, latest_agreement_status().label("agreement_status"))
                     .options(contains_eager(Assessor.employer), contains_eager(Assessor.home_area)), f, where)


@dataclass(frozen=True)
class Listed:
    """An assessor as the directory's table shows them."""

    id: int
    name: str
    reference: str
    specialisms: tuple[Specialism, ...]
    employer: str
    area: str
    status: str
    agreement_status: str | None


def _listed_statement(f: Filters, where: list[sa.ColumnElement[bool]]) -> sa.Select:
    """The table's columns only: ORM objects for 25 assessors, their employers and areas were a
    tenth of the search's Python calls (bench/LOAD.md, thirteenth round)."""
    return _filtered(sa.select(Assessor.id, Assessor.name, Assessor.reference, *HOLDS, Assessor.status,
                               Employer.name, Area.name, latest_agreement_status()), f, where)


def _listed(row) -> Listed:
    id_, name, reference, *rest = row
    holds, (status, employer, area, agreement_status) = rest[:len(HOLDS)], rest[len(HOLDS):]
    return Listed(id_, name, reference, tuple(s for s, held in zip(Specialism, holds, strict=True) if held),
                  employer, area, status, agreement_status)


@dataclass
class Page:
    rows: list[Listed]
    total: int
    number: int
    pages: int

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.number * PER_PAGE, self.total)


def page_of(session, f: Filters, number: int) -> Page:
    where = conditions(session, f)
    total = session.scalar(sa.select(sa.func.count(Assessor.id)).where(*where)) or 0
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    result = session.execute(_listed_statement(f, where).limit(PER_PAGE).offset((number - 1) * PER_PAGE))
    return Page(rows=[_listed(row) for row in result], total=total, number=number, pages=pages)
