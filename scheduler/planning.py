"""Database rows -> solver.Instance, and solver.Plan -> proposed deployments.

The instance is the spec's format (`assessor-deployment-instance/1`) with assessor references
(A00017) and inspection references (I0003) as ids. It is built with a handful of bulk queries
(columns, not ORM objects), so a national programme builds in well under two seconds.

What goes in
------------
* **Areas**: every council area; a national inspection (no area) is placed in a synthetic area
  ``scotland`` at the country's centre, which is nobody's home area.
* **Assessors**: every *active* assessor, with the AGREED employer agreement that overlaps the
  planning horizon most (the latest on a tie), or none; their unavailability ranges in the horizon.
  Days an assessor (or their employer) *declined* on a deployment are added as unavailable: the
  solver must not offer the same days again.
* **Inspections in scope**: planned or in-progress inspections with at least one day that overlap
  the chosen dates, or the chosen references; their days, mandatory days, excluded employers'
  names and seats.
* **Pinned**: live deployments in scope that are ``employer_confirmed`` or pinned by a coordinator,
  provided they still keep every rule (one that no longer does is *flagged* instead and re-planned).
* **Deployments outside the scope** that fall in an assessor's agreement window still use that
  assessor's days, deployment count and agreed total. They are included exactly, as pinned entries
  on *context inspections* (the real inspection reference, its days and area, one seat per
  specialism whose count equals the deployments already there, so nothing is left to fill). One
  that cannot be pinned (it no longer keeps a rule) falls back to blocking its days and reducing
  the agreed total. Context inspections never appear in results or on publish.
* ``non_working_days``: Scottish bank holidays in the horizon.
* ``policy``: the year's cap on deployments per assessor, as an admin set it (PlanningPolicy).

Published, unpinned deployments in scope become the solver's KeepPublished level, so a new build
over a published plan changes only what it must.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

import sqlalchemy as sa

from scheduler import data_cache
from scheduler.extensions import db
from scheduler.formatting import long_date
from scheduler.models import (
    AgreementStatus,
    Area,
    Assessor,
    AssessorStatus,
    Deployment,
    DeploymentStatus,
    Employer,
    EmployerAgreement,
    Inspection,
    InspectionDay,
    InspectionStatus,
    PlanningPolicy,
    Seat,
    Unavailability,
)
from scheduler.models.programme import inspection_excluded_employer
from solver import instance as si
from solver.check import check_deployments
from solver.rules import deployment_reasons

NATIONAL_AREA = si.Area("scotland", "Scotland (national)", 56.49, -4.20)
# Deployments that hold an assessor's days and a seat.
LIVE = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value,
        DeploymentStatus.COMPLETED.value)
DECLINED = (DeploymentStatus.EMPLOYER_DECLINED.value, DeploymentStatus.ASSESSOR_DECLINED.value)
PLANNABLE = (InspectionStatus.PLANNED.value, InspectionStatus.IN_PROGRESS.value)
SEAT_MIN, SEAT_MAX = si.MIN_DEPLOYMENT_DAYS, si.MAX_DEPLOYMENT_DAYS


@dataclass
class Scope:
    """What to plan: inspections overlapping [start, end], or chosen references."""

    start: date | None = None
    end: date | None = None
    references: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "references": list(self.references)}

    @staticmethod
    def from_json(data: dict) -> "Scope":
        return Scope(date.fromisoformat(data["start"]) if data.get("start") else None,
                     date.fromisoformat(data["end"]) if data.get("end") else None,
                     tuple(data.get("references") or ()))

    def describe(self) -> str:
        if self.references:
            return "Inspections " + ", ".join(self.references)
        return f"Inspections from {long_date(self.start)} to {long_date(self.end)}"


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

    def keep_published(self):
        from solver.model import KeepPublished

        return [KeepPublished(tuple(self.keep))] if self.keep else []


def _horizon(days: Iterable[date], scope: Scope) -> si.DateRange:
    ds = sorted(days)
    start = ds[0] if ds else (scope.start or date.today())
    end = ds[-1] if ds else (scope.end or start)
    return si.DateRange(start, max(start, end))


def non_working_days(start: date, end: date) -> frozenset[date]:
    """Scottish bank holidays between start and end."""
    from scheduler.workdays import scottish_bank_holidays

    return frozenset(d for d in scottish_bank_holidays(range(start.year, end.year + 1))
                     if start <= d <= end)


def _ranges(days: Iterable[date]) -> list[si.DateRange]:
    out: list[si.DateRange] = []
    for d in sorted(set(days)):
        if out and out[-1].end + timedelta(days=1) == d:
            out[-1] = si.DateRange(out[-1].start, d)
        else:
            out.append(si.DateRange(d, d))
    return out


def scope_query(scope: Scope) -> sa.Select:
    q = sa.select(Inspection.id).where(Inspection.status.in_(PLANNABLE))
    if scope.references:
        return q.where(Inspection.reference.in_(scope.references))
    return q.where(Inspection.starts_on <= scope.end, Inspection.ends_on >= scope.start)


def scope_inspection_ids(scope: Scope) -> list[int]:
    return list(db.session.scalars(scope_query(scope).order_by(Inspection.starts_on, Inspection.reference)))


def baseline_of(inspection_ids: list[int]) -> str:
    """A fingerprint of every deployment on these inspections: changes when anyone publishes,
    pins, confirms or declines one of them."""
    rows = db.session.execute(
        sa.select(Deployment.id, Deployment.version_id, Deployment.status)
        .where(Deployment.inspection_id.in_(inspection_ids)).order_by(Deployment.id)).all()
    return hashlib.sha256(json.dumps([list(r) for r in rows]).encode()).hexdigest()[:32]


def build(scope: Scope) -> Planning:
    """Everything the solver needs for this scope (see the module docstring)."""
    ids = scope_inspection_ids(scope)
    return _build(ids, scope_query(scope))


def _build(ids: list[int], in_ids: sa.Select | None = None, *,
           only_assessors: set[int] | sa.Select | None = None, pin: bool = True,
           pin_context: bool = True, baseline: bool = True) -> Planning:
    """``in_ids``: the same inspections as a subquery (a long IN list of bound parameters is
    slow to send; a subquery is not); ``only_assessors`` likewise may be a subquery.
    ``pin_context=False`` leaves the deployments outside the scope unpinned (only in
    ``context_deployments``, with their context seats), for checking a plan against them.
    ``baseline=False`` skips the fingerprint (its ``baseline`` is then empty)."""
    s = db.session
    if in_ids is None or len(ids) < 100:
        in_ids = ids
    # --- inspections in scope ------------------------------------------------------------
    insp_rows = s.execute(sa.select(Inspection.id, Inspection.reference, Inspection.title,
                                    Inspection.area_id).where(Inspection.id.in_(in_ids))).all()
    order = {i: n for n, i in enumerate(ids)}
    insp_rows.sort(key=lambda r: order[r.id])
    days_by: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for iid, day, mand in s.execute(sa.select(InspectionDay.inspection_id, InspectionDay.day,
                                              InspectionDay.mandatory)
                                    .where(InspectionDay.inspection_id.in_(in_ids))):
        days_by[iid].append((day, mand))
    seats_by: dict[int, list[si.Seat]] = defaultdict(list)
    for iid, spec, count, lo, hi in s.execute(sa.select(Seat.inspection_id, Seat.specialism,
                                                        Seat.count, Seat.min_days, Seat.max_days)
                                              .where(Seat.inspection_id.in_(in_ids))
                                              .order_by(Seat.specialism)):
        seats_by[iid].append(si.Seat(spec, count, lo, hi))
    employer_names = dict(s.execute(sa.select(Employer.id, Employer.name)).all())
    excluded_by: dict[int, list[str]] = defaultdict(list)
    for iid, eid in s.execute(sa.select(inspection_excluded_employer.c.inspection_id,
                                        inspection_excluded_employer.c.employer_id)
                              .where(inspection_excluded_employer.c.inspection_id.in_(in_ids))):
        excluded_by[iid].append(employer_names[eid])

    ref_of_insp = {r.id: r.reference for r in insp_rows}
    all_days = [d for r in insp_rows for d, _ in days_by[r.id]]
    horizon = _horizon(all_days, Scope())
    nwd = non_working_days(horizon.start, horizon.end)
    areas = {a.id: si.Area(a.id, a.name, a.lat, a.lon)
             for a in s.execute(sa.select(Area.id, Area.name, Area.lat, Area.lon).order_by(Area.id))}
    inspections: list[si.Inspection] = []
    for r in insp_rows:
        ds = sorted(days_by[r.id])
        if not ds:
            continue
        area = r.area_id or NATIONAL_AREA.id
        inspections.append(si.Inspection(
            r.reference, r.title, area, tuple(sorted(excluded_by[r.id])),
            tuple(d for d, _ in ds), tuple(d for d, m in ds if m), tuple(seats_by[r.id])))
    in_scope = [i.id for i in inspections]

    # --- assessors -----------------------------------------------------------------------
    aq = sa.select(Assessor.id, Assessor.reference, Assessor.name, Assessor.holds_children,
                   Assessor.holds_adults, Assessor.holds_justice, Assessor.sector,
                   Assessor.employer_id, Assessor.home_area_id
                   ).where(Assessor.status == AssessorStatus.ACTIVE.value)
    if only_assessors is not None:
        aq = aq.where(Assessor.id.in_(only_assessors))
    arows = s.execute(aq.order_by(Assessor.reference)).all()
    ref_of_assessor = {r.id: r.reference for r in arows}

    agreements: dict[int, tuple] = {}
    gq = (sa.select(EmployerAgreement.assessor_id, EmployerAgreement.valid_from,
                    EmployerAgreement.valid_to, EmployerAgreement.days_per_deployment,
                    EmployerAgreement.total_days, EmployerAgreement.created_at, EmployerAgreement.id)
          .join(Assessor, Assessor.id == EmployerAgreement.assessor_id)
          .where(EmployerAgreement.status == AgreementStatus.AGREED.value,
                 Assessor.status == AssessorStatus.ACTIVE.value))
    if only_assessors is not None:
        gq = gq.where(Assessor.id.in_(only_assessors))
    for row in s.execute(gq):
        overlap = (min(row.valid_to, horizon.end) - max(row.valid_from, horizon.start)).days
        key = (overlap, row.created_at, row.id)
        best = agreements.get(row.assessor_id)
        if best is None or key > best[0]:
            agreements[row.assessor_id] = (key, row)

    unavailable: dict[int, list[si.DateRange]] = defaultdict(list)
    uq = (sa.select(Unavailability.assessor_id, Unavailability.starts_on, Unavailability.ends_on)
          .join(Assessor, Assessor.id == Unavailability.assessor_id)
          .where(Assessor.status == AssessorStatus.ACTIVE.value,
                 Unavailability.ends_on >= horizon.start, Unavailability.starts_on <= horizon.end)
          .order_by(Unavailability.starts_on))
    if only_assessors is not None:
        uq = uq.where(Assessor.id.in_(only_assessors))
    for aid, a, b in s.execute(uq):
        unavailable[aid].append(si.DateRange(a, b))

    # --- deployments ---------------------------------------------------------------------
    dq = (sa.select(Deployment.id, Deployment.assessor_id, Deployment.inspection_id,
                    Deployment.specialism, Deployment.days, Deployment.status, Deployment.pinned)
          .where(Deployment.status.in_(LIVE + DECLINED)))
    deployments = s.execute(dq.order_by(Deployment.id)).all()
    scope_ids = set(ids)
    declined_days: dict[int, set[date]] = defaultdict(set)
    outside: list = []
    inside: list = []
    for d in deployments:
        if d.assessor_id not in ref_of_assessor:
            continue
        if d.status in DECLINED:
            if d.inspection_id in scope_ids:
                declined_days[d.assessor_id].update(date.fromisoformat(x) for x in d.days)
            continue
        if d.inspection_id in scope_ids:
            inside.append(d)
        else:
            outside.append(d)

    def agreement_of(aid: int) -> si.Agreement | None:
        got = agreements.get(aid)
        if got is None:
            return None
        g = got[1]
        return si.Agreement(g.valid_from, g.valid_to, g.days_per_deployment, g.total_days)

    # out-of-scope deployments inside the agreement window: context or fallback
    ctx_needed: dict[int, list] = defaultdict(list)
    for d in outside:
        g = agreement_of(d.assessor_id)
        if g is None:
            continue
        ds = [date.fromisoformat(x) for x in d.days]
        if any(x in g for x in ds):
            ctx_needed[d.inspection_id].append((d, ds))
    ctx_rows = {}
    if ctx_needed:
        for r in s.execute(sa.select(Inspection.id, Inspection.reference, Inspection.title,
                                     Inspection.area_id).where(Inspection.id.in_(list(ctx_needed)))):
            ctx_rows[r.id] = r

    assessors: list[si.Assessor] = []
    for r in arows:
        specs = tuple(sp for sp, held in (("children", r.holds_children), ("adults", r.holds_adults),
                                          ("justice", r.holds_justice)) if held)
        unav = list(unavailable.get(r.id, ()))
        unav += _ranges(declined_days.get(r.id, ()))
        assessors.append(si.Assessor(r.reference, r.name, specs, r.sector, r.home_area_id,
                                     employer_names[r.employer_id], agreement_of(r.id),
                                     tuple(sorted(unav, key=lambda x: (x.start, x.end)))))
    area_list = list(areas.values())
    if any(i.area == NATIONAL_AREA.id for i in inspections) or any(
            ctx_rows[c].area_id is None for c in ctx_rows):
        area_list.append(NATIONAL_AREA)

    policy = si.Policy(PlanningPolicy.current().max_deployments_per_assessor)
    base = si.Instance(horizon, nwd, policy, tuple(area_list), tuple(assessors),
                       tuple(inspections), ())

    # --- context inspections for out-of-scope deployments --------------------------------
    fallbacks: list[str] = []
    blocked: dict[str, list[date]] = defaultdict(list)
    reduce_total: dict[str, int] = defaultdict(int)
    ctx_inspections: list[si.Inspection] = []
    ctx_pins: list[si.Deployment] = []
    for iid, items in ctx_needed.items():
        r = ctx_rows[iid]
        days = sorted({x for _, ds in items for x in ds})
        counts: dict[str, int] = defaultdict(int)
        for d, _ in items:
            counts[d.specialism] += 1
        ins = si.Inspection(r.reference, r.title, r.area_id or NATIONAL_AREA.id, (), tuple(days), (),
                            tuple(si.Seat(sp, n, SEAT_MIN, SEAT_MAX) for sp, n in sorted(counts.items())))
        ctx_inspections.append(ins)
        for d, ds in items:
            ctx_pins.append(si.Deployment(ref_of_assessor[d.assessor_id], r.reference, d.specialism,
                                          tuple(ds)))
    if ctx_inspections:
        base = si.Instance(horizon, nwd, policy, base.areas, base.assessors,
                           base.inspections + tuple(ctx_inspections), ())

    # --- which deployments are pinned, which are flagged ---------------------------------
    flags: dict[int, list[str]] = {}
    wanted_pins: list[tuple[int | None, si.Deployment]] = []
    keep: list[si.Deployment] = []
    alone: list[tuple[sa.Row, si.Deployment]] = []       # in scope, keeping every rule on its own
    for d in inside:
        dep = si.Deployment(ref_of_assessor[d.assessor_id], ref_of_insp[d.inspection_id],
                            d.specialism, tuple(sorted(date.fromisoformat(x) for x in d.days)))
        reasons = [str(x) for x in deployment_reasons(base, dep)]
        if reasons:
            flags[d.id] = reasons
        else:
            alone.append((d, dep))
    flags.update(_clashes(base, [(d.id, dep) for d, dep in alone], ctx_pins))
    for d, dep in alone:
        if d.id in flags:
            continue
        if pin and (d.pinned or d.status != DeploymentStatus.PROPOSED.value):
            wanted_pins.append((d.id, dep))
        else:
            keep.append(dep)
    if pin_context:
        wanted_pins += [(None, dep) for dep in ctx_pins]
    pins: list[si.Deployment] = []
    # pins are added per assessor while they keep every rule together (caps, double booking,
    # seat counts); a deployment that cannot be pinned is flagged (in scope) or falls back.
    seat_used: dict[tuple[str, str], int] = defaultdict(int)
    per_assessor: dict[str, list[si.Deployment]] = defaultdict(list)
    for dep_id, dep in wanted_pins:
        ins = base.inspection_by_id.get(dep.inspection)
        seat = ins.seat(dep.specialism) if ins else None
        trial = per_assessor[dep.assessor] + [dep]
        errors = [] if dep_id is not None else [str(x) for x in deployment_reasons(base, dep)]
        if not errors:
            errors = [v.sentence for v in check_deployments(base, trial, require_pinned=False)]
        if not errors and seat is not None and seat_used[(dep.inspection, dep.specialism)] >= seat.count:
            errors = [f"rule 1 (specialism): {dep.inspection}'s {dep.specialism} seat is already full"]
        if errors:
            if dep_id is not None:
                flags[dep_id] = errors
            else:
                blocked[dep.assessor].extend(dep.days)
                reduce_total[dep.assessor] += len(dep.days)
                fallbacks.append(f"{dep.assessor} on {dep.inspection}: {errors[0]}")
            continue
        per_assessor[dep.assessor] = trial
        seat_used[(dep.inspection, dep.specialism)] += 1
        pins.append(dep)

    if fallbacks:
        # drop the context seats of fallen-back deployments and apply blocking/reductions
        kept_ctx = defaultdict(int)
        for p in pins:
            kept_ctx[(p.inspection, p.specialism)] += 1
        new_ctx = []
        ctx_ids = {i.id for i in ctx_inspections}
        for ins in ctx_inspections:
            seats = tuple(si.Seat(x.specialism, kept_ctx[(ins.id, x.specialism)], x.min_days, x.max_days)
                          for x in ins.seats if kept_ctx[(ins.id, x.specialism)] > 0)
            if seats:
                new_ctx.append(si.Inspection(ins.id, ins.title, ins.area, (), ins.days, (), seats))
        new_assessors = []
        for a in base.assessors:
            if a.id in blocked or a.id in reduce_total:
                g = a.agreement
                if g is not None:
                    g = si.Agreement(g.start, g.end, g.max_days_per_deployment,
                                     max(0, g.max_days_total - reduce_total[a.id]))
                unav = tuple(sorted(a.unavailable + tuple(_ranges(blocked[a.id])),
                                    key=lambda x: (x.start, x.end)))
                a = si.Assessor(a.id, a.name, a.specialisms, a.sector, a.home_area, a.employer, g, unav)
            new_assessors.append(a)
        base = si.Instance(horizon, nwd, policy, base.areas, tuple(new_assessors),
                           tuple(i for i in base.inspections if i.id not in ctx_ids) + tuple(new_ctx), ())
        ctx_inspections = new_ctx
    instance = si.Instance(base.horizon, base.non_working_days, base.policy, base.areas,
                           base.assessors, base.inspections, tuple(pins))
    return Planning(instance, in_scope, [i.id for i in ctx_inspections], keep, flags,
                    baseline_of(in_ids) if baseline else "", fallbacks, ctx_pins)


def _clashes(instance: si.Instance, inside: list[tuple[int, si.Deployment]],
             context: list[si.Deployment]) -> dict[int, list[str]]:
    """Deployment id -> the rules the in-scope deployments break together or with the
    deployments outside the scope (double bookings, caps, agreed totals, seat counts); a clash
    among context deployments alone is not the scope's to change."""
    deps = [dep for _, dep in inside]
    out: dict[int, list[str]] = defaultdict(list)
    for v in check_deployments(instance, deps + context, require_pinned=False):
        for k in v.deployments:
            if k < len(deps) and v.sentence not in out[inside[k][0]]:
                out[inside[k][0]].append(v.sentence)
    return dict(out)


