"""Caps above 2 (issue 10): all four levels proven in <= 5 s with three deployments an assessor, at
national size and at the regional sizes; this checkout's solver against another checkout's (e.g.
main's) on the same instances, and plain cap-2 plans unchanged.

For each instance (tiers of :mod:`bench.generate`, ``policy.max_deployments_per_assessor`` set to
``--cap``) both solvers run one after the other in separate processes, which goes first alternating
from one instance to the next: status, seconds, time ratio, whether the objectives are the same.
The ``--plain`` instances (as generated: cap 2) are solved the same way: same objective, same
deployments, ratio.  The 1-minute load average is recorded before each pair (the CPUs may be
shared: ratios measured side by side are what counts).

Writes the "Caps above 2 (issue 10)" section of bench/RESULTS.md (the rest kept).

    python -m bench.caps --instances national:1-12 regional:1-4 --plain national:1-3 large:1 \\
        --baseline /work/main
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.adversarial import write_section
from bench.preferences import solve_in

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADING = "## Caps above 2 (issue 10)"
TARGET_S = 5.0
PLAIN_TIME_LIMIT = {"national": 30.0, "large": 30.0}


def instances(specs: list[str]) -> list[tuple[str, int]]:
    """(tier, seed) of "tier:seeds" specs: seeds as "1-12" or "1,3"; tier groups expanded."""
    from bench.generate import tier_names

    out = []
    for spec in specs:
        tiers, _, seeds = spec.partition(":")
        numbers: list[int] = []
        for part in seeds.split(","):
            first, _, last = part.partition("-")
            numbers += range(int(first), int(last or first) + 1)
        out += [(tier, seed) for tier in tier_names(tiers) for seed in numbers]
    return out


def _pair(path: str, time_limit: float, baseline: Path, branch_first: bool
          ) -> tuple[float, dict[str, Any], dict[str, Any]]:
    """The 1-minute load average, then (this checkout's, the baseline's) results."""
    load = os.getloadavg()[0]
    if branch_first:
        mine = solve_in(ROOT, path, time_limit)
        base = solve_in(baseline, path, time_limit)
    else:
        base = solve_in(baseline, path, time_limit)
        mine = solve_in(ROOT, path, time_limit)
    return load, mine, base


def _write(tmp: str, tier: str, seed: int, cap: int | None) -> str:
    from bench.generate import generate

    data = generate(tier, seed)
    if cap is not None:
        data["policy"] = {"max_deployments_per_assessor": cap}
    path = os.path.join(tmp, f"{tier}-{seed}-{cap}.json")
    Path(path).write_text(json.dumps(data), encoding="utf-8")
    return path


def _status(r: dict[str, Any]) -> str:
    return "failed" if "failed" in r else r["status"]


def _ratio(mine: dict[str, Any], base: dict[str, Any]) -> str:
    if "failed" in mine or "failed" in base:
        return "–"
    return f"{mine['seconds'] / max(base['seconds'], 1e-3):.2f}"


def _same(mine: dict[str, Any], base: dict[str, Any], key: str) -> str:
    return "yes" if mine.get(key) is not None and mine.get(key) == base.get(key) else "**no**"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.caps", description=__doc__.split("\n")[0])
    p.add_argument("--instances", nargs="+", default=["national:1-12", "regional:1-4"])
    p.add_argument("--cap", type=int, default=3)
    p.add_argument("--time-limit", type=float, default=20.0)
    p.add_argument("--plain", nargs="*", default=["national:1-3", "large:1"],
                   help="instances solved as generated (cap 2) by both checkouts")
    p.add_argument("--baseline", required=True, help="the other checkout (e.g. main's)")
    p.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = p.parse_args(argv)
    baseline = Path(args.baseline)
    capped: list[tuple[str, int, float, dict, dict]] = []
    plain: list[tuple[str, int, float, dict, dict]] = []
    with tempfile.TemporaryDirectory(prefix="bench-caps-") as tmp:
        for k, (tier, seed) in enumerate(instances(args.instances)):
            path = _write(tmp, tier, seed, args.cap)
            capped.append((tier, seed, *_pair(path, args.time_limit, baseline, k % 2 == 0)))
            print(_capped_row(capped[-1]), flush=True)
        for k, (tier, seed) in enumerate(instances(args.plain)):
            path = _write(tmp, tier, seed, None)
            plain.append((tier, seed, *_pair(path, PLAIN_TIME_LIMIT.get(tier, 60.0), baseline,
                                             k % 2 == 0)))
            print(_plain_row(plain[-1]), flush=True)
    section = _report(args, capped, plain)
    write_section(Path(args.out), section, HEADING)
    print("\n".join(section))
    return 0


def _capped_row(row) -> str:
    tier, seed, load, mine, base = row
    figures = ", ".join(f"{k} {v:,}" for k, v in (mine.get("objective") or {}).items())
    return (f"| {tier} | {seed} | {load:.1f} | {_status(mine)} | {mine.get('seconds', 0):.2f} | "
            f"{_status(base)} | {base.get('seconds', 0):.2f} | {_ratio(mine, base)} | "
            f"{_same(mine, base, 'objective')} | {figures} |")


def _plain_row(row) -> str:
    tier, seed, load, mine, base = row
    return (f"| {tier} | {seed} | {load:.1f} | {_status(mine)} | {_status(base)} | "
            f"{_same(mine, base, 'objective')} | {_same(mine, base, 'plan')} | "
            f"{mine.get('seconds', 0):.2f} | {base.get('seconds', 0):.2f} | {_ratio(mine, base)} |")


def _targets(capped, cap: int) -> list[str]:
    """Per tier: every seed proven within TARGET_S, judged from this checkout's rows."""
    lines = []
    for tier in dict.fromkeys(t for t, *_ in capped):
        mine = [(seed, m) for t, seed, _, m, _ in capped if t == tier]
        ok = [m for _, m in mine if _status(m) == "optimal" and m["seconds"] <= TARGET_S]
        slowest = max(mine, key=lambda sm: sm[1].get("seconds", float("inf")))
        lines.append(f"| {tier}: all four levels proven in <= {TARGET_S:g} s at cap {cap} | "
                     f"{'yes' if len(ok) == len(mine) else '**no**'} | {len(ok)}/{len(mine)} "
                     f"seeds; slowest seed {slowest[0]}: {_status(slowest[1])} "
                     f"{slowest[1].get('seconds', float('nan')):.2f} s |")
    return lines


