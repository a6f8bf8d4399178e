"""Preferences and the order of the levels (issue 15): timings with seven levels, and the solver
without the new fields against another checkout's (e.g. main's) in the same run.

For each tier and seed (instances of :mod:`bench.generate`):

* **plain**: the instance as generated (no preferences, no order) solved by this checkout's solver
  and, with ``--baseline DIR``, by the solver of the checkout in DIR, one after the other in
  separate processes: objectives, whether the plans are the same deployments, and time ratios;
* **seven levels**: a third of the assessors given preferences (two inspections they could join
  marked keen, one rather not; :func:`with_preferences`) and ``policy.objective`` set to all seven
  levels (``--order``), solved by this checkout's solver.

Writes the "Preferences and the order of the levels" section of bench/RESULTS.md (the rest kept).

    python -m bench.preferences --tiers national,large --seeds 1,2,3 --baseline /work/main
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.adversarial import write_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADING = "## Preferences and the order of the levels (issue 15)"
SEVEN = ["seats_filled", "rather_not", "days_deployed", "keen", "partnerships_reached",
         "repeat_deployments", "travel_km"]
TARGET_S = {"national": 2.0, "large": 30.0}
TIME_LIMIT = {"national": 30.0, "large": 60.0}

# Run in the checkout under test (cwd and PYTHONPATH): its solver, the same worker for both.
_WORKER = """
import hashlib, json, sys, time
from solver.instance import load_instance
from solver.model import solve
inst = load_instance(sys.argv[1])
t0 = time.perf_counter()
plan = solve(inst, time_limit=float(sys.argv[2]))
secs = time.perf_counter() - t0
deps = sorted((d.assessor, d.inspection, d.specialism, tuple(x.isoformat() for x in d.days))
              for d in plan.deployments)
print(json.dumps({"status": plan.status, "objective": plan.objective, "bound": plan.bound,
                  "seconds": secs, "plan": hashlib.sha256(repr(deps).encode()).hexdigest()[:12]}))
"""


def with_preferences(data: dict, seed: int, order: list[str]) -> dict:
    """A third of the assessors (every third) mark two inspections they could join (a seat of
    their specialism, not in their own area) keen and one rather not; the order of the levels."""
    rng = random.Random(f"preferences/{seed}")
    for a in data["assessors"][::3]:
        could = [i["id"] for i in data["inspections"] if i["area"] != a["home_area"]
                 and any(s["specialism"] in a["specialisms"] for s in i["seats"])]
        picked = rng.sample(could, min(3, len(could)))
        a["preferences"] = {"keen": picked[:2], "rather_not": picked[2:]}
    data.setdefault("policy", {})["objective"] = order
    return data


def solve_in(root: Path, instance: str, time_limit: float) -> dict[str, Any]:
    """The instance solved by the solver of the checkout in ``root``, in its own process: status,
    objective, bound, seconds (the solve), wall (the process), plan (a hash of the deployments);
    or {"failed": its error}."""
    env = dict(os.environ, PYTHONPATH=str(root))
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _WORKER, instance, str(time_limit)], cwd=root,
                       env=env, capture_output=True, text=True, timeout=3 * time_limit + 300)
    if r.returncode != 0:
        return {"failed": r.stderr[-300:], "wall": time.perf_counter() - t0}
    return json.loads(r.stdout.splitlines()[-1]) | {"wall": time.perf_counter() - t0}


def _figures(o: dict | None) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in (o or {}).items())


def _row(tier: str, seed: int, what: str, r: dict[str, Any]) -> str:
    if "failed" in r:
        return f"| {tier} | {seed} | {what} | failed | – | – | {r['failed'].splitlines()[-1]} |"
    return (f"| {tier} | {seed} | {what} | {r['status']} | {r['seconds']:.2f} | {r['wall']:.2f} "
            f"| {_figures(r['objective'])} |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.preferences",
                                description=__doc__.split("\n")[0])
    p.add_argument("--tiers", default="national,large")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--baseline", help="another checkout whose solver runs the plain instances")
    p.add_argument("--order", default=",".join(SEVEN), help="the seven levels' order")
    p.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = p.parse_args(argv)
    from bench.generate import generate

    order = args.order.split(",")
    rows: list[str] = []
    plain: list[str] = []
    judged: list[tuple[str, int, dict]] = []
    with tempfile.TemporaryDirectory(prefix="bench-prefs-") as tmp:
        for tier in args.tiers.split(","):
            for seed in (int(s) for s in args.seeds.split(",")):
                data = generate(tier, seed)
                path = os.path.join(tmp, f"{tier}-{seed}.json")
                Path(path).write_text(json.dumps(data), encoding="utf-8")
                mine = solve_in(ROOT, path, TIME_LIMIT[tier])
                rows.append(_row(tier, seed, "plain (this branch)", mine))
                if args.baseline:
                    base = solve_in(Path(args.baseline), path, TIME_LIMIT[tier])
                    rows.append(_row(tier, seed, "plain (baseline)", base))
                    if "failed" not in mine and "failed" not in base:
                        plain.append(
                            f"| {tier} | {seed} | "
                            f"{'yes' if mine['objective'] == base['objective'] else '**no**'} | "
                            f"{'yes' if mine['plan'] == base['plan'] else '**no**'} | "
                            f"{mine['seconds']:.2f} | {base['seconds']:.2f} | "
                            f"{mine['seconds'] / max(base['seconds'], 1e-3):.2f} |")
                prefs = with_preferences(data, seed, order)
                Path(path).write_text(json.dumps(prefs), encoding="utf-8")
                seven = solve_in(ROOT, path, TIME_LIMIT[tier])
                rows.append(_row(tier, seed, f"{len(order)} levels, preferences", seven))
                judged.append((tier, seed, seven))
                print(rows[-3:] if args.baseline else rows[-2:], flush=True)
    section = _report(args, order, rows, plain, judged)
    write_section(Path(args.out), section, HEADING)
    print("\n".join(section))
    return 0


def _report(args, order, rows, plain, judged) -> list[str]:
    lines = [HEADING, "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs. Command: "
             f"`python -m bench.preferences --tiers {args.tiers} --seeds {args.seeds}"
             + (f" --baseline {args.baseline}" if args.baseline else "") + "`. Order: "
             + ", ".join(f"`{n}`" for n in order) + ". *seconds*: the solve (`solver.solve`, "
             "default workers, after loading); *wall*: the process.", "",
             "| target | met | figures |", "|---|---|---|"]
    for tier, limit in TARGET_S.items():
        mine = [(s, r) for t, s, r in judged if t == tier]
        if not mine:
            continue
        ok = [r for _, r in mine if r.get("status") == "optimal" and r["seconds"] <= limit]
        lines.append(f"| {tier}: all {len(order)} levels proven in <= {limit:g} s | "
                     f"{'yes' if len(ok) == len(mine) else '**no**'} | "
                     + ", ".join(f"seed {s}: {r.get('status', 'failed')} "
                                 f"{r.get('seconds', float('nan')):.2f} s" for s, r in mine)
                     + " |")
    lines += ["", "| tier | seed | instance | status | seconds | wall | objective |",
              "|---|---:|---|---|---:|---:|---|"] + rows
    if plain:
        lines += ["", "Without the new fields, this branch against the baseline (same instance, "
                  "one after the other):", "",
                  "| tier | seed | same objective | same deployments | seconds (branch) | "
                  "seconds (baseline) | ratio |", "|---|---:|---|---|---:|---:|---:|"] + plain
    return lines + [""]


if __name__ == "__main__":
    raise SystemExit(main())
