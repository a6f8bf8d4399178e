"""What a coordinator is warned of before an inspection is saved, and confirms to save anyway:
an edit that breaks published teams (days, mandatory days, seats, area, excluded employers), and
a new inspection like another already in the programme (same area and type, overlapping dates)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from scheduler import planning
from scheduler.extensions import db
from scheduler.models import Deployment, Employer, Inspection, InspectionStatus
from solver import instance as si

from .forms import InspectionForm


@dataclass
class SaveWarnings:
    broken: list[tuple[Deployment, list[str]]]      # published deployments the edit breaks, and why
    alike: list[Inspection]                         # same area and type, overlapping dates

    def __bool__(self) -> bool:
        return bool(self.broken or self.alike)

    @property
    def key(self) -> str:
        """What was warned of: "Save anyway" saves only if the warnings are still these (an edit
        made after the warning that breaks something else is warned of again)."""
        seen = [[d.id, d.version_id, reasons] for d, reasons in self.broken] + [[i.id] for i in self.alike]
        return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:32]


def save_warnings(form: InspectionForm, found: Inspection | None) -> SaveWarnings:
    """The warnings for saving a valid form: a new inspection's look-alikes, an edit's broken teams."""
    if found is None:
        return SaveWarnings([], _alike(form))
    return SaveWarnings(planning.broken_by_edit(found, _edit(form)), [])


def _edit(form: InspectionForm) -> planning.Edit:
    chosen = set(form.excluded_employers.data or [])
    names = tuple(db.session.scalars(sa.select(Employer.name).where(Employer.id.in_(chosen)))) if chosen else ()
    working = set(form.working_days.data or [])
    return planning.Edit(
        form.area_id.data or None, names,
        tuple(sorted(date.fromisoformat(d) for d in working)),
        tuple(sorted(date.fromisoformat(d) for d in set(form.mandatory_days.data or []) & working)),
        tuple(si.Seat(s, n, lo, hi) for s, n, lo, hi in form.seats()))


def _alike(form: InspectionForm) -> list[Inspection]:
    area = form.area_id.data or None
    return list(db.session.scalars(
        sa.select(Inspection).where(
            Inspection.type == form.type.data,
            Inspection.area_id.is_(None) if area is None else Inspection.area_id == area,
            Inspection.starts_on <= form.ends_on.data, Inspection.ends_on >= form.starts_on.data,
            Inspection.status != InspectionStatus.CANCELLED.value)
        .order_by(Inspection.starts_on, Inspection.reference)))
