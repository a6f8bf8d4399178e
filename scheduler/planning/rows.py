"""The database rows a build needs, read in a few bulk queries (columns, not ORM objects)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import (
    Area,
    Assessor,
    AssessorStatus,
    Deployment,
    Employer,
    Inspection,
    InspectionDay,
    Preference,
    PreferenceKind,
    Seat,
    Unavailability,
)
from scheduler.models.programme import inspection_excluded_employer
from scheduler.planning.scope import DECLINED, LIVE, NATIONAL_AREA
from solver import instance as si

Ids = list[int] | sa.Select
FEW = 200    # ids sent as a list of bound parameters; more, and reading every row costs less


def employer_names() -> dict[int, str]:
    return dict(db.session.execute(sa.select(Employer.id, Employer.name)).all())


def areas() -> list[si.Area]:
    return [si.Area(a.id, a.name, a.lat, a.lon)
            for a in db.session.execute(sa.select(Area.id, Area.name, Area.lat, Area.lon).order_by(Area.id))]


def inspections(ids: list[int], in_ids: Ids, names: dict[int, str]) -> tuple[list[si.Inspection], dict[int, str]]:
    """The inspections in scope that have days, in ``ids`` order, and reference by id for all of them."""
    s = db.session
    rows = s.execute(sa.select(Inspection.id, Inspection.reference, Inspection.title, Inspection.area_id)
                     .where(Inspection.id.in_(in_ids))).all()
    order = {i: n for n, i in enumerate(ids)}
    rows.sort(key=lambda r: order[r.id])
    days_by: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for iid, day, mandatory in s.execute(sa.select(InspectionDay.inspection_id, InspectionDay.day,
                                                   InspectionDay.mandatory)
                                         .where(InspectionDay.inspection_id.in_(in_ids))):
        days_by[iid].append((day, mandatory))
    seats_by: dict[int, list[si.Seat]] = defaultdict(list)
    for iid, spec, count, lo, hi in s.execute(sa.select(Seat.inspection_id, Seat.specialism, Seat.count,
                                                        Seat.min_days, Seat.max_days)
                                              .where(Seat.inspection_id.in_(in_ids)).order_by(Seat.specialism)):
        seats_by[iid].append(si.Seat(spec, count, lo, hi))
    excluded_by: dict[int, list[str]] = defaultdict(list)
    for iid, eid in s.execute(sa.select(inspection_excluded_employer.c.inspection_id,
                                        inspection_excluded_employer.c.employer_id)
                              .where(inspection_excluded_employer.c.inspection_id.in_(in_ids))):
        excluded_by[iid].append(names[eid])
    out = []
    for r in rows:
        ds = sorted(days_by[r.id])
        if ds:
            out.append(si.Inspection(r.reference, r.title, r.area_id or NATIONAL_AREA.id,
                                     tuple(sorted(excluded_by[r.id])), tuple(d for d, _ in ds),
                                     tuple(d for d, m in ds if m), tuple(seats_by[r.id])))
    return out, {r.id: r.reference for r in rows}


def active_assessors(only: set[int] | sa.Select | None) -> list[sa.Row]:
    q = sa.select(Assessor.id, Assessor.reference, Assessor.name, Assessor.holds_children,
                  Assessor.holds_adults, Assessor.holds_justice, Assessor.sector,
                  Assessor.employer_id, Assessor.home_area_id
                  ).where(Assessor.status == AssessorStatus.ACTIVE.value)
    if only is not None:
        q = q.where(Assessor.id.in_(only))
    return list(db.session.execute(q.order_by(Assessor.reference)).all())


def unavailability(horizon: si.DateRange, only: set[int] | sa.Select | None) -> dict[int, list[si.DateRange]]:
    """Active assessor id -> their unavailable ranges that touch the horizon."""
    q = (sa.select(Unavailability.assessor_id, Unavailability.starts_on, Unavailability.ends_on)
         .join(Assessor, Assessor.id == Unavailability.assessor_id)
         .where(Assessor.status == AssessorStatus.ACTIVE.value,
                Unavailability.ends_on >= horizon.start, Unavailability.starts_on <= horizon.end)
         .order_by(Unavailability.starts_on))
    if only is not None:
        q = q.where(Assessor.id.in_(only))
    out: dict[int, list[si.DateRange]] = defaultdict(list)
    for aid, a, b in db.session.execute(q):
        out[aid].append(si.DateRange(a, b))
    return out


@dataclass
class Deployments:
    """The live and declined deployments of the assessors being planned."""

    inside: list[sa.Row] = field(default_factory=list)      # live, on the scope's inspections
    outside: list[sa.Row] = field(default_factory=list)     # live, elsewhere
    declined_days: dict[int, set[date]] = field(default_factory=lambda: defaultdict(set))  # in scope


def deployments(scope_ids: set[int], assessor_ids: set[int]) -> Deployments:
    found = Deployments()
    q = (sa.select(Deployment.id, Deployment.assessor_id, Deployment.inspection_id, Deployment.specialism,
                   Deployment.days, Deployment.status, Deployment.pinned)
         .where(Deployment.status.in_(LIVE + DECLINED)).order_by(Deployment.id))
    if len(assessor_ids) <= FEW:    # a few assessors' (a build after a write): not every deployment's days
        q = q.where(Deployment.assessor_id.in_(assessor_ids))
    for d in db.session.execute(q):
        if d.assessor_id not in assessor_ids:
            continue
        if d.status in DECLINED:
            if d.inspection_id in scope_ids:
                found.declined_days[d.assessor_id].update(date.fromisoformat(x) for x in d.days)
        elif d.inspection_id in scope_ids:
            found.inside.append(d)
        else:
            found.outside.append(d)
    return found


def preferences(in_ids: Ids, only: set[int] | sa.Select | None) -> dict[int, tuple[list[str], list[str]]]:
    """Assessor id -> the references of the scope's inspections they are keen on, and would rather
    not join (a preference for an inspection outside the scope is not the build's business)."""
    q = (sa.select(Preference.assessor_id, Inspection.reference, Preference.kind)
         .join(Inspection, Inspection.id == Preference.inspection_id)
         .where(Preference.inspection_id.in_(in_ids)).order_by(Inspection.reference))
    if only is not None:
        q = q.where(Preference.assessor_id.in_(only))
    out: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for aid, ref, kind in db.session.execute(q):
        out[aid][0 if kind == PreferenceKind.KEEN.value else 1].append(ref)
    return out
