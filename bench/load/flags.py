"""The team builder's "must change" flags after one write, in-process: worked out again for every
published deployment (no previous result: what every write cost before issue 14's change log) and
only for those the write may have changed (built on the previous result), alternately after the
same write, on the load database. Every pair must agree, or the script stops with the difference.

    .venv/bin/python -m bench.load.flags [--writes 40] [--seed 1] 2>/dev/null

Each write is committed on its own and undone by the next (so the database ends as it began):
a day's unavailability for a deployed assessor, an assessor paused, a deployment's days or status,
a seat's count, an inspection day removed, an inspection cancelled, an agreed total cut.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/scheduler_load"

# (the write, its undo): SQL with :a (assessor id), :i (inspection id), :d (deployment id), :day
WRITES = {
    "unavailable on a deployed day": (
        "INSERT INTO unavailability (assessor_id, starts_on, ends_on, reason) VALUES (:a, :day, :day, 'bench')",
        "DELETE FROM unavailability WHERE assessor_id = :a AND reason = 'bench'"),
    "assessor paused": ("UPDATE assessor SET status = 'paused' WHERE id = :a",
                        "UPDATE assessor SET status = 'active' WHERE id = :a"),
    "deployment declined": ("UPDATE deployment SET status = 'employer_declined' WHERE id = :d",
                            "UPDATE deployment SET status = :status WHERE id = :d"),
    "deployment's days cut": ("UPDATE deployment SET days = :short WHERE id = :d",
                              "UPDATE deployment SET days = :days WHERE id = :d"),
    "seat count cut": ("UPDATE seat SET count = count - 1 WHERE inspection_id = :i AND specialism = :sp",
                       "UPDATE seat SET count = count + 1 WHERE inspection_id = :i AND specialism = :sp"),
    "inspection day removed": ("DELETE FROM inspection_day WHERE inspection_id = :i AND day = :day",
                               "INSERT INTO inspection_day (inspection_id, day, mandatory) VALUES (:i, :day, :m)"),
    "inspection cancelled": ("UPDATE inspection SET status = 'cancelled' WHERE id = :i",
                             "UPDATE inspection SET status = :istatus WHERE id = :i"),
    "agreed total cut": ("UPDATE employer_agreement SET total_days = days_per_deployment "
                         "WHERE assessor_id = :a AND status = 'agreed'",
                         "UPDATE employer_agreement SET total_days = t.total FROM (SELECT unnest(CAST(:ids AS int[])) "
                         "AS id, unnest(CAST(:totals AS int[])) AS total) t WHERE employer_agreement.id = t.id"),
}


def _params(db, sa, rng: random.Random) -> dict:
    """A random published deployment on an upcoming inspection, and what its writes need."""
    d = rng.choice(db.session.execute(sa.text(
        "SELECT d.id, d.assessor_id, d.inspection_id, d.days, d.status, d.specialism, i.status AS istatus "
        "FROM deployment d JOIN inspection i ON i.id = d.inspection_id "
        "WHERE d.status IN ('proposed', 'employer_confirmed') AND i.ends_on >= CURRENT_DATE "
        "AND i.status IN ('planned', 'in_progress') ORDER BY d.id")).all())
    day = rng.choice(sorted(d.days))
    mandatory = db.session.scalar(sa.text("SELECT mandatory FROM inspection_day "
                                          "WHERE inspection_id = :i AND day = :day"),
                                  {"i": d.inspection_id, "day": day})
    agreements = db.session.execute(sa.text("SELECT id, total_days FROM employer_agreement "
                                            "WHERE assessor_id = :a AND status = 'agreed'"), {"a": d.assessor_id}).all()
    return {"a": d.assessor_id, "i": d.inspection_id, "d": d.id, "day": day, "status": d.status,
            "istatus": d.istatus, "sp": d.specialism, "m": bool(mandatory),
            "days": json.dumps(sorted(d.days)), "short": json.dumps(sorted(d.days)[:-1]),
            "ids": [g.id for g in agreements], "totals": [g.total_days for g in agreements]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--writes", type=int, default=40, help="writes (each undone by the next one)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "SCHEDULER_ENV": "development"})
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa

    from scheduler import create_app
    from scheduler.extensions import db
    from scheduler.planning.flags import _flag_reasons

    app = create_app()
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {"all": [], "touched": []}
    with app.app_context():
        from datetime import date
        today = date.today()
        _, previous = _flag_reasons(today, None)
        db.session.commit()
        names = sorted(WRITES)
        for n in range(args.writes):
            kind = names[(n // 2) % len(names)]
            if n % 2 == 0:
                params = _params(db, sa, rng)
            sql = WRITES[kind][n % 2]
            db.session.execute(sa.text(sql), params)
            db.session.commit()
            results = {}
            for way in (("all", "touched") if n % 4 < 2 else ("touched", "all")):
                began = time.perf_counter()
                results[way] = _flag_reasons(today, None if way == "all" else previous)
                times[way].append(time.perf_counter() - began)
                db.session.commit()
            (full, _), (fast, checked) = results["all"], results["touched"]
            if full != fast:
                print(f"write {n} ({kind}, {'undo' if n % 2 else 'do'}): differ on",
                      sorted(set(map(repr, full)) ^ set(map(repr, fast)))[:6])
                sys.exit(1)
            print(f"{n:3d} {kind:32s} {'undo' if n % 2 else 'do  '} flags {len(full):4d}  "
                  f"all {times['all'][-1] * 1000:6.0f} ms  touched {times['touched'][-1] * 1000:6.0f} ms")
            previous = checked
    for way, ts in times.items():
        print(f"{way:8s} median {statistics.median(ts) * 1000:6.0f} ms  p90 "
              f"{sorted(ts)[int(0.9 * (len(ts) - 1))] * 1000:6.0f} ms  over {len(ts)} writes")
    print(f"ratio of medians: {statistics.median(times['all']) / statistics.median(times['touched']):.1f}x")


if __name__ == "__main__":
    main()
