"""Benchmark: the CP-SAT solver against the coordinator's greedy method and a HiGHS MIP.

For each tier and seed an instance is generated; each engine then runs in its own subprocess (so
its peak memory, ``ru_maxrss``, is its own), its plan is validated with :func:`solver.check.check`,
and the results are written to ``bench/RESULTS.md`` (and ``bench/results.json``).

    python -m bench.run --tiers national,large --seeds 1,2,3 --time-limit 60 --highs-time-limit 60
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENGINES = ("solver", "greedy", "highs")
KEYS = ("seats_filled", "days_deployed", "repeat_deployments", "travel_km")
# Issue 3's targets: the solver's time limit per tier (the large and Ofsted goals are "within" these)
TIER_TIME_LIMIT = {"national": 30.0, "large": 30.0, "ofsted": 60.0,
                   "regional-64": 30.0, "regional-90": 30.0, "regional-117": 30.0}
NATIONAL_MEDIAN_S = 1.0
NATIONAL_SPEEDUP_VS_HIGHS = 10.0
OFSTED_LEVEL1_GAP = 0.005
OFSTED_PEAK_MB = 2048.0
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# ----------------------------------------------------------------------------- worker (subprocess)

def _worker(engine: str, instance_path: str, result_path: str, time_limit: float) -> int:
    # engines' modules are imported before the clock starts (OR-Tools alone takes ~0.3 s): *seconds*
    # is the solve; *wall* shows the whole process
    from bench.greedy import solve_greedy
    from bench.highs_mip import solve_highs
    from solver.check import check
    from solver.instance import load_instance
    from solver.model import solve

    t0 = time.perf_counter()
    inst = load_instance(instance_path)
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    out: dict[str, Any] = {"engine": engine}
    if engine == "solver":
        plan = solve(inst, time_limit=time_limit)
        out["proven"] = plan.status == "optimal"
        out["bound"] = plan.bound
    elif engine == "greedy":
        plan = solve_greedy(inst)
        out["proven"] = None
        out["bound"] = None
    elif engine == "highs":
        res = solve_highs(inst, time_limit=time_limit)
        plan = res.plan
        out["proven"] = res.all_proven
        out["proven_levels"] = res.proven
        out["bound"] = res.bound
        out["level_seconds"] = res.level_seconds
        out["columns"], out["rows"] = res.columns, res.rows
        out["notes"] = res.notes
    else:
        raise SystemExit(f"unknown engine {engine}")
    out["solve_seconds"] = time.perf_counter() - t1
    out["load_seconds"] = load_s
    out["status"] = plan.status
    result = check(inst, plan)
    out["valid"] = result.ok
    out["errors"] = [str(v) for v in result.violations[:5]]
    out["objective"] = result.objective if plan.deployments or plan.status != "unknown" else None
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    Path(result_path).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
    return 0


# ----------------------------------------------------------------------------- driver

def _machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import highspy  # noqa: F401  (version below)
    import ortools

    try:
        from importlib.metadata import version
        hv = version("highspy")
    except Exception:
        hv = "?"
    return {"nproc": str(os.cpu_count()), "memory": mem, "cpu": cpu,
            "python": platform.python_version(), "ortools": ortools.__version__,
            "highspy": hv, "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}


def _run_engine(engine: str, instance_path: str, tmp: str, time_limit: float,
                guard: float) -> dict[str, Any]:
    result_path = os.path.join(tmp, f"{engine}.result.json")
    if os.path.exists(result_path):
        os.remove(result_path)
    cmd = [sys.executable, "-m", "bench.run", "--worker", engine, "--instance", instance_path,
           "--result", result_path, "--time-limit", str(time_limit)]
    t0 = time.perf_counter()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=guard)
        rc = proc.returncode
        err = proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        rc, err = -9, f"killed after {guard:.0f} s"
    wall = time.perf_counter() - t0
    if rc != 0 or not os.path.exists(result_path):
        return {"engine": engine, "failed": True, "wall_seconds": wall, "error": err.strip()[-500:]}
    out = json.loads(Path(result_path).read_text(encoding="utf-8"))
    out["wall_seconds"] = wall
    return out


def _fmt_num(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.1f}"
    return f"{v:,}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "–"
    if b == 0:
        return "=" if a == 0 else "∞"
    return f"{a / b:.3f}"


def _proven(r: dict[str, Any]) -> str:
    if r.get("failed"):
        return "failed"
    p = r.get("proven")
    if p is None:
        return "n/a"
    return "yes" if p else "no"


@dataclass(frozen=True)
class Target:
    name: str
    met: bool | None          # None: this run has no data for it
    detail: str


def _seconds(r: dict[str, Any]) -> float:
    """The engine's solve time (what its time limit governs); *wall* is reported beside it."""
    return float(r.get("solve_seconds", r.get("wall_seconds", 0.0)))


