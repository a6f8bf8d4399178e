"""Command line: ``python -m solver solve|check|explain``.

Exit status: 0 success, 1 a plan fails the check (or the pinned deployments contradict each
other), 2 invalid input (messages on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import json
import sys

from .instance import InvalidInstance, load_instance, load_plan, save_plan


def _err(lines) -> None:
    for line in lines:
        print(f"error: {line}", file=sys.stderr)


def _problems(result, listed: str = "deployments") -> list[str]:
    """A check's violations (or the pinned deployments' conflicts) and wrong claims as lines."""
    lines = [f"{listed}[{', '.join(map(str, v.deployments))}]: {v.sentence}" if v.deployments
             else v.sentence for v in getattr(result, "violations", result)]
    lines += [f"objective.{key}: the plan claims {claimed}, its deployments give {real}"
              for key, (claimed, real) in getattr(result, "wrong_claims", {}).items()]
    return lines


def _cmd_solve(args) -> int:
    from .check import check, pinned_conflicts
    from .model import solve

    inst = load_instance(args.instance)
    conflicts = pinned_conflicts(inst)
    if conflicts:
        _err(["the pinned deployments contradict each other:"] + _problems(conflicts, "pinned"))
        plan = solve(inst, time_limit=0)
        if args.out:
            save_plan(plan, args.out)
        return 2
    def progress(level, obj, bound, elapsed):
        print(f"[{elapsed:7.2f}s] {level}: {obj:g} (bound {bound:g})", file=sys.stderr, flush=True)
    plan = solve(inst, time_limit=args.time_limit, workers=args.workers,
                 relative_gap=args.gap, progress=progress if sys.stderr.isatty() else None)
    text = json.dumps(plan.to_json(), indent=1) + "\n"
    if args.out:
        save_plan(plan, args.out)
    else:
        sys.stdout.write(text)
    result = check(inst, plan)
    o = plan.objective or {}
    print(f"{plan.status}: " + ", ".join(f"{k} {v}" for k, v in o.items())
          + f" in {plan.solve_seconds:.2f}s", file=sys.stderr)
    if not result.ok:
        _err(_problems(result))
        return 1
    return 0


def _cmd_check(args) -> int:
    from .check import check

    inst = load_instance(args.instance)
    plan = load_plan(args.plan)
    result = check(inst, plan)
    problems = _problems(result)
    for line in problems:
        print(line)
    print("objective: " + json.dumps(result.objective))
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("ok: the plan keeps every hard rule")
    return 0


def _cmd_explain(args) -> int:
    from . import explain
    from .check import check
    from .preferences import explain_keen

    inst = load_instance(args.instance)
    plan = load_plan(args.plan)
    result = check(inst, plan)
    print(f"Plan status {plan.status}; recomputed objective: "
          + ", ".join(f"{k} {v}" for k, v in result.objective.items()))
    for line in _problems(result):
        print(f"  BROKEN: {line}")
    unfilled = explain.explain_unfilled(inst, list(plan.deployments))
    if not unfilled:
        print("Every seat is filled.")
    for u in unfilled:
        print(f"{u.inspection} {u.specialism}: {u.missing} seat(s) empty. "
              f"{u.holders} assessors hold {u.specialism}; {u.deployed_here} deployed here.")
        for k, v in u.excluded.items():
            if v:
                print(f"    {v:5d} {k.replace('_', ' ')}")
        for s in u.suggestions:
            print(f"    - {s}")
    for miss in explain_keen(inst, list(plan.deployments), plan.status == "optimal"):
        print(f"Not placed where keen: {miss.reason} ({miss.decided_by.replace('_', ' ')})")
    return 0 if result.ok else 1


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors are invalid input: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    ap = _Parser(prog="python -m solver", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("solve", help="solve an instance into a plan")
    p.add_argument("instance")
    p.add_argument("--out", help="plan file (default: stdout)")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds for all levels")
    p.add_argument("--workers", type=int, default=0, help="CP-SAT threads (0: all cores)")
    p.add_argument("--gap", type=float, default=0.0, help="relative gap per level")
    p.set_defaults(fn=_cmd_solve)
    p = sub.add_parser("check", help="check a plan against an instance")
    p.add_argument("instance")
    p.add_argument("plan")
    p.set_defaults(fn=_cmd_check)
    p = sub.add_parser("explain", help="explain a plan's empty seats and keen assessors not "
                                       "placed where they asked")
    p.add_argument("instance")
    p.add_argument("plan")
    p.set_defaults(fn=_cmd_explain)
    args = ap.parse_args(argv)
    try:
        return args.fn(args)
    except InvalidInstance as exc:   # also InvalidPlan
        _err(exc.errors)
        return 2
    except KeyboardInterrupt:
        return 130
    except (RecursionError, MemoryError) as exc:
        _err([f"input too deeply nested or too large ({exc.__class__.__name__})"])
        return 2
    except Exception as exc:  # a bug, but still no traceback for the user
        _err([f"internal error: {exc.__class__.__name__}: {exc}"])
        return 2


if __name__ == "__main__":
    sys.exit(main())
