"""Independent plan checker: validates any plan from the rules alone and recomputes the objective.

Nothing the plan says about itself (objective, bound, status) is trusted.  The result is
structured (:class:`Violation`: which deployments, which rule, why in a plain sentence); text is
made only at the edge (the command line, the web pages).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from . import wording
from .domain import Deployment, Instance, Plan
from .objective import objective_of
from .rules import RULE_NAMES, deployment_reasons, max_deployments, rule_double_booking


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: ``deployments`` index the checked list (empty for a pinned deployment
    the plan lacks), ``rule`` is the spec's rule number 1-7, ``reason`` one sentence."""

    deployments: tuple[int, ...]
    rule: int
    reason: str

    @property
    def sentence(self) -> str:
        """The rule named and the reason: "rule 6 (caps): Ailsa MacKay (A00002) works ..."."""
        return f"rule {self.rule} ({RULE_NAMES[self.rule]}): {self.reason}"

    def __str__(self) -> str:
        where = "deployments[" + ", ".join(map(str, self.deployments)) + "]: " \
            if self.deployments else ""
        return where + self.sentence


@dataclass
class CheckResult:
    violations: list[Violation]
    objective: dict[str, int]
    # objective figures the plan claims that its deployments do not give: level -> (claimed, real)
    wrong_claims: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.wrong_claims


def _seat_counts(instance: Instance, deployments: Sequence[Deployment]) -> list[Violation]:
    by_seat: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, d in enumerate(deployments):
        by_seat[(d.inspection, d.specialism)].append(k)
    out = []
    for (iid, spec), ks in by_seat.items():
        insp = instance.inspection_by_id.get(iid)
        seat = insp.seat(spec) if insp else None
        if insp is not None and seat is not None and len(ks) > seat.count:
            out.append(Violation(tuple(ks), 1, f"{len(ks)} assessors on the {spec} seat of "
                                               f"{wording.inspection(insp)}, which holds "
                                               f"{seat.count}"))
    return out


def _per_assessor(instance: Instance, deployments: Sequence[Deployment], aid: str,
                  ks: list[int]) -> list[Violation]:
    """Rules 5 and 6 across one assessor's deployments."""
    a = instance.assessor_by_id.get(aid)
    if a is None:
        return []
    out = []
    for pos, k in enumerate(ks):
        d = deployments[k]
        insp = instance.inspection_by_id.get(d.inspection)
        seat = insp.seat(d.specialism) if insp else None
        if insp is None or seat is None:
            continue
        earlier = [deployments[j] for j in ks[:pos]]
        r = rule_double_booking(instance, a, insp, seat, earlier, d.days)
        if r:
            clash_with = [j for j in ks[:pos] if deployments[j].inspection == d.inspection
                          or set(deployments[j].days) & set(d.days)]
            out.append(Violation(tuple(clash_with + [k]), r.rule, r.message))
    k_max = max_deployments(instance)
    if len(ks) > k_max:
        out.append(Violation(tuple(ks), 6, f"{wording.person(a)} has {len(ks)} deployments "
                                           f"(maximum {k_max})"))
    if a.agreement is not None and len(ks) > 1:
        total = sum(len(deployments[k].days) for k in ks)
        if total > a.agreement.max_days_total:
            out.append(Violation(tuple(ks), 6, f"{wording.person(a)} works {total} days in total; "
                                               f"their agreement allows "
                                               f"{a.agreement.max_days_total}"))
    return out


def _pinned_kept(instance: Instance, deployments: Sequence[Deployment]) -> list[Violation]:
    present = {(d.assessor, d.inspection, d.specialism, tuple(sorted(d.days)))
               for d in deployments}
    out = []
    for p in instance.pinned:
        if (p.assessor, p.inspection, p.specialism, tuple(sorted(p.days))) not in present:
            a = instance.assessor_by_id.get(p.assessor)
            i = instance.inspection_by_id.get(p.inspection)
            who = wording.person(a) if a else p.assessor
            where = wording.inspection(i) if i else p.inspection
            out.append(Violation((), 7, f"the pinned deployment of {who} on {where} "
                                        f"({wording.specialism(p.specialism)}) is not kept "
                                        "exactly"))
    return out


def check_deployments(instance: Instance, deployments: Sequence[Deployment],
                      *, require_pinned: bool = True) -> list[Violation]:
    """Every hard rule the deployments break, each naming the deployments' indexes."""
    out = [Violation((k,), r.rule, r.message)
           for k, d in enumerate(deployments) for r in deployment_reasons(instance, d)]
    out += _seat_counts(instance, deployments)
    by_assessor: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(deployments):
        by_assessor[d.assessor].append(k)
    for aid, ks in by_assessor.items():
        out += _per_assessor(instance, deployments, aid, ks)
    if require_pinned:
        out += _pinned_kept(instance, deployments)
    return out


def check(instance: Instance, plan: Plan) -> CheckResult:
    """Every broken rule and the recomputed objective (and any objective figure the plan gets
    wrong)."""
    violations = check_deployments(instance, plan.deployments)
    obj = objective_of(instance, plan.deployments)
    claims: dict[str, tuple[float, float]] = {
        key: (plan.objective[key], v) for key, v in obj.items()
              if plan.objective and key in plan.objective and plan.objective[key] != v}
    return CheckResult(violations, obj, claims)


def pinned_conflicts(instance: Instance) -> list[Violation]:
    """Hard-rule breaches among the pinned deployments themselves (the only infeasibility);
    indexes are into ``instance.pinned``."""
    return check_deployments(instance, instance.pinned, require_pinned=False)


__all__ = ["CheckResult", "Violation", "check", "check_deployments", "pinned_conflicts"]