def publish_problems(plan: dict, in_scope: list[str]) -> list[str]:
    """Why a plan's deployments on its inspections cannot be published now, in sentences: an
    assessor no longer active or an inspection no longer planned, then every rule they break
    against the database as it is now (solver.check's checker), with every live deployment outside
    the scope as it stands and the confirmed and pinned ones in scope kept. Rules broken among the
    other deployments alone are not the plan's doing and are left to the "must change" flags."""
    scope = Scope(references=tuple(in_scope))
    now = _build(scope_inspection_ids(scope), scope_query(scope), pin_context=False, baseline=False)
    ours = plan_deployments(plan, in_scope)
    gone = sorted({f"{d.assessor} is no longer an active assessor" for d in ours
                   if d.assessor not in now.instance.assessor_by_id}
                  | {f"{d.inspection} is no longer a planned inspection" for d in ours
                     if d.inspection not in now.instance.inspection_by_id})
    if gone:
        return gone
    return [v.sentence for v in check_deployments(now.instance, ours + now.context_deployments)
            if not v.deployments or any(k < len(ours) for k in v.deployments)]


# ----------------------------------------------------------------------------- flags

def _upcoming(today: date, statuses: tuple[str, ...]) -> sa.Select:
    """Deployments in these statuses on plannable inspections that have not ended."""
    return (sa.select(Deployment.id).join(Inspection, Inspection.id == Deployment.inspection_id)
            .where(Deployment.status.in_(statuses), Inspection.ends_on >= today,
                   Inspection.status.in_(PLANNABLE)))


