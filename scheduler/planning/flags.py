"""Published deployments on upcoming inspections that must change, and why."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from scheduler import data_cache
from scheduler.extensions import db
from scheduler.models import Assessor, AssessorStatus, Deployment, DeploymentStatus, Inspection
from scheduler.planning.build import build_ids
from scheduler.planning.scope import DECLINED, LIVE, PLANNABLE


def _upcoming(today: date, statuses: tuple[str, ...]) -> sa.Select:
    """Deployments in these statuses on plannable inspections that have not ended."""
    return (sa.select(Deployment.id).join(Inspection, Inspection.id == Deployment.inspection_id)
            .where(Deployment.status.in_(statuses), Inspection.ends_on >= today,
                   Inspection.status.in_(PLANNABLE)))


def flagged_deployments(today: date | None = None) -> list[tuple[Deployment, list[str]]]:
    """Published deployments on upcoming inspections that must change: they break a rule now
    (an assessor became unavailable, left, the inspection moved) or the employer or assessor declined.
    Built from the rules on an instance of just the assessors and inspections concerned.

    A few set-based queries: the inspections and assessors concerned go to ``build_ids`` as
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
        planning = build_ids(sorted({r.inspection_id for r in live_rows}), in_ids,
                          only_assessors=assessor_ids, pin_scope=False, baseline=False)
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
