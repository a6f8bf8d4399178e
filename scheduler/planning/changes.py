"""A plan against the stored deployments: what publishing it would add, change and withdraw."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import Assessor, Deployment, Inspection
from scheduler.planning.scope import LIVE
from solver import instance as si

Key = tuple[str, str, str]          # (assessor ref, inspection ref, specialism)


@dataclass
class Change:
    kind: str                       # added | removed | changed | unchanged
    key: Key
    days: tuple[date, ...] = ()
    old_days: tuple[date, ...] = ()
    deployment_id: int | None = None
    status: str | None = None


def plan_deployments(plan: dict, in_scope: Iterable[str]) -> list[si.Deployment]:
    """The plan's deployments on the inspections in scope (not context inspections)."""
    scope = set(in_scope)
    return [si.Deployment(d["assessor"], d["inspection"], d["specialism"],
                          tuple(date.fromisoformat(x) for x in d["days"]))
            for d in plan.get("deployments", []) if d["inspection"] in scope]


def current_deployments(in_scope: Iterable[str]) -> list[Deployment]:
    """Live deployments (proposed or confirmed) on these inspections, as stored."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        sa.select(Deployment).join(Inspection, Inspection.id == Deployment.inspection_id)
        .where(Inspection.reference.in_(list(in_scope)), Deployment.status.in_(LIVE[:2]))
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection))
        .order_by(Deployment.id)))


def compare(plan: dict, in_scope: Iterable[str]) -> list[Change]:
    """The plan against the published deployments: added, removed, changed (days), unchanged."""
    in_scope = list(in_scope)
    proposed = {(d.assessor, d.inspection, d.specialism): d for d in plan_deployments(plan, in_scope)}
    out: list[Change] = []
    seen: set[Key] = set()
    for row in current_deployments(in_scope):
        key = (row.assessor.reference, row.inspection.reference, row.specialism)
        old = tuple(sorted(date.fromisoformat(x) for x in row.days))
        new = proposed.get(key)
        seen.add(key)
        if new is None:
            out.append(Change("removed", key, (), old, row.id, row.status))
        elif tuple(sorted(new.days)) != old:
            out.append(Change("changed", key, tuple(sorted(new.days)), old, row.id, row.status))
        else:
            out.append(Change("unchanged", key, old, old, row.id, row.status))
    for key, d in proposed.items():
        if key not in seen:
            out.append(Change("added", key, tuple(sorted(d.days))))
    out.sort(key=lambda c: (c.key[1], c.key[2], c.key[0]))
    return out


def references_to_ids(assessor_refs: Iterable[str], inspection_refs: Iterable[str]
                      ) -> tuple[dict[str, int], dict[str, int]]:
    a = dict(db.session.execute(sa.select(Assessor.reference, Assessor.id)
                                .where(Assessor.reference.in_(set(assessor_refs)))).all())
    i = dict(db.session.execute(sa.select(Inspection.reference, Inspection.id)
                                .where(Inspection.reference.in_(set(inspection_refs)))).all())
    return a, i
