"""What needs a coordinator: four read-only queries, each a list (its count is its length).

- declined deployments whose seat is still short, on inspections still to come;
- deployments proposed to an employer more than 7 days ago and not yet confirmed;
- inspections starting within 8 weeks with seats unfilled;
- deployments on inspections still to come that the assessor's agreed employer agreements do not
  cover to the inspection's end (the agreement expires first)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from scheduler.extensions import db
from scheduler.inspections.programme import FILLED_STATUSES
from scheduler.models import (
    AgreementStatus,
    AuditEvent,
    Deployment,
    DeploymentStatus,
    EmployerAgreement,
    Inspection,
    InspectionStatus,
    Seat,
)

CONFIRMATION_WAIT = timedelta(days=7)
UNFILLED_HORIZON = timedelta(weeks=8)
DECLINED = (DeploymentStatus.EMPLOYER_DECLINED.value, DeploymentStatus.ASSESSOR_DECLINED.value)
LIVE = (InspectionStatus.PLANNED.value, InspectionStatus.IN_PROGRESS.value)


def _filled(inspection_id, specialism=None) -> sa.ScalarSelect:
    other = aliased(Deployment)
    where = [other.inspection_id == inspection_id, other.status.in_(FILLED_STATUSES)]
    if specialism is not None:
        where.append(other.specialism == specialism)
    return sa.select(sa.func.count(other.id)).where(*where).scalar_subquery()


def _seats(inspection_id, specialism=None) -> sa.ScalarSelect:
    where = [Seat.inspection_id == inspection_id]
    if specialism is not None:
        where.append(Seat.specialism == specialism)
    return sa.select(sa.func.coalesce(sa.func.sum(Seat.count), 0)).where(*where).scalar_subquery()


def declined_to_refill(today: date) -> list[Deployment]:
    return list(db.session.scalars(
        sa.select(Deployment).join(Deployment.inspection)
        .where(Deployment.status.in_(DECLINED), Inspection.starts_on >= today, Inspection.status.in_(LIVE),
               _filled(Deployment.inspection_id, Deployment.specialism)
               < _seats(Deployment.inspection_id, Deployment.specialism))
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection))
        .order_by(Inspection.starts_on, Inspection.reference, Deployment.id)))


@dataclass(frozen=True)
class Waiting:
    deployment: Deployment
    asked_at: datetime


def confirmations_outstanding(now: datetime) -> list[Waiting]:
    """Proposed deployments whose latest request to the employer is more than 7 days old."""
    asked_at = sa.func.coalesce(
        sa.select(sa.func.max(AuditEvent.at))
        .where(AuditEvent.object_type == "deployment",
               AuditEvent.object_id == sa.cast(Deployment.id, sa.String),
               AuditEvent.action.in_(("deployment.proposed", "deployment.confirmation_requested")))
        .correlate(Deployment).scalar_subquery(),
        Deployment.created_at)
    rows = db.session.execute(
        sa.select(Deployment, asked_at.label("asked_at")).join(Deployment.inspection)
        .where(Deployment.status == DeploymentStatus.PROPOSED.value, Inspection.status.in_(LIVE),
               asked_at < now - CONFIRMATION_WAIT)
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection))
        .order_by(asked_at, Deployment.id))
    return [Waiting(d, at) for d, at in rows]


@dataclass(frozen=True)
class Unfilled:
    inspection: Inspection
    seats: int
    filled: int

    @property
    def empty(self) -> int:
        return self.seats - self.filled


def unfilled_soon(today: date) -> list[Unfilled]:
    seats, filled = _seats(Inspection.id), _filled(Inspection.id)
    rows = db.session.execute(
        sa.select(Inspection, seats.label("seats"), filled.label("filled"))
        .where(Inspection.status.in_(LIVE), Inspection.starts_on >= today,
               Inspection.starts_on <= today + UNFILLED_HORIZON, filled < seats)
        .order_by(Inspection.starts_on, Inspection.reference))
    return [Unfilled(i, s, f) for i, s, f in rows]


def agreements_ending_first(today: date) -> list[Deployment]:
    covered = sa.exists().where(
        EmployerAgreement.assessor_id == Deployment.assessor_id,
        EmployerAgreement.status == AgreementStatus.AGREED.value,
        EmployerAgreement.valid_from <= Inspection.starts_on,
        EmployerAgreement.valid_to >= Inspection.ends_on)
    has_one = sa.exists().where(
        EmployerAgreement.assessor_id == Deployment.assessor_id,
        EmployerAgreement.status == AgreementStatus.AGREED.value,
        EmployerAgreement.valid_to >= today)
    return list(db.session.scalars(
        sa.select(Deployment).join(Deployment.inspection)
        .where(Deployment.status.in_((DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value)),
               Inspection.status.in_(LIVE), Inspection.ends_on >= today, has_one, ~covered)
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection))
        .order_by(Inspection.starts_on, Inspection.reference, Deployment.id)))
