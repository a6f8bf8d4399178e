"""The inspections an assessor could join, as the solver's rules decide: a seat of a specialism
they hold, not in their own area nor for an excluded employer, and days inside their agreement's
dates. Unavailability and other deployments are left out on purpose: they change, and an
assessor may still say they would like to join."""
from __future__ import annotations

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import Inspection
from scheduler.planning.build import build_ids
from scheduler.planning.scope import PLANNABLE
from solver import instance as si
from solver.rules import rule_agreement, rule_conflict, rule_days, rule_specialism


def could_join(instance: si.Instance, assessor: si.Assessor, inspection: si.Inspection) -> bool:
    if rule_agreement(assessor) or rule_conflict(instance, assessor, inspection):
        return False
    return any(rule_specialism(assessor, inspection, seat.specialism) is None
               and rule_days(instance, assessor, inspection, seat, part="window") is None
               for seat in inspection.seats)


def open_to(assessor_id: int, reference: str, since) -> list[str]:
    """References of the planned inspections still to end on or after ``since`` that the assessor
    (id, reference) could join, in date order."""
    q = sa.select(Inspection.id).where(Inspection.status.in_(PLANNABLE), Inspection.ends_on >= since)
    ids = list(db.session.scalars(q.order_by(Inspection.starts_on, Inspection.reference)))
    if not ids:
        return []
    built = build_ids(ids, q, only_assessors={assessor_id}, pin_scope=False, pin_context=False, baseline=False)
    instance = built.instance
    me = instance.assessor_by_id.get(reference)
    if me is None:          # not active: no inspection to offer
        return []
    return [ref for ref in built.in_scope if could_join(instance, me, instance.inspection_by_id[ref])]
