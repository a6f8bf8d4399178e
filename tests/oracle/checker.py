"""Hard rules 1-7 over a whole plan (a plan JSON dict), and the plan's recomputed objective.

Nothing the plan says about itself is trusted: the objective is recomputed from its deployments.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .problem import EXCLUDED, Deployment, Fault, Problem, objective


@dataclass(frozen=True)
class Violation:
    deployments: tuple[int, ...]     # indexes into the plan's deployments (pins: into pinned)
    fault: Fault

    def __str__(self) -> str:
        where = ", ".join(map(str, self.deployments))
        return f"deployments[{where}]: rule {self.fault.rule}: {self.fault.reason}"


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    objective: dict[str, int] | None = None


def between_faults(problem: Problem, deps: list[Deployment]) -> list[Violation]:
    """Rules 1 (one seat per inspection, seat counts), 5 and 6: what deployments do together."""
    out: list[Violation] = []
    by_seat: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_assessor: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(deps):
        by_seat[(d.inspection, d.specialism)].append(k)
        by_assessor[d.assessor].append(k)
    for (iid, spec), ks in by_seat.items():
        seat = problem.seat(iid, spec) if iid in problem.inspections else None
        if seat is not None and len(ks) > seat["count"]:
            out.append(Violation(tuple(ks), Fault("1", f"{len(ks)} on {iid} {spec}, "
                                                       f"count {seat['count']}")))
    for aid, ks in by_assessor.items():
        for x, k in enumerate(ks):
            for j in ks[x + 1:]:
                a, b = deps[k], deps[j]
                if a.inspection == b.inspection:
                    out.append(Violation((k, j), Fault("1", f"{aid} twice on {a.inspection}")))
                if set(a.days) & set(b.days):
                    out.append(Violation((k, j), Fault("5", f"{aid} double-booked")))
        if len(ks) > problem.cap:
            out.append(Violation(tuple(ks), Fault("6", f"{aid}: {len(ks)} deployments, "
                                                       f"cap {problem.cap}")))
        g = (problem.assessors.get(aid) or {}).get("agreement")
        total = sum(len(deps[k].days) for k in ks)
        if g and total > g["max_days_total"]:
            out.append(Violation(tuple(ks), Fault("6", f"{aid}: {total} days, agreement total "
                                                       f"{g['max_days_total']}")))
    return out


def check(problem: Problem, plan: dict) -> Report:
    deps = [Deployment.of(d) for d in plan.get("deployments") or []]
    report = Report()
    for k, d in enumerate(deps):
        report.violations += [Violation((k,), f) for f in problem.deployment_faults(d)]
    report.violations += between_faults(problem, deps)
    kept = {(d.assessor, d.inspection, d.specialism, frozenset(d.days)) for d in deps}
    for k, p in enumerate(problem.pinned):
        if (p.assessor, p.inspection, p.specialism, frozenset(p.days)) not in kept:
            report.violations.append(Violation((), Fault("7", f"pinned[{k}] not kept")))
    if not any(f.fault.rule == "unknown" for f in report.violations):
        report.objective = objective(problem, deps)
    return report


def _others(deps: list[Deployment], aid: str, but: Deployment | None = None) -> list[Deployment]:
    return [d for d in deps if d.assessor == aid and d is not but]


def classify(problem: Problem, iid: str, spec: str, deps: list[Deployment]) -> dict[str, str]:
    """Each holder of the specialism not on the seat, by :meth:`Problem.exclusion` against their
    deployments in the plan ('could_take' where nothing keeps them off)."""
    on = {d.assessor for d in deps if (d.inspection, d.specialism) == (iid, spec)}
    return {a["id"]: problem.exclusion(a["id"], iid, spec, _others(deps, a["id"])) or "could_take"
            for a in problem.data["assessors"] if spec in a["specialisms"] and a["id"] not in on}


def excluded_yet_placed(problem: Problem, plan: dict) -> list[str]:
    """Deployments whose assessor the oracle finds kept off that seat by ``agreement_days`` or
    ``busy`` (judged against their other deployments in the plan)."""
    deps = [Deployment.of(d) for d in plan.get("deployments") or []]
    out = []
    for k, d in enumerate(deps):
        why = problem.exclusion(d.assessor, d.inspection, d.specialism,
                                _others(deps, d.assessor, but=d))
        if why in ("agreement_days", "busy"):
            out.append(f"deployments[{k}]: {d.assessor} on {d.inspection} {d.specialism}, "
                       f"though {why}")
    return out


def unfilled_faults(problem: Problem, plan: dict) -> list[str]:
    """The plan's ``unfilled`` list against its deployments: one entry per seat with vacancies,
    ``missing`` and ``deployed_here`` as the deployments say, ``holders`` those holding the
    specialism, and each holder not on the seat counted under the first reason that keeps them
    off (:meth:`Problem.exclusion`; one nothing keeps off is counted as ``busy``, as the format
    has no key for them)."""
    deps = [Deployment.of(d) for d in plan.get("deployments") or []]
    entries = {(u["inspection"], u["specialism"]): u for u in plan.get("unfilled") or []}
    out = []
    for iid, spec, seat in problem.seats():
        on = {d.assessor for d in deps if (d.inspection, d.specialism) == (iid, spec)}
        u = entries.pop((iid, spec), None)
        if len(on) >= seat["count"]:
            if u is not None:
                out.append(f"{iid} {spec}: listed unfilled but full")
            continue
        if u is None:
            out.append(f"{iid} {spec}: {seat['count'] - len(on)} vacancies not listed")
            continue
        why = list(classify(problem, iid, spec, deps).values())
        holders = sum(spec in a["specialisms"] for a in problem.data["assessors"])
        expect = {"missing": seat["count"] - len(on), "deployed_here": len(on),
                  "holders": holders, "sum": holders}
        expect |= {k: why.count(k) for k in EXCLUDED}
        expect["busy"] += why.count("could_take")
        got = dict(u, **{k: u["excluded"].get(k) for k in EXCLUDED},
                   sum=u["deployed_here"] + sum(u["excluded"].values()))
        out += [f"{iid} {spec}: {k} {got.get(k)}, should be {v}" for k, v in expect.items()
                if got.get(k) != v]
    out += [f"{iid} {spec}: listed unfilled, no such seat" for iid, spec in entries]
    return out
