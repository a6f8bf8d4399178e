"""Deployments outside the scope still use their assessors' days, deployment count and agreed total.
They go in as pinned deployments on *context inspections*: the real inspection's reference, days and
area, one seat per specialism whose count equals the deployments already there, so nothing is left
to fill. One that cannot be pinned (it no longer keeps a rule) falls back to blocking its days and
reducing the agreed total instead."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import Inspection
from scheduler.planning.scope import NATIONAL_AREA, SEAT_MAX, SEAT_MIN, day_ranges
from solver import instance as si


@dataclass
class Context:
    inspections: list[si.Inspection]
    pins: list[si.Deployment]
    national: bool                  # a context inspection is national (needs the synthetic area)


def context_for(outside: list[sa.Row], agreements: dict[int, si.Agreement],
                ref_of_assessor: dict[int, str]) -> Context:
    """Context inspections and their pins for the out-of-scope deployments inside an agreement window."""
    needed: dict[int, list[tuple[sa.Row, list[date]]]] = defaultdict(list)
    for d in outside:
        g = agreements.get(d.assessor_id)
        ds = [date.fromisoformat(x) for x in d.days]
        if g is not None and any(x in g for x in ds):
            needed[d.inspection_id].append((d, ds))
    if not needed:
        return Context([], [], False)
    rows = {r.id: r for r in db.session.execute(
        sa.select(Inspection.id, Inspection.reference, Inspection.title, Inspection.area_id)
        .where(Inspection.id.in_(list(needed))))}
    inspections, pins = [], []
    for iid, items in needed.items():
        r = rows[iid]
        counts: dict[str, int] = defaultdict(int)
        for d, _ in items:
            counts[d.specialism] += 1
        days = sorted({x for _, ds in items for x in ds})
        inspections.append(si.Inspection(
            r.reference, r.title, r.area_id or NATIONAL_AREA.id, (), tuple(days), (),
            tuple(si.Seat(sp, n, SEAT_MIN, SEAT_MAX) for sp, n in sorted(counts.items()))))
        pins += [si.Deployment(ref_of_assessor[d.assessor_id], r.reference, d.specialism, tuple(ds))
                 for d, ds in items]
    return Context(inspections, pins, any(r.area_id is None for r in rows.values()))


def fall_back(base: si.Instance, context: list[si.Inspection], pins: list[si.Deployment],
              blocked: dict[str, list[date]], reduce_total: dict[str, int]
              ) -> tuple[si.Instance, list[si.Inspection]]:
    """Drop the context seats of deployments that could not be pinned; block their days and take
    them off the assessors' agreed totals instead. Returns the instance and the context kept."""
    kept: dict[tuple[str, str], int] = defaultdict(int)
    for p in pins:
        kept[(p.inspection, p.specialism)] += 1
    new_context = []
    for ins in context:
        seats = tuple(si.Seat(x.specialism, kept[(ins.id, x.specialism)], x.min_days, x.max_days)
                      for x in ins.seats if kept[(ins.id, x.specialism)] > 0)
        if seats:
            new_context.append(si.Inspection(ins.id, ins.title, ins.area, (), ins.days, (), seats))
    assessors = []
    for a in base.assessors:
        if a.id in blocked or a.id in reduce_total:
            g = a.agreement
            if g is not None:
                g = si.Agreement(g.start, g.end, g.max_days_per_deployment,
                                 max(0, g.max_days_total - reduce_total.get(a.id, 0)))
            unavailable = tuple(sorted(a.unavailable + tuple(day_ranges(blocked.get(a.id, ()))),
                                       key=lambda x: (x.start, x.end)))
            a = si.Assessor(a.id, a.name, a.specialisms, a.sector, a.home_area, a.employer, g, unavailable)
        assessors.append(a)
    context_ids = {i.id for i in context}
    inspections = tuple(i for i in base.inspections if i.id not in context_ids) + tuple(new_context)
    return (si.Instance(base.horizon, base.non_working_days, base.policy, base.areas, tuple(assessors),
                        inspections, ()), new_context)
