"""Adversarial run: thousands of generated instances through the solver, judged by the oracle.

Counts by instance class (passed, failed with ids, honest 'feasible' = solver timeouts) go into
the "Adversarial run" section of bench/RESULTS.md (replaced on each run, the rest kept).
``--save-failures N`` shrinks up to N failing cases (one per class and fault first) into the
regression corpus tests/solver/data/regressions, which the test suite runs every time.

    python -m bench.adversarial --count 5000 --jobs 2 --save-failures 20
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path

from tests.oracle.generator import NAMES
from tests.oracle.harness import run_seed, save_regression, shrink

HERE = Path(__file__).resolve().parent
HEADING = "## Adversarial run (issue 10)"


def _one(job: tuple[int, int, float]):
    seed, cli_every, time_limit = job
    return run_seed(seed, cli_every=cli_every, time_limit=time_limit)


def _table(outcomes) -> list[str]:
    by_class = defaultdict(list)
    for o in outcomes:
        by_class[o.case.classes[0]].append(o)
    lines = ["| class | cases | passed | failed | solver timeouts | failing cases (first 8) |",
             "|---|---:|---:|---:|---:|---|"]
    for name in NAMES + ["all"]:
        rows = outcomes if name == "all" else by_class.get(name, [])
        failed = [o.case.id for o in rows if not o.ok]
        lines.append(f"| {name} | {len(rows)} | {sum(o.ok for o in rows)} | {len(failed)} | "
                     f"{sum(o.unproven for o in rows)} | "
                     + (", ".join(failed[:8]) + (" ..." if len(failed) > 8 else "")
                        if name != "all" else "") + " |")
    return lines


def report(outcomes, args, seconds: float) -> list[str]:
    faults = Counter(x for o in outcomes for x in {f"{f.where}: {f.what}" for f in o.failures})
    cli = sum(1 for o in outcomes if o.cli)
    lines = [HEADING, "",
             f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} in {seconds:,.0f} s: seeds "
             f"{args.first}-{args.first + args.count - 1}, solver time limit {args.time_limit:g} s "
             f"per instance, {cli} of them also through `python -m solver solve` (every "
             f"{args.cli_every}th, and every one the solver must refuse). Command: `python -m "
             f"bench.adversarial --count {args.count} --first {args.first}`.", "",
             "A case passes when the plan keeps hard rules 1-7 by the oracle's checker "
             "(tests/oracle, no code shared with the solver) and equals the oracle's exact "
             "optimum (a day-level MIP) on every level of the instance's order, or is an "
             "honest 'feasible'; contradicting pins give 'infeasible'; invalid input exits 2 "
             "naming the field. "
             "*solver timeouts*: honest 'feasible' plans (not failures).", ""]
    lines += _table(outcomes)
    if faults:
        lines += ["", "Faults (cases showing each):", ""]
        lines += [f"- {what}: {n}" for what, n in faults.most_common()]
    return lines + [""]


def write_section(path: Path, section: list[str], heading: str = HEADING) -> None:
    """Replace the report's section under ``heading`` (or add it at the end), keeping the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    before, found, rest = text.partition(heading)
    nxt = rest.find("\n## ")
    after = rest[nxt + 1:] if found and nxt >= 0 else ""
    path.write_text(before.rstrip("\n") + "\n\n" + "\n".join(section)
                    + ("\n" + after if after else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.adversarial",
                                description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--first", type=int, default=10_000, help="first seed (CI runs 0-285)")
    p.add_argument("--time-limit", type=float, default=20.0)
    p.add_argument("--cli-every", type=int, default=50)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--save-failures", type=int, default=0, metavar="N")
    p.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = p.parse_args(argv)
    t0 = time.monotonic()
    jobs = [(s, args.cli_every, args.time_limit) for s in range(args.first,
                                                                 args.first + args.count)]
    outcomes = []
    with Pool(args.jobs) as pool:
        for k, out in enumerate(pool.imap(_one, jobs, chunksize=4), 1):
            outcomes.append(out)
            if not out.ok:
                print(f"FAIL {out.case.id}: " + "; ".join(map(str, out.failures[:2]))[:300],
                      flush=True)
            if k % 250 == 0:
                print(f"{k}/{args.count} in {time.monotonic() - t0:.0f} s, "
                      f"{sum(not o.ok for o in outcomes)} failed", flush=True)
    _save(outcomes, args.save_failures)
    section = report(outcomes, args, time.monotonic() - t0)
    write_section(Path(args.out), section)
    print("\n".join(section))
    return 0


def _save(outcomes, limit: int) -> None:
    """One failing case per class and fault first, shrunk, into the regression corpus."""
    failing = [o for o in outcomes if not o.ok]
    seen, first, rest = set(), [], []
    for o in failing:
        key = (o.case.classes[0], frozenset(f.what for f in o.failures))
        (rest if key in seen else first).append(o)
        seen.add(key)
    for o in (first + rest)[:limit]:
        small = shrink(o, cli=any(f.where == "cli" for f in o.failures))
        print(f"saved {save_regression(small)}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
