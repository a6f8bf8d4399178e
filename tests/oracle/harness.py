"""Run the real solver on a case, both ways (``solver.solve()`` and ``python -m solver solve``),
and list every way it disagrees with the oracle.

The one module here that imports ``solver``: only to run it and read its answers, never to
decide what is right.
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import mip
from .checker import check, classify, excluded_yet_placed, unfilled_faults
from .generator import Case, case, expected_kind
from .problem import Deployment, Problem, lexkey
from .validity import input_problems

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = ROOT / "tests" / "solver" / "data" / "regressions"


@dataclass(frozen=True)
class Failure:
    where: str      # "solve()" or "cli"
    what: str       # a short, stable name of the fault (shrinking keeps a case while it shows)
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: {self.detail}"


@dataclass
class Outcome:
    case: Case
    kind: str                        # what a correct solver does: invalid / infeasible / solve
    failures: list[Failure] = field(default_factory=list)
    unproven: bool = False           # an honest 'feasible' (the solver ran out of time)
    cli: bool = False                # also run through `python -m solver solve`

    @property
    def ok(self) -> bool:
        return not self.failures


# ----------------------------------------------------------------------------- judging a plan

def _bound_faults(problem: Problem, opt: dict, obj: dict, bound: dict | None
                  ) -> list[tuple[str, str]]:
    """A level's bound is null only below an unproven level, and never cuts off the optimum."""
    out = []
    bound = bound or {}
    at_best_above = True
    for name, sense in problem.levels:
        b = bound.get(name)
        if b is None:
            if at_best_above:
                out.append(("null bound", f"{name} bound is null below proven levels"))
            at_best_above = False
            continue
        if at_best_above and (b < opt[name] if sense == "max" else b > opt[name]):
            out.append(("bound cuts off the optimum", f"{name} bound {b}, optimum {opt[name]}"))
        at_best_above = at_best_above and b == obj[name] == opt[name]
    return out


def judge_plan(problem: Problem, opt: dict, plan: dict) -> list[tuple[str, str]]:
    """(what, detail) for every way a plan (JSON) falls short of the oracle's."""
    report = check(problem, plan)
    out = [("breaks rule " + v.fault.rule, str(v)) for v in report.violations]
    obj = report.objective
    if out or obj is None:    # how good a broken plan is does not matter
        return out
    if plan.get("objective") != obj:
        out.append(("objective misreported", f"says {plan.get('objective')}, is {obj}"))
    for key in ("objective", "bound"):
        if list(plan.get(key) or {}) != list(obj):
            out.append((f"{key} not in the order of the levels",
                        f"{list(plan.get(key) or {})}, not {list(obj)}"))
    out += [("unfilled miscounted", f) for f in unfilled_faults(problem, plan)]
    out += [("placed though excluded", f) for f in excluded_yet_placed(problem, plan)]
    status = plan.get("status")
    if status == "optimal":
        if obj != opt:
            out.append(("not optimal", f"'optimal' {obj}, oracle optimum {opt}"))
        if plan.get("bound") != obj:
            out.append(("optimal with a gap", f"bound {plan.get('bound')}, objective {obj}"))
    elif status == "feasible":
        if lexkey(obj, problem.levels) > lexkey(opt, problem.levels):
            out.append(("beats the oracle", f"{obj} better than {opt}"))
        out += _bound_faults(problem, opt, obj, plan.get("bound"))
    else:
        out.append(("wrong status", f"{status!r} on a solvable instance"))
    return out


# ----------------------------------------------------------------------------- running the solver

# the solver's reasons the oracle judges holder by holder (the others are counted in unfilled)
JUDGED_REASONS = ("busy", "agreement_days")


