"""Which of the scope's deployments are pinned (kept as they are), which are only kept if possible
(published, unpinned), and which are flagged because they must change."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from scheduler.models import DeploymentStatus
from solver import instance as si
from solver.check import check_deployments
from solver.rules import deployment_reasons


@dataclass
class Pinning:
    pins: list[si.Deployment] = field(default_factory=list)
    keep: list[si.Deployment] = field(default_factory=list)      # published, unpinned: keep if possible
    flags: dict[int, list[str]] = field(default_factory=dict)     # deployment id -> why it must change
    fallbacks: list[str] = field(default_factory=list)            # context deployments not pinned, why
    blocked: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))
    reduce_total: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def as_solver_deployment(d: sa.Row, ref_of_assessor: dict[int, str], ref_of_inspection: dict[int, str]
                         ) -> si.Deployment:
    return si.Deployment(ref_of_assessor[d.assessor_id], ref_of_inspection[d.inspection_id], d.specialism,
                         tuple(sorted(date.fromisoformat(x) for x in d.days)))


def pin(base: si.Instance, inside: list[tuple[sa.Row, si.Deployment]], context_pins: list[si.Deployment],
        *, pin_scope: bool, pin_context: bool) -> Pinning:
    """Flag the in-scope deployments that break a rule alone or together with the others; pin the
    confirmed or hand-pinned rest (``pin_scope``) and the context deployments (``pin_context``), per
    assessor while they keep every rule together (caps, double booking, seat counts). A deployment
    that cannot be pinned is flagged (in scope) or falls back (context)."""
    out = Pinning()
    alone = []
    for d, dep in inside:
        reasons = [str(x) for x in deployment_reasons(base, dep)]
        if reasons:
            out.flags[d.id] = reasons
        else:
            alone.append((d, dep))
    out.flags.update(clashes(base, [(d.id, dep) for d, dep in alone], context_pins))
    wanted: list[tuple[int | None, si.Deployment]] = []
    for d, dep in alone:
        if d.id in out.flags:
            continue
        if pin_scope and (d.pinned or d.status != DeploymentStatus.PROPOSED.value):
            wanted.append((d.id, dep))
        else:
            out.keep.append(dep)
    if pin_context:
        wanted += [(None, dep) for dep in context_pins]
    seat_used: dict[tuple[str, str], int] = defaultdict(int)
    per_assessor: dict[str, list[si.Deployment]] = defaultdict(list)
    for dep_id, dep in wanted:
        trial = per_assessor[dep.assessor] + [dep]
        errors = _pin_errors(base, dep, trial, in_scope=dep_id is not None,
                             seat_used=seat_used[(dep.inspection, dep.specialism)])
        if errors and dep_id is not None:
            out.flags[dep_id] = errors
        elif errors:
            out.blocked[dep.assessor].extend(dep.days)
            out.reduce_total[dep.assessor] += len(dep.days)
            out.fallbacks.append(f"{dep.assessor} on {dep.inspection}: {errors[0]}")
        else:
            per_assessor[dep.assessor] = trial
            seat_used[(dep.inspection, dep.specialism)] += 1
            out.pins.append(dep)
    return out


def _pin_errors(base: si.Instance, dep: si.Deployment, trial: list[si.Deployment], *, in_scope: bool,
                seat_used: int) -> list[str]:
    """Why ``dep`` cannot be pinned beside the assessor's pins so far (``trial`` ends with it)."""
    errors = [] if in_scope else [str(x) for x in deployment_reasons(base, dep)]
    if not errors:
        errors = [v.sentence for v in check_deployments(base, trial, require_pinned=False)]
    ins = base.inspection_by_id.get(dep.inspection)
    seat = ins.seat(dep.specialism) if ins else None
    if not errors and seat is not None and seat_used >= seat.count:
        errors = [f"rule 1 (specialism): {dep.inspection}'s {dep.specialism} seat is already full"]
    return errors


def clashes(instance: si.Instance, inside: list[tuple[int, si.Deployment]],
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
