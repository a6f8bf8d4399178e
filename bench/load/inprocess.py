"""One page's cost per request, in-process: no gunicorn, no network, one request at a time.

    .venv/bin/python -m bench.load.inprocess [--page directory-search] [-n 30] [--profile 20] 2>/dev/null

Signs the load database's coordinator in through Flask's test client (password, then the two-step
code), then requests a page ``-n`` times: a name from bench.load.run's list (a ``{n}`` in its
address is a new number each time, so the page cache never answers) or an address such as
``/assessors?q=mac``. Prints the median and p90 of the time per request, the median of this
process's CPU time (the Python side alone: less disturbed by others' work on the machine than the
wall clock) and of the time spent waiting for SQL, and the number of Python function calls per
request (over 5 more requests: a measure of the work that does not depend on the machine's load).
``--profile K`` prints cProfile's K costliest
functions (cumulative) over the same requests. The app runs with the production settings gunicorn
has in the load test; its request log goes to stderr.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTTPS = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/"}}


def signed_in_client(database_url: str):
    """(app, test client) with the load database's coordinator signed in."""
    from bench.load.seed import COORDINATOR_EMAIL, COORDINATOR_PASSWORD

    os.environ.update({"SCHEDULER_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                       "DATABASE_URL": database_url, "BASE_URL": "https://localhost",
                       "CONTACT_EMAIL": "load-test@load.example"})
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    from scheduler import create_app
    from scheduler.auth import mfa
    from scheduler.extensions import db
    from scheduler.models import User

    app = create_app()
    client = app.test_client()

    def post_form(path: str, fields) -> str:
        html = client.get(path, **HTTPS).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        answer = client.post(path, data={"csrf_token": token.group(1), **fields()}, **HTTPS)
        return answer.headers.get("Location", "")

    def code() -> dict:
        with app.app_context():
            user = db.session.scalar(db.select(User).filter_by(email=COORDINATOR_EMAIL))
            user.totp_last_step = None    # the load test may have used this step's code
            db.session.commit()
            return {"code": mfa.current_code(user)}

    step = post_form("/sign-in", lambda: {"email": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD})
    if not step.rstrip("/").endswith(("/security-code", "/set-up-two-step")):
        raise SystemExit(f"sign-in answered {step!r}: is the load database seeded?")
    post_form("/sign-in/" + step.rstrip("/").rsplit("/", 1)[1], code)
    return app, client


def main(argv: list[str] | None = None) -> None:
    from bench.load.run import PAGES
    from bench.load.seed import DEFAULT_URL

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--page", default="directory-search", help=f"an address, or one of {', '.join(PAGES)}")
    parser.add_argument("-n", type=int, default=30, help="measured requests (after 3 not measured)")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="print the K costliest functions")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--save", type=Path, metavar="FILE", help="write the last page received here")
    args = parser.parse_args(argv)

    app, client = signed_in_client(args.database_url)
    from sqlalchemy import event

    from scheduler.extensions import db

    sql_seconds, sql_count = [0.0], [0]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _began(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("began", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn, cursor, statement, parameters, context, executemany):
        sql_seconds[0] += time.perf_counter() - conn.info["began"].pop()
        sql_count[0] += 1

    path = args.page if args.page.startswith("/") else PAGES[args.page]
    serial = int(time.time() * 1000) % 10**9   # a new number per request, across runs too
    last = [b""]

    def one() -> tuple[float, float, int, float]:
        nonlocal serial
        serial += 1
        sql_seconds[0], sql_count[0] = 0.0, 0
        t, cpu = time.perf_counter(), time.process_time()
        answer = client.get(path.format(n=serial), **HTTPS)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        if answer.status_code != 200:
            raise SystemExit(f"{path} answered {answer.status_code}")
        last[0] = answer.data
        return elapsed, sql_seconds[0], sql_count[0], cpu

    for _ in range(3):
        one()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    runs = [one() for _ in range(args.n)]
    if profiler:
        profiler.disable()
    counter = cProfile.Profile()   # Python function calls per request: the same on a busy machine
    counter.enable()
    for _ in range(5):
        one()
    counter.disable()
    calls = pstats.Stats(counter).total_calls / 5
    times = sorted(r[0] * 1000 for r in runs)
    result = {"page": args.page, "n": args.n, "median_ms": statistics.median(times),
              "p90_ms": times[int(0.9 * (len(times) - 1))],
              "cpu_ms": statistics.median(r[3] * 1000 for r in runs),
              "sql_ms": statistics.median(r[1] * 1000 for r in runs),
              "queries": statistics.median(r[2] for r in runs), "calls": calls, "load": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.page}: median {result['median_ms']:.1f} ms, p90 {result['p90_ms']:.1f} ms over {args.n} "
              f"requests; this process's CPU {result['cpu_ms']:.1f} ms; SQL {result['sql_ms']:.1f} ms in "
              f"{result['queries']:.0f} queries (medians); {calls:,.0f} Python calls; "
              f"load average {result['load']:.1f}")
    if args.save:
        args.save.write_bytes(last[0])
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