def reason_faults(problem: Problem, inst, plan: dict) -> list[tuple[str, str]]:
    """Every holder whom the solver keeps off a seat with one of :data:`JUDGED_REASONS`, whose
    first reason by the oracle is another (or none). The solver's reason is
    ``solver.rules.why_not``'s: the first of ``solver.explain.candidates``' reasons (its status),
    the web's "why not this assessor" and the check before a hand-made deployment (candidates
    itself also verifies a fix per holder, which would double the time of a case)."""
    from solver.domain import Deployment as SolverDeployment
    from solver.rules import why_not

    deps = [Deployment.of(d) for d in plan["deployments"]]
    theirs = [SolverDeployment(d.assessor, d.inspection, d.specialism, d.days) for d in deps]
    out = []
    for iid, spec, _ in problem.seats():
        truth = classify(problem, iid, spec, deps)
        ins = inst.inspection_by_id[iid]
        for aid in truth:
            reason = why_not(inst, inst.assessor_by_id[aid], ins, spec,
                             [d for d in theirs if d.assessor == aid])
            if reason is not None and reason.code in JUDGED_REASONS \
                    and truth[aid] != reason.code:
                out.append((f"{reason.code} not true",
                            f"{aid} on {iid} {spec}: the solver says {reason.code} "
                            f"({reason.message}), the oracle {truth[aid]}"))
    return out


def _names_paths(paths: list[str], messages: list[str]) -> list[str]:
    """The oracle's paths that no message names (a message may name the field or its parent)."""
    leads = [m.removeprefix("error: ").split(":", 1)[0].strip() for m in messages]
    return [p for p in paths
            if not any(lead.startswith(p) or (p.startswith(lead) and lead.endswith("]")
                                              and p.count(".") - lead.count(".") <= 1)
                       for lead in leads if lead)]


def _run_api(case: Case, kind: str, problem: Problem | None, opt: dict | None,
             time_limit: float) -> tuple[list[Failure], str | None]:
    """The failures of ``solver.solve()`` on the case, and the status it gave."""
    import solver

    def fail(what, detail):
        return Failure("solve()", what, detail)

    try:
        inst = solver.Instance.from_json(copy.deepcopy(case.data))
    except solver.InvalidInstance as exc:
        if kind != "invalid":
            return [fail("refused valid input", "; ".join(exc.errors))]
        missing = _names_paths([p for p, _ in input_problems(case.data)], list(exc.errors))
        if missing:
            return [fail("error not named by path", f"{missing} not in {exc.errors}")], None
        return [], None
    if kind == "invalid":
        return [fail("accepted invalid input", str(input_problems(case.data)))], None
    plan = solver.solve(inst, time_limit=time_limit, workers=1).to_json()
    if kind == "infeasible":
        if plan["status"] != "infeasible" or plan["deployments"]:
            return [fail("contradicting pins not infeasible", f"status {plan['status']}")], None
        return [], plan["status"]
    found = judge_plan(problem, opt, plan)
    if not found:            # a plan that keeps the rules: are its reasons true?
        found = reason_faults(problem, inst, plan)
    return [fail(w, d) for w, d in found], plan["status"]