def targets(rows: list[dict[str, Any]]) -> list[Target]:
    """Issue 3's targets, judged from this run's rows alone."""
    def of(tier: str, engine: str = "solver") -> list[dict[str, Any]]:
        return [r for r in rows if r["tier"] == tier and r["engine"] == engine]

    out: list[Target] = []
    nat = of("national")
    if nat:
        med = statistics.median(_seconds(r) for r in nat)
        proven = all(r.get("proven") for r in nat)
        out.append(Target("national: all four levels proven, median <= 1 s",
                          proven and med <= NATIONAL_MEDIAN_S,
                          f"{sum(bool(r.get('proven')) for r in nat)}/{len(nat)} proven, "
                          f"median {med:.2f} s"))
        highs = {r["seed"]: r for r in of("national", "highs")}
        ratios = [(_seconds(highs[r["seed"]]) / max(_seconds(r), 1e-3), r["seed"])
                  for r in nat if r["seed"] in highs]
        if ratios:
            worst = min(ratios)
            out.append(Target("national: >= 10x faster than HiGHS",
                              worst[0] >= NATIONAL_SPEEDUP_VS_HIGHS,
                              f"smallest ratio {worst[0]:,.0f}x (seed {worst[1]}; HiGHS time "
                              "is a lower bound where it did not prove a level)"))
    large = of("large")
    if large:
        ok = [r for r in large if r.get("proven") and _seconds(r) <= TIER_TIME_LIMIT["large"]]
        out.append(Target("large: all four levels proven within 30 s", len(ok) == len(large),
                          f"{len(ok)}/{len(large)} seeds; "
                          + ", ".join(f"{_seconds(r):.1f}" for r in large) + " s"))
    ofs = of("ofsted")
    if ofs:
        def gap(r: dict[str, Any]) -> float | None:
            b = (r.get("bound") or {}).get("seats_filled")
            v = (r.get("objective") or {}).get("seats_filled")
            return None if b is None or v is None or b <= 0 else (b - v) / b

        gaps = [gap(r) for r in ofs]
        ok = [r for r, g in zip(ofs, gaps) if r.get("valid") and g is not None
              and g <= OFSTED_LEVEL1_GAP and _seconds(r) <= TIER_TIME_LIMIT["ofsted"]
              and r.get("peak_mb", 1e9) <= OFSTED_PEAK_MB]
        out.append(Target("ofsted: valid plan within 60 s, level 1 within 0.5 % of its bound, "
                          "peak <= 2 GB", len(ok) == len(ofs),
                          "; ".join(f"seed {r['seed']}: {'valid' if r.get('valid') else 'NOT valid'}"
                                    f", {_seconds(r):.1f} s, level-1 gap "
                                    + ("no bound" if g is None else f"{100 * g:.2f} %")
                                    + f", {r.get('peak_mb', 0):,.0f} MB"
                                    for r, g in zip(ofs, gaps))))
    pairs = [(r, g) for r in rows if r["engine"] == "solver"
             for g in rows if g["engine"] == "greedy" and (g["tier"], g["seed"]) == (r["tier"], r["seed"])]
    if pairs:
        worse = [f"{r['tier']} {r['seed']}" for r, g in pairs
                 if ((r.get("objective") or {}).get("seats_filled") or 0)
                 < ((g.get("objective") or {}).get("seats_filled") or 0)]
        out.append(Target("never fewer seats than greedy", not worse,
                          f"{len(pairs) - len(worse)}/{len(pairs)} instances"
                          + (f"; fewer on {', '.join(worse)}" if worse else "")))
    return out