def _report(args, capped, plain) -> list[str]:
    loads = [load for *_, load, _, _ in capped + plain]
    lines = [HEADING, "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs, 1-minute "
             f"load average {min(loads):.1f}-{max(loads):.1f} during the run. Command: "
             f"`python -m bench.caps --instances {' '.join(args.instances)} --cap {args.cap} "
             f"--time-limit {args.time_limit:g} --plain {' '.join(args.plain) or '(none)'} "
             f"--baseline {args.baseline}`. *seconds*: the solve (`solver.solve`, default workers, "
             "after loading), this checkout's and the baseline's one after the other on the same "
             "instance; *ratio*: this checkout's ÷ the baseline's; *load*: the 1-minute load "
             "average before the pair.", "",
             "| target | met | figures |", "|---|---|---|", *_targets(capped, args.cap), "",
             f"Cap {args.cap}, time limit {args.time_limit:g} s:", "",
             "| tier | seed | load | status | seconds | status (baseline) | seconds (baseline) "
             "| ratio | same objective | objective |",
             "|---|---:|---:|---|---:|---|---:|---:|---|---|",
             *map(_capped_row, capped)]
    if plain:
        lines += ["", "As generated (cap 2):", "",
                  "| tier | seed | load | status | status (baseline) | same objective | "
                  "same deployments | seconds | seconds (baseline) | ratio |",
                  "|---|---:|---:|---|---|---|---|---:|---:|---:|", *map(_plain_row, plain)]
    return lines + [""]


if __name__ == "__main__":
    raise SystemExit(main())
