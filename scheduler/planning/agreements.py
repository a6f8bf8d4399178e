"""Which employer agreement applies: one rule for the planner and for whom a deployment's
confirmation request goes to. Of the agreements the employer has AGREED, the one that overlaps
the dates in question most; the latest made on a tie."""
from __future__ import annotations

from datetime import date
from typing import Iterable, Protocol, TypeVar

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import AgreementStatus, Assessor, AssessorStatus, EmployerAgreement
from solver import instance as si


class _AgreementLike(Protocol):
    valid_from: date
    valid_to: date
    created_at: object
    id: int


A = TypeVar("A", bound=_AgreementLike)


def applicable(agreed: Iterable[A], start: date, end: date) -> A | None:
    """The agreement of ``agreed`` (all AGREED, one assessor's) that applies to [start, end]."""
    def key(g: A) -> tuple:
        return ((min(g.valid_to, end) - max(g.valid_from, start)).days, g.created_at, g.id)

    return max(agreed, key=key, default=None)


def for_days(assessor: Assessor, days: Iterable[date]) -> EmployerAgreement | None:
    """The agreement an assessor is released under for these days (a deployment's)."""
    ds = sorted(days)
    if not ds:
        return assessor.current_agreement
    return applicable([g for g in assessor.agreements if g.status == AgreementStatus.AGREED],
                      ds[0], ds[-1])


def for_horizon(horizon: si.DateRange, only_assessors: set[int] | sa.Select | None
                ) -> dict[int, si.Agreement]:
    """Active assessor id -> the agreement that applies over the planning horizon (one query)."""
    q = (sa.select(EmployerAgreement.assessor_id, EmployerAgreement.valid_from,
                   EmployerAgreement.valid_to, EmployerAgreement.days_per_deployment,
                   EmployerAgreement.total_days, EmployerAgreement.created_at, EmployerAgreement.id)
         .join(Assessor, Assessor.id == EmployerAgreement.assessor_id)
         .where(EmployerAgreement.status == AgreementStatus.AGREED.value,
                Assessor.status == AssessorStatus.ACTIVE.value))
    if only_assessors is not None:
        q = q.where(Assessor.id.in_(only_assessors))
    by_assessor: dict[int, list] = {}
    for row in db.session.execute(q):
        by_assessor.setdefault(row.assessor_id, []).append(row)
    out: dict[int, si.Agreement] = {}
    for aid, rows in by_assessor.items():
        g = applicable(rows, horizon.start, horizon.end)
        if g is not None:
            out[aid] = si.Agreement(g.valid_from, g.valid_to, g.days_per_deployment, g.total_days)
    return out