def write_report(rows: list[dict[str, Any]], machine: dict[str, str], args: argparse.Namespace,
                 path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {machine['date']} on {machine['nproc']} CPUs ({machine['cpu']}), "
        f"{machine['memory']} memory; Python {machine['python']}, OR-Tools {machine['ortools']}, "
        f"highspy {machine['highspy']}.",
        "",
        f"Command: `python -m bench.run --tiers {args.tiers} --seeds {args.seeds} "
        f"--engines {args.engines}"
        + (f" --time-limit {args.time_limit:g}" if args.time_limit is not None else "")
        + (f" --cap {args.cap}" if args.cap is not None else "")
        + f" --highs-time-limit {args.highs_time_limit:g} --highs-tiers {args.highs_tiers}`",
        "",
        "Solver time limit covers all four levels (per tier unless given: "
        + ", ".join(f"{t} {v:g} s" for t, v in TIER_TIME_LIMIT.items())
        + "); HiGHS's applies to each level. Seeds with "
        "`seed % 4 == 3` are scarce-pool seeds (few justice specialists). Every plan is checked "
        "with `solver.check`; *valid* says whether it keeps every hard rule. *seconds* is the "
        "engine's own time after loading the instance (eligibility included); *wall* is the whole "
        "subprocess (Python start, reading the JSON, solve, check); *peak MB* is the "
        "engine subprocess's maximum resident set.",
        "",
        "## Targets (issue 3), judged from this run",
        "",
        "| target | met | figures |",
        "|---|---|---|",
    ]
    lines += [f"| {t.name} | {'–' if t.met is None else ('yes' if t.met else '**no**')} | {t.detail} |"
              for t in targets(rows)]
    lines.append("")
    tiers = list(dict.fromkeys(r["tier"] for r in rows))
    for tier in tiers:
        trows = [r for r in rows if r["tier"] == tier]
        lines += [f"## {tier}", "",
                  "| seed | engine | status | valid | seats | days | repeats | km | proven | "
                  "seconds | wall | peak MB |",
                  "|---:|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|"]
        for r in trows:
            o = r.get("objective") or {}
            lines.append(
                f"| {r['seed']} | {r['engine']} | {r.get('status', 'failed')} | "
                f"{'yes' if r.get('valid') else ('–' if r.get('failed') else 'NO')} | "
                + " | ".join(_fmt_num(o.get(k)) for k in KEYS)
                + f" | {_proven(r)} | {_fmt_num(r.get('solve_seconds', r.get('wall_seconds')))} | "
                f"{_fmt_num(r.get('wall_seconds'))} | {_fmt_num(r.get('peak_mb'))} |")
        lines += ["", "Ratios (solver ÷ other; seats and days: higher is better, repeats and km: "
                      "lower is better):", "",
                  "| seed | vs | seats | days | repeats | km |", "|---:|---|---:|---:|---:|---:|"]
        seeds = list(dict.fromkeys(r["seed"] for r in trows))
        for seed in seeds:
            by = {r["engine"]: r for r in trows if r["seed"] == seed}
            s = (by.get("solver") or {}).get("objective")
            for other in ("greedy", "highs"):
                o = (by.get(other) or {}).get("objective")
                if s is None or o is None:
                    continue
                lines.append(f"| {seed} | {other} | "
                             + " | ".join(_ratio(s[k], o[k]) for k in KEYS) + " |")
        fails = [r for r in trows if r.get("failed") or r.get("notes")]
        if fails:
            lines += ["", "Notes:", ""]
            for r in fails:
                msg = r.get("error") or "; ".join(r.get("notes") or [])
                lines.append(f"- seed {r['seed']} {r['engine']}: {msg.splitlines()[-1] if msg else ''}")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--tiers", default="national,large",
                   help="comma-separated: national,large,ofsted,regional-64,regional-90,regional-117;"
                   " regional: the last three")
    p.add_argument("--seeds", default="1,2,3", help="comma-separated integers")
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--time-limit", type=float, default=None,
                   help="solver seconds (all levels); default per tier, from the targets")
    p.add_argument("--highs-time-limit", type=float, default=60.0, help="HiGHS seconds per level")
    # measured: at large scale the day-level MIP found no plan in 281 s and used 7 GB
    p.add_argument("--highs-tiers", default="national",
                   help="tiers on which the HiGHS baseline runs (comma-separated)")
    p.add_argument("--cap", type=int, default=None,
                   help="policy max_deployments_per_assessor of the generated instances (default 2)")
    p.add_argument("--out", default=str(HERE / "RESULTS.md"))
    p.add_argument("--json", default=str(HERE / "results.json"))
    # worker mode (internal)
    p.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    p.add_argument("--instance", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.instance, args.result, args.time_limit or 60.0)

    from bench.generate import TIERS, generate, tier_names

    tiers = tier_names(args.tiers)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for t in tiers:
        if t not in TIERS:
            p.error(f"unknown tier {t!r}")
    for e in engines:
        if e not in ENGINES:
            p.error(f"unknown engine {e!r}")
    machine = _machine()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for tier in tiers:
            for seed in seeds:
                path = os.path.join(tmp, f"{tier}-{seed}.json")
                data = generate(tier, seed)
                if args.cap is not None:
                    data["policy"] = {"max_deployments_per_assessor": args.cap}
                Path(path).write_text(json.dumps(data), encoding="utf-8")
                for engine in engines:
                    if engine == "highs" and tier not in args.highs_tiers.split(","):
                        continue
                    tl = (args.highs_time_limit if engine == "highs"
                          else args.time_limit or TIER_TIME_LIMIT[tier])
                    guard = (4 * tl if engine == "highs" else tl) * 1.5 + 900
                    r = _run_engine(engine, path, tmp, tl, guard)
                    r["tier"], r["seed"] = tier, seed
                    rows.append(r)
                    o = r.get("objective") or {}
                    print(f"{tier} seed {seed} {engine:6s} {r.get('status', 'FAILED'):9s} "
                          f"valid={r.get('valid')} " + " ".join(f"{k}={o.get(k)}" for k in KEYS)
                          + f" proven={_proven(r)} {r.get('solve_seconds', r['wall_seconds']):.1f}s "
                          f"{r.get('peak_mb', 0):.0f}MB", flush=True)
                    Path(args.json).write_text(json.dumps({"machine": machine, "rows": rows},
                                                          indent=1, default=str), encoding="utf-8")
                    write_report(rows, machine, args, Path(args.out))
    write_report(rows, machine, args, Path(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