def _run_cli(case: Case, kind: str, problem: Problem | None, opt: dict | None,
             time_limit: float) -> list[Failure]:
    def fail(what, detail):
        return Failure("cli", what, detail)

    with tempfile.TemporaryDirectory(prefix="oracle-") as tmp:
        path = Path(tmp) / "instance.json"
        path.write_text(json.dumps(case.data), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        try:
            r = subprocess.run([sys.executable, "-m", "solver", "solve", str(path),
                                "--time-limit", str(time_limit), "--workers", "1"],
                               cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=3 * time_limit + 60)
        except subprocess.TimeoutExpired:
            return [fail("timed out", f"no answer in {3 * time_limit + 60:.0f} s")]
    if "Traceback" in r.stderr:
        return [fail("traceback", r.stderr[-500:])]
    if kind in ("invalid", "infeasible"):
        out = [] if r.returncode == 2 else [fail("exit status", f"{r.returncode}, not 2")]
        errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
        if kind == "invalid":
            missing = _names_paths([p for p, _ in input_problems(case.data)], errors)
            if missing:
                out.append(fail("error not named by path", f"{missing} not in {errors}"))
        elif not any("pinned" in e for e in errors):
            out.append(fail("contradiction not explained", r.stderr[-300:]))
        return out
    try:
        plan = json.loads(r.stdout)
    except json.JSONDecodeError:
        return [fail("stdout is not one JSON document", r.stdout[:120])]
    out = [fail(w, d) for w, d in judge_plan(problem, opt, plan)]
    if r.returncode != (1 if out else 0):
        out.append(fail("exit status", f"{r.returncode} for a plan that "
                                        + ("fails" if out else "passes") + " the check"))
    return out


def run_case(case: Case, *, cli: bool = True, time_limit: float = 20.0) -> Outcome:
    kind = expected_kind(case.data)
    problem = opt = None
    if kind == "solve":
        problem = Problem(case.data)
        opt = mip.optimum(problem)[0]
    failures, status = _run_api(case, kind, problem, opt, time_limit)
    out = Outcome(case, kind, failures, unproven=status == "feasible", cli=cli)
    if cli:
        out.failures += _run_cli(case, kind, problem, opt, time_limit)
    return out


def run_seed(seed: int, *, cli_every: int, time_limit: float = 20.0) -> Outcome:
    """The generator's case of ``seed``; through the CLI too when the solver must refuse it and
    on every ``cli_every``-th seed (a subprocess costs most of a second)."""
    c = case(seed)
    return run_case(c, cli=seed % cli_every == 0 or expected_kind(c.data) != "solve",
                    time_limit=time_limit)


# ----------------------------------------------------------------------------- the corpus

def _smaller(data: dict):
    """Instances with one thing less (pins that lose their assessor, inspection or seat go)."""
    def without(mutate):
        d = copy.deepcopy(data)
        mutate(d)
        ids = {(a["id"]) for a in d["assessors"]}
        seats = {(i["id"], s["specialism"]) for i in d["inspections"] for s in i["seats"]}
        d["pinned"] = [p for p in d["pinned"] if p["assessor"] in ids
                       and (p["inspection"], p["specialism"]) in seats]
        return d

    for key in ("pinned", "assessors", "inspections", "non_working_days"):
        for k in range(len(data.get(key, []))):
            yield without(lambda d: d[key].pop(k))
    for k, i in enumerate(data["inspections"]):
        for j in range(len(i["seats"]) if len(i["seats"]) > 1 else 0):
            yield without(lambda d: d["inspections"][k]["seats"].pop(j))
    for k, a in enumerate(data["assessors"]):
        if a.get("unavailable"):
            yield without(lambda d: d["assessors"][k].update(unavailable=[]))


def shrink(outcome: Outcome, *, cli: bool) -> Outcome:
    """The outcome on a smaller instance (one thing removed at a time) that still shows one of
    the faults."""
    wanted = {f.what for f in outcome.failures}
    progress = True
    while progress:
        progress = False
        for smaller in _smaller(outcome.case.data):
            if expected_kind(smaller) != outcome.kind:
                continue
            out = run_case(Case(outcome.case.id, outcome.case.classes, smaller), cli=cli)
            if wanted & {f.what for f in out.failures}:
                outcome, progress = out, True
                break
    return outcome


def save_regression(outcome: Outcome, directory: Path = REGRESSIONS) -> Path:
    """The case, with a short note of what failed on it, into the corpus."""
    directory.mkdir(parents=True, exist_ok=True)
    case = outcome.case
    path = directory / f"{case.id}.json"
    note = "; ".join(dict.fromkeys(str(f) for f in outcome.failures[:3]))
    path.write_text(json.dumps({"id": case.id, "classes": list(case.classes), "note": note,
                                "instance": case.data}, indent=1) + "\n", encoding="utf-8")
    return path


def regressions(directory: Path = REGRESSIONS) -> list[Case]:
    out = []
    for path in sorted(directory.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        out.append(Case(entry["id"], tuple(entry["classes"]), entry["instance"]))
    return out
