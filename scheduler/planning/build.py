"""The build: the scope's rows, agreements, context and pins made into one solver.Instance."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.formatting import person
from scheduler.models import PlanningPolicy, SolveRun
from scheduler.planning import agreements, rows
from scheduler.planning.changes import current_deployments, plan_deployments
from scheduler.planning.context import context_for, fall_back
from scheduler.planning.pins import as_solver_deployment, pin
from scheduler.planning.scope import (
    NATIONAL_AREA,
    RunScope,
    Scope,
    baseline_of,
    day_ranges,
    horizon_of,
    non_working_days,
    scope_inspection_ids,
    scope_query,
)
from scheduler.planning.variant import Variant
from solver import instance as si
from solver.check import check_deployments


@dataclass
class Planning:
    """An instance and what the web application needs to know about it."""

    instance: si.Instance
    in_scope: list[str]                    # inspection references to plan
    context: list[str]                     # context inspection references (not shown)
    keep: list[si.Deployment]              # published, unpinned deployments to keep if possible
    flags: dict[int, list[str]]            # deployment id -> why it must change
    baseline: str                          # fingerprint of the scope's deployments
    fallbacks: list[str] = field(default_factory=list)
    context_deployments: list[si.Deployment] = field(default_factory=list)   # live, outside the scope
    released: list[si.Deployment] = field(default_factory=list)   # a variant's: pins its changes broke

    def released_words(self) -> list[str]:
        """The pins a variant's changes broke: 'Ailsa MacKay (A00002) on I0003'."""
        return [f"{person(self.instance.assessor_by_id[d.assessor].name, d.assessor)} on {d.inspection}"
                for d in self.released]

    def keep_published(self):
        from solver.model import KeepPublished

        return [KeepPublished(tuple(self.keep))] if self.keep else []


def build(scope: Scope) -> Planning:
    """Everything the solver needs for this scope (see the package docstring)."""
    return build_ids(scope_inspection_ids(scope), scope_query(scope))


def build_variant(variant: Variant) -> Planning:
    """A what-if build: the instance the build ``variant.of_run`` was solved on, with the variant's
    changes applied to it alone (the database is not read again, nor written), and that build's
    scope, context, published deployments to keep and flags."""
    base = db.session.get(SolveRun, variant.of_run)
    if base is None or base.instance is None:
        raise LookupError(f"build {variant.of_run} has no teams to vary")
    built = RunScope.of(base.scope)
    instance, released = variant.apply(si.Instance.from_json(base.instance))
    keep = [si.Deployment(d["assessor"], d["inspection"], d["specialism"],
                          tuple(date.fromisoformat(x) for x in d["days"])) for d in built.keep]
    return Planning(instance, list(built.in_scope), list(built.context), keep,
                    {int(k): v for k, v in built.flags.items()}, built.baseline or "", list(built.fallbacks),
                    released=released)