def flagged_deployments(today: date | None = None) -> list[tuple[Deployment, list[str]]]:
    """Published deployments on upcoming inspections that must change: they break a rule now
    (an assessor became unavailable, left, the inspection moved) or the employer or assessor declined.
    Built from the rules on an instance of just the assessors and inspections concerned.

    A few set-based queries: the inspections and assessors concerned go to ``_build`` as
    subqueries (not lists of ids), "refilled since" is one query, and the flagged rows come with
    their assessor and inspection. The ids and reasons are kept until the data change
    (``scheduler.data_cache``), so viewing the team builder does not redo the check."""
    from sqlalchemy.orm import joinedload

    today = today or date.today()
    found = data_cache.cached(("flagged deployments", today), lambda: _flag_reasons(today))
    if not found:
        return []
    deps = {d.id: d for d in db.session.scalars(
        sa.select(Deployment).where(Deployment.id.in_([i for i, _ in found]))
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection)))}
    return [(deps[i], list(reasons)) for i, reasons in found if i in deps]


def _flag_reasons(today: date) -> list[tuple[int, list[str]]]:
    """(deployment id, reasons) for flagged_deployments, in id order."""
    rows = db.session.execute(
        sa.select(Deployment.id, Deployment.assessor_id, Deployment.inspection_id, Deployment.status,
                  Assessor.status.label("assessor_status"))
        .join(Inspection, Inspection.id == Deployment.inspection_id)
        .join(Assessor, Assessor.id == Deployment.assessor_id)
        .where(Deployment.status.in_(LIVE[:2] + DECLINED),
               Inspection.ends_on >= today, Inspection.status.in_(PLANNABLE))).all()
    if not rows:
        return []
    declined = {r.id: r.status for r in rows if r.status in DECLINED}
    # a declined deployment matters while nobody has been proposed for its seat since
    live_rows = [r for r in rows if r.id not in declined]
    flags: dict[int, list[str]] = {}
    if live_rows:
        for r in live_rows:
            if r.assessor_status != AssessorStatus.ACTIVE.value:
                flags[r.id] = ["the assessor is no longer active"]
        live = _upcoming(today, LIVE[:2]).subquery()
        in_ids = sa.select(Deployment.inspection_id).where(Deployment.id.in_(sa.select(live.c.id))).distinct()
        assessor_ids = sa.select(Deployment.assessor_id).where(Deployment.id.in_(sa.select(live.c.id)))
        planning = _build(sorted({r.inspection_id for r in live_rows}), in_ids,
                          only_assessors=assessor_ids, pin=False, baseline=False)
        flags.update({k: v for k, v in planning.flags.items() if k not in flags})
    for r in rows:
        if r.id in declined:
            flags[r.id] = ["the employer declined to release the assessor"
                           if r.status == DeploymentStatus.EMPLOYER_DECLINED.value
                           else "the assessor declined the deployment"]
    replaced = _declined_but_refilled(_upcoming(today, DECLINED)) if declined else set()
    return [(i, flags[i]) for i in sorted(flags) if i not in replaced]


def _declined_but_refilled(declined: sa.Select) -> set[int]:
    """Declined deployments (ids from ``declined``) whose seat has since been given to someone else
    (a teammate published in the same plan is no refill). One query."""
    later = sa.orm.aliased(Deployment)
    refill = sa.exists().where(
        later.inspection_id == Deployment.inspection_id, later.specialism == Deployment.specialism,
        later.id > Deployment.id, later.status.in_(LIVE),
        sa.or_(Deployment.plan_id.is_(None), later.plan_id.is_distinct_from(Deployment.plan_id)))
    return set(db.session.scalars(sa.select(Deployment.id).where(Deployment.id.in_(declined), refill)))


# ----------------------------------------------------------------------------- plan -> rows

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
