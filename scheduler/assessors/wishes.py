"""Assessors' wishes (Preference rows) where a coordinator decides: on an assessor's profile and on
a seat's candidate list. Read as they are now, not as a build saw them: a wish can change until
teams are published."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from scheduler.extensions import db
from scheduler.models import Assessor, Inspection, Preference


def of_assessor(assessor: Assessor, since: date) -> list[Preference]:
    """The assessor's wishes for inspections still to end on or after ``since``, in date order."""
    return list(db.session.scalars(
        sa.select(Preference).join(Inspection, Inspection.id == Preference.inspection_id)
        .where(Preference.assessor_id == assessor.id, Inspection.ends_on >= since)
        .options(joinedload(Preference.inspection))
        .order_by(Inspection.starts_on, Inspection.reference)))


def for_inspection(reference: str) -> dict[str, Preference]:
    """Every wish for one inspection, by assessor reference."""
    rows = db.session.execute(
        sa.select(Assessor.reference, Preference)
        .join(Preference, Preference.assessor_id == Assessor.id)
        .join(Inspection, Inspection.id == Preference.inspection_id)
        .where(Inspection.reference == reference))
    return {ref: wish for ref, wish in rows}