def build_ids(ids: list[int], in_ids: sa.Select | None = None, *,
              only_assessors: set[int] | sa.Select | None = None, pin_scope: bool = True,
              pin_context: bool = True, baseline: bool = True, horizon: si.DateRange | None = None) -> Planning:
    """The instance for the inspections ``ids`` (in that order). ``in_ids``: the same inspections as
    a subquery (a long IN list of bound parameters is slow to send; a subquery is not);
    ``only_assessors`` likewise may be a subquery. ``pin_scope=False`` pins nothing in scope (every
    deployment that keeps the rules is only kept if possible); ``pin_context=False`` leaves the
    deployments outside the scope unpinned (only in ``context_deployments``, with their context
    seats), for checking a plan against them. ``baseline=False`` skips the fingerprint. ``horizon``:
    that of a larger build these inspections are part of (which agreement applies depends on it)."""
    in_ids_or_list: list[int] | sa.Select = ids if in_ids is None or len(ids) < 100 else in_ids
    names = rows.employer_names()
    inspections, ref_of_inspection = rows.inspections(ids, in_ids_or_list, names)
    horizon = horizon or horizon_of(d for i in inspections for d in i.days)
    assessor_rows = rows.active_assessors(only_assessors)
    ref_of_assessor = {r.id: r.reference for r in assessor_rows}
    agreed = agreements.for_horizon(horizon, only_assessors)
    unavailable = rows.unavailability(horizon, only_assessors)
    found = rows.deployments(set(ids), set(ref_of_assessor))
    context = context_for(found.outside, agreed, ref_of_assessor)
    wanted = rows.preferences(in_ids_or_list, only_assessors)

    assessors = tuple(
        si.Assessor(r.reference, r.name, _specialisms(r), r.sector, r.home_area_id, names[r.employer_id],
                    agreed.get(r.id),
                    tuple(sorted(unavailable.get(r.id, []) + day_ranges(found.declined_days.get(r.id, ())),
                                 key=lambda x: (x.start, x.end))),
                    *map(tuple, wanted.get(r.id, ((), ()))))
        for r in assessor_rows)
    areas = rows.areas()
    if context.national or any(i.area == NATIONAL_AREA.id for i in inspections):
        areas.append(NATIONAL_AREA)
    current = PlanningPolicy.current()
    policy = si.Policy(current.max_deployments_per_assessor, current.objective)
    base = si.Instance(horizon, non_working_days(horizon.start, horizon.end), policy, tuple(areas), assessors,
                       tuple(inspections) + tuple(context.inspections), ())

    inside = [(d, as_solver_deployment(d, ref_of_assessor, ref_of_inspection)) for d in found.inside]
    pinning = pin(base, inside, context.pins, pin_scope=pin_scope, pin_context=pin_context)
    context_inspections = context.inspections
    if pinning.fallbacks:
        base, context_inspections = fall_back(base, context_inspections, pinning.pins, pinning.blocked,
                                              pinning.reduce_total)
    instance = si.Instance(base.horizon, base.non_working_days, base.policy, base.areas, base.assessors,
                           base.inspections, tuple(pinning.pins))
    return Planning(instance, [i.id for i in inspections], [i.id for i in context_inspections], pinning.keep,
                    pinning.flags, baseline_of(in_ids_or_list) if baseline else "", pinning.fallbacks,
                    context.pins)


def _specialisms(r: sa.Row) -> tuple[str, ...]:
    return tuple(sp for sp, held in (("children", r.holds_children), ("adults", r.holds_adults),
                                     ("justice", r.holds_justice)) if held)


def publish_problems(plan: dict, in_scope: list[str]) -> list[str]:
    """Why a plan's deployments on its inspections cannot be published now, in sentences: an
    assessor no longer active or an inspection no longer planned, then every rule they break
    against the database as it is now (solver.check's checker), with every live deployment outside
    the scope as it stands and the confirmed and pinned ones in scope kept. Rules broken among the
    other deployments alone are not the plan's doing and are left to the "must change" flags."""
    scope = Scope(references=tuple(in_scope))
    now = build_ids(scope_inspection_ids(scope), scope_query(scope), pin_context=False, baseline=False)
    ours = plan_deployments(plan, in_scope)
    gone = sorted({f"{d.assessor} is no longer an active assessor" for d in ours
                   if d.assessor not in now.instance.assessor_by_id}
                  | {f"{d.inspection} is no longer a planned inspection" for d in ours
                     if d.inspection not in now.instance.inspection_by_id})
    if gone:
        return gone
    return [v.sentence for v in check_deployments(now.instance, ours + now.context_deployments)
            if not v.deployments or any(k < len(ours) for k in v.deployments)]


def as_recorded(in_scope: list[str]) -> tuple[si.Instance, list[si.Deployment]]:
    """These inspections as the database has them now, for adding a deployment by hand: the
    instance (confirmed and pinned deployments in scope pinned) and every live deployment that
    bears on it, those on the inspections as stored (of active assessors) and the assessors'
    deployments elsewhere that count against their agreements."""
    scope = Scope(references=tuple(in_scope))
    now = build_ids(scope_inspection_ids(scope), scope_query(scope), pin_context=False, baseline=False)
    ours = [si.Deployment(d.assessor.reference, d.inspection.reference, d.specialism,
                          tuple(sorted(date.fromisoformat(x) for x in d.days)))
            for d in current_deployments(in_scope)]
    return now.instance, [d for d in ours if d.assessor in now.instance.assessor_by_id] + now.context_deployments
