"""Independent plan checker: validates any plan from the rules alone and recomputes the objective.

Nothing the plan says about itself (objective, bound, status) is trusted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .instance import Deployment, Instance, Plan
from .rules import (Reason, deployment_reasons, max_deployments, rule_caps, rule_double_booking,
                    travel_km)


@dataclass
class CheckResult:
    errors: list[str]
    objective: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.errors


def objective_of(instance: Instance, deployments: list[Deployment] | tuple[Deployment, ...]
                 ) -> dict[str, int]:
    """The four objective levels of a list of deployments (assumed known ids)."""
    per_assessor: dict[str, int] = defaultdict(int)
    km = 0
    for d in deployments:
        per_assessor[d.assessor] += 1
        a = instance.assessor_by_id.get(d.assessor)
        i = instance.inspection_by_id.get(d.inspection)
        if a is not None and i is not None:
            km += travel_km(instance, a, i)
    return {"seats_filled": len(deployments),
            "days_deployed": sum(len(d.days) for d in deployments),
            "repeat_deployments": sum(max(0, n - 1) for n in per_assessor.values()),
            "travel_km": km}


def check_deployments(instance: Instance, deployments: list[Deployment] | tuple[Deployment, ...],
                      *, require_pinned: bool = True) -> list[str]:
    errors: list[str] = []

    def add(k: int | list[int], r: Reason | str) -> None:
        where = (f"deployments[{k}]" if isinstance(k, int)
                 else "deployments[" + ", ".join(map(str, k)) + "]")
        errors.append(f"{where}: {r}")

    by_assessor: dict[str, list[int]] = defaultdict(list)
    by_seat: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, d in enumerate(deployments):
        for r in deployment_reasons(instance, d):
            add(k, r)
        by_assessor[d.assessor].append(k)
        by_seat[(d.inspection, d.specialism)].append(k)

    for (iid, spec), ks in by_seat.items():
        insp = instance.inspection_by_id.get(iid)
        seat = insp.seat(spec) if insp else None
        if seat is not None and len(ks) > seat.count:
            add(ks, f"rule 1 (specialism): {len(ks)} assessors on {iid}'s {spec} seat "
                    f"(count {seat.count})")

    for aid, ks in by_assessor.items():
        a = instance.assessor_by_id.get(aid)
        if a is None:
            continue
        for pos, k in enumerate(ks):
            d = deployments[k]
            insp = instance.inspection_by_id.get(d.inspection)
            seat = insp.seat(d.specialism) if insp else None
            if insp is None or seat is None:
                continue
            earlier = [deployments[j] for j in ks[:pos]]
            r = rule_double_booking(instance, a, insp, seat, earlier, d.days)
            if r:
                clash_with = [j for j in ks[:pos]
                              if deployments[j].inspection == d.inspection
                              or set(deployments[j].days) & set(d.days)]
                add(clash_with + [k], r)
        k_max = max_deployments(instance)
        if len(ks) > k_max:
            add(ks, f"rule 6 (caps): {aid} has {len(ks)} deployments (maximum {k_max})")
        if a.agreement is not None:
            total = sum(len(deployments[k].days) for k in ks)
            if total > a.agreement.max_days_total and len(ks) > 1:
                add(ks, f"rule 6 (caps): {aid} works {total} days in total "
                        f"(agreement allows {a.agreement.max_days_total})")

    if require_pinned:
        present = {(d.assessor, d.inspection, d.specialism, tuple(sorted(d.days)))
                   for d in deployments}
        for p, d in enumerate(instance.pinned):
            if (d.assessor, d.inspection, d.specialism, tuple(sorted(d.days))) not in present:
                errors.append(f"pinned[{p}]: rule 7 (pinned): the pinned deployment of "
                              f"{d.assessor} on {d.inspection} ({d.specialism}) is not kept exactly")
    return errors


def check(instance: Instance, plan: Plan) -> CheckResult:
    """Every broken rule (with the deployment index) and the recomputed objective."""
    errors = check_deployments(instance, plan.deployments)
    obj = objective_of(instance, plan.deployments)
    if plan.objective:
        for key, v in obj.items():
            if key in plan.objective and plan.objective[key] != v:
                errors.append(f"objective.{key}: the plan claims {plan.objective[key]}, "
                              f"its deployments give {v}")
    return CheckResult(errors, obj)


def pinned_conflicts(instance: Instance) -> list[str]:
    """Hard-rule breaches among the pinned deployments themselves (the only infeasibility)."""
    errs = check_deployments(instance, instance.pinned, require_pinned=False)
    return [e.replace("deployments[", "pinned[", 1) for e in errs]


__all__ = ["CheckResult", "check", "objective_of", "check_deployments", "pinned_conflicts",
           "rule_caps"]
