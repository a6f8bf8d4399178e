"""Published deployments on upcoming inspections that must change, and why."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from scheduler import data_cache
from scheduler.extensions import db
from scheduler.models import Assessor, AssessorStatus, Deployment, DeploymentStatus, Inspection, InspectionDay
from scheduler.planning.build import build_ids
from scheduler.planning.scope import DECLINED, LIVE, PLANNABLE, horizon_of
from solver import instance as si

LAST = "flags.checked"     # app.extensions: the newest Checked this process has seen
ACTIVE = AssessorStatus.ACTIVE.value
MAX_AGE = 3600.0           # seconds a previous result is built on (data_cache.CHANGES_KEPT: a day)


def _upcoming(today: date, statuses: tuple[str, ...]) -> sa.Select:
    """Deployments in these statuses on plannable inspections that have not ended."""
    return (sa.select(Deployment.id).join(Inspection, Inspection.id == Deployment.inspection_id)
            .where(Deployment.status.in_(statuses), Inspection.ends_on >= today,
                   Inspection.status.in_(PLANNABLE)))


@dataclass(frozen=True)
class Checked:
    """The rules' flags as last worked out, and what from: the data-version rows read before anything
    else (``data_cache.writers``), the day and the horizon."""

    today: date
    writers: dict[int, int]
    horizon: si.DateRange
    flags: dict[int, list[str]]
    at: float                               # time.time() when worked out


def flagged_deployments(today: date | None = None) -> list[tuple[Deployment, list[str]]]:
    """Published deployments on upcoming inspections that must change: they break a rule now
    (an assessor became unavailable, left, the inspection moved) or the employer or assessor declined.
    Built from the rules on an instance of just the assessors and inspections concerned.

    A few set-based queries: the inspections and assessors concerned go to ``build_ids`` as
    subqueries (not lists of ids), "refilled since" is one query, and the flagged rows come with
    their assessor and inspection. The ids and reasons are kept until the data change
    (``scheduler.data_cache``), so viewing the team builder does not redo the check; after a write,
    only the deployments it may have changed are checked again (``_rule_flags``)."""
    from sqlalchemy.orm import joinedload

    today = today or date.today()
    found, checked = data_cache.cached(("flagged deployments", today),
                                       lambda: _flag_reasons(today, current_app.extensions.get(LAST)))
    _remember(checked)
    if not found:
        return []
    deps = {d.id: d for d in db.session.scalars(
        sa.select(Deployment).where(Deployment.id.in_([i for i, _ in found]))
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection)))}
    return [(deps[i], list(reasons)) for i, reasons in found if i in deps]


def _remember(checked: Checked | None) -> None:
    """Keep the newest result this process has worked out or read from another (through Redis)."""
    last = current_app.extensions.get(LAST)
    if checked is not None and (last is None or sum(checked.writers.values()) >= sum(last.writers.values())):
        current_app.extensions[LAST] = checked


def _flag_reasons(today: date, previous: Checked | None) -> tuple[list[tuple[int, list[str]]], Checked | None]:
    """(deployment id, reasons) for flagged_deployments, in id order, and the rules' flags to build
    on next time (None while this transaction has written: what it reads may never be committed)."""
    writers = None if data_cache.writing() else data_cache.writers()
    # (id, assessor id, inspection id, status, the assessor's status): unpacked, not read by name
    # (ten times faster over a national programme's rows)
    rows = db.session.execute(
        sa.select(Deployment.id, Deployment.assessor_id, Deployment.inspection_id, Deployment.status,
                  Assessor.status.label("assessor_status"))
        .join(Inspection, Inspection.id == Deployment.inspection_id)
        .join(Assessor, Assessor.id == Deployment.assessor_id)
        .where(Deployment.status.in_(LIVE[:2] + DECLINED),
               Inspection.ends_on >= today, Inspection.status.in_(PLANNABLE))).tuples().all()
    if not rows:
        return [], None
    declined = {d: status for d, _, _, status, _ in rows if status in DECLINED}
    # a declined deployment matters while nobody has been proposed for its seat since
    live_rows = [r for r in rows if r[0] not in declined]
    flags: dict[int, list[str]] = {}
    checked = None
    if live_rows:
        for d, _, _, _, assessor_status in live_rows:
            if assessor_status != ACTIVE:
                flags[d] = ["the assessor is no longer active"]
        checked = _rule_flags(today, live_rows, previous, writers)
        flags.update({k: v for k, v in checked.flags.items() if k not in flags})
    for d, status in declined.items():
        flags[d] = ["the employer declined to release the assessor"
                    if status == DeploymentStatus.EMPLOYER_DECLINED.value else "the assessor declined the deployment"]
    replaced = _declined_but_refilled(_upcoming(today, DECLINED)) if declined else set()
    return [(i, flags[i]) for i in sorted(flags) if i not in replaced], checked if writers is not None else None


def _rule_flags(today: date, live_rows: list[tuple], previous: Checked | None,
                writers: dict[int, int] | None) -> Checked:
    """The rules' flags on the deployments of the build over every inspection with a published
    deployment (``live_rows``) and those deployments' assessors. Built on ``previous`` when the
    change log says what changed since: only the deployments that may have changed are checked
    again, on a build of just what they are checked with; the others keep their flags."""
    live = _upcoming(today, LIVE[:2]).subquery()
    in_ids = sa.select(Deployment.inspection_id).where(Deployment.id.in_(sa.select(live.c.id))).distinct()
    scope = {i for _, _, i, _, _ in live_rows}
    low, high = db.session.execute(sa.select(sa.func.min(InspectionDay.day), sa.func.max(InspectionDay.day))
                                   .where(InspectionDay.inspection_id.in_(in_ids))).one()
    horizon = horizon_of([low, high] if low else [])
    everyone = db.session.execute(sa.select(Deployment.id, Deployment.assessor_id, Deployment.inspection_id,
                                            Deployment.status).where(Deployment.status.in_(LIVE + DECLINED))
                                  ).tuples().all()
    active = {a for _, a, _, _, status in live_rows if status == ACTIVE}
    checking = {d: (a, i) for d, a, i, status in everyone if status in LIVE and i in scope and a in active}
    redo = _redo(previous, today, writers, horizon, checking, everyone)
    if redo is None:
        assessor_ids = sa.select(Deployment.assessor_id).where(Deployment.id.in_(sa.select(live.c.id)))
        flags = build_ids(sorted(scope), in_ids, only_assessors=assessor_ids, pin_scope=False, baseline=False,
                          horizon=horizon).flags
    else:
        assert previous is not None
        flags = {k: v for k, v in previous.flags.items() if k in checking and k not in redo}
        if redo:
            flags.update(_redone(redo, checking, everyone, scope, horizon))
    return Checked(today, writers or {}, horizon, flags, time.time())


def _redo(previous: Checked | None, today: date, writers: dict[int, int] | None, horizon: si.DateRange,
          checking: dict[int, tuple[int, int]], everyone: list[tuple]) -> set[int] | None:
    """The deployments in ``checking`` whose flags the writes since ``previous`` may have changed;
    None: all of them (no previous result to build on, or a write that concerns every deployment).
    A deployment's flags depend on its assessor, its inspection, and the deployments it is checked
    with: its assessor's and its inspection's. A write to an assessor or an inspection may make one
    of their deployments break a rule by itself, which takes it out of that check for its fellow
    deployments: so the deployments of the assessors on a touched inspection are checked again,
    and those on the inspections of a touched assessor."""
    if (previous is None or writers is None or previous.today != today or previous.horizon != horizon
            or time.time() - previous.at > MAX_AGE):
        return None
    touched = data_cache.touched_since(previous.writers, writers)
    if touched is None:
        return None
    assessors, inspections = touched
    near_assessors = assessors | {a for _, a, i, _ in everyone if i in inspections}
    near_inspections = inspections | {i for _, a, i, _ in everyone if a in assessors}
    return {d for d, (a, i) in checking.items() if a in near_assessors or i in near_inspections}


def _redone(redo: set[int], checking: dict[int, tuple[int, int]], everyone: list[tuple], scope: set[int],
            horizon: si.DateRange) -> dict[int, list[str]]:
    """The rules' flags on the deployments ``redo``, from a build of what they are checked with, as
    in the whole build: every deployment on their inspections, and every inspection in scope where
    those deployments' assessors have a deployment (live, or declined: its days are blocked), over
    the whole build's horizon (which agreement applies depends on it)."""
    on = {checking[d][1] for d in redo}
    assessors = {a for a, i in checking.values() if i in on}
    inspections = on | {i for _, a, i, _ in everyone if a in assessors and i in scope}
    planning = build_ids(sorted(inspections), only_assessors=assessors, pin_scope=False, baseline=False,
                         horizon=horizon)
    return {k: v for k, v in planning.flags.items() if k in redo}


def _declined_but_refilled(declined: sa.Select) -> set[int]:
    """Declined deployments (ids from ``declined``) whose seat has since been given to someone else
    (a teammate published in the same plan is no refill). One query."""
    later = sa.orm.aliased(Deployment)
    refill = sa.exists().where(
        later.inspection_id == Deployment.inspection_id, later.specialism == Deployment.specialism,
        later.id > Deployment.id, later.status.in_(LIVE),
        sa.or_(Deployment.plan_id.is_(None), later.plan_id.is_distinct_from(Deployment.plan_id)))
    return set(db.session.scalars(sa.select(Deployment.id).where(Deployment.id.in_(declined), refill)))
