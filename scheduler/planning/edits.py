"""What an edit to an inspection would break among its published deployments, before it is saved."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from scheduler.models import Deployment, Inspection
from scheduler.planning.build import build_ids
from scheduler.planning.changes import current_deployments
from scheduler.planning.scope import NATIONAL_AREA, non_working_days
from solver import instance as si
from solver.check import check_deployments


@dataclass
class Edit:
    """An inspection as a coordinator is about to save it (what the planning rules read)."""

    area_id: str | None
    excluded_employers: tuple[str, ...]          # names
    days: tuple[date, ...]
    mandatory_days: tuple[date, ...]
    seats: tuple[si.Seat, ...]


def broken_by_edit(inspection: Inspection, edit: Edit) -> list[tuple[Deployment, list[str]]]:
    """The published deployments on this inspection that the edit would break, each with the
    rules it breaks that it did not break before (solver.check's checker on the inspection as it
    is, then as edited: days, mandatory days, seats, area and excluded employers)."""
    live = current_deployments([inspection.reference])
    if not live:
        return []
    now = build_ids([inspection.id], pin_scope=False, pin_context=False, baseline=False,
                    only_assessors={d.assessor_id for d in live}).instance
    old = now.inspection_by_id.get(inspection.reference)
    mine = [d for d in live if d.assessor.reference in now.assessor_by_id]
    deps = [si.Deployment(d.assessor.reference, inspection.reference, d.specialism,
                          tuple(sorted(date.fromisoformat(x) for x in d.days))) for d in mine]
    new = si.Inspection(inspection.reference, inspection.title, edit.area_id or NATIONAL_AREA.id,
                        tuple(sorted(edit.excluded_employers)), tuple(sorted(edit.days)),
                        tuple(sorted(edit.mandatory_days)), edit.seats)
    every_day = [*edit.days, *(x for d in deps for x in d.days), now.horizon.start, now.horizon.end]
    horizon = si.DateRange(min(every_day), max(every_day))
    areas = now.areas + ((NATIONAL_AREA,) if NATIONAL_AREA.id not in now.area_by_id else ())
    others = tuple(i for i in now.inspections if i.id != new.id)
    edited = si.Instance(horizon, non_working_days(horizon.start, horizon.end), now.policy, areas,
                         now.assessors, others + (new,))
    before = ({(k, v.rule) for v in check_deployments(now, deps, require_pinned=False) for k in v.deployments}
              if old is not None else set())
    reasons: dict[int, list[str]] = defaultdict(list)
    for v in check_deployments(edited, deps, require_pinned=False):
        for k in v.deployments:
            if (k, v.rule) not in before and v.sentence not in reasons[k]:
                reasons[k].append(v.sentence)
    return [(mine[k], reasons[k]) for k in sorted(reasons)]
