"""Fill a PostgreSQL database at national scale for the load test (bench/LOAD.md).

    .venv/bin/python -m bench.load.seed [--database-url URL] [--reset]

What goes in (the planned year is next calendar year, as in ``flask demo load``):

* 5,000 assessors with their employer agreements and unavailability: 25 batches from
  ``scheduler.demo._assessors`` (200 each, the demo's own generator and reference data), renumbered
  A00001..A05000 and with e-mail addresses made unique across batches (the demo's name list has
  6,560 first-name/surname pairs, so names repeat across batches, as they do in a real directory);
* 1,200 inspections with their days, seats and excluded employers: 50 programmes from
  ``scheduler.demo._inspections`` (24 each, spread over the year), renumbered I0001..I1200 in date
  order;
* ~1,500 deployments (written here: the demo has none) that keep the rules (specialism, own area,
  excluded employers, agreement window and days, unavailability, no double booking, at most two per
  assessor), mostly proposed or confirmed by the employer, some declined, a few pinned;
* four finished solve runs (one per quarter, with the real instance built by
  ``scheduler.planning`` and a plan of the deployments), two of them published, and a failed one;
* one coordinator, ``coordinator@load.example``, with the password in ``COORDINATOR_PASSWORD``.

The database is created with ``psql`` if missing and migrated with ``flask db upgrade``. A database
that already has assessors is left alone unless ``--reset`` (drop and create again) is given.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/scheduler_load"
COORDINATOR_EMAIL = "coordinator@load.example"
COORDINATOR_PASSWORD = "load-test-coordinator-passphrase"
SEED = 5000
ASSESSOR_BATCHES = 25      # x 200 (scheduler.demo.N_ASSESSORS) = 5,000
PROGRAMMES = 50            # x 24 (scheduler.demo.INSPECTION_MIX) = 1,200
DEPLOYMENTS = 1500


def _psql(url, sql: str, db: str = "postgres") -> str:
    cmd = ["psql", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
           "-d", db, "-tAc", sql]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def ensure_database(database_url: str, reset: bool) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    name = url.database
    if reset:
        _psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if _psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        _psql(url, f'CREATE DATABASE "{name}"')
        print(f"created database {name}")


def migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py"}
    flask = Path(sys.executable).parent / "flask"   # the venv running this script (a worktree may share another's)
    subprocess.run([str(flask), "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


# ----------------------------------------------------------------------------- generation

def _assessors(rng, year, employers):
    from scheduler import demo

    out, emails = [], set()
    for _ in range(ASSESSOR_BATCHES):
        out.extend(demo._assessors(rng, year, employers))
    for k, a in enumerate(out, start=1):
        a.reference = f"A{k:05d}"
        if a.email in emails:
            local, _, domain = a.email.partition("@")
            n = 2
            while f"{local}{n}@{domain}" in emails:
                n += 1
            a.email = f"{local}{n}@{domain}"
        emails.add(a.email)
    return out


def _inspections(rng, year, employers):
    from scheduler import demo

    out = []
    for _ in range(PROGRAMMES):
        out.extend(demo._inspections(rng, year, employers))
    out.sort(key=lambda i: (i.starts_on, i.title))
    for k, inspection in enumerate(out, start=1):
        inspection.reference = f"I{k:04d}"
    return out


def _deployments(rng, assessors, inspections):
    """Deployments that keep the rules, on inspections taken in random order."""
    from scheduler.models import (
        MIN_DEPLOYMENT_DAYS,
        AgreementStatus,
        AssessorStatus,
        Deployment,
        DeploymentStatus,
    )

    by_specialism = defaultdict(list)
    agreed = {}
    for a in assessors:
        g = a.current_agreement
        if a.status == AssessorStatus.ACTIVE.value and g is not None and g.status == AgreementStatus.AGREED.value:
            agreed[a.id] = g
            for s in a.specialisms:
                by_specialism[s.value].append(a)
    busy: dict[int, set[date]] = defaultdict(set)
    used_total: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    unavailable = {a.id: [(u.starts_on, u.ends_on) for u in a.unavailability] for a in assessors}
    statuses = [DeploymentStatus.PROPOSED] * 60 + [DeploymentStatus.EMPLOYER_CONFIRMED] * 32 + \
               [DeploymentStatus.EMPLOYER_DECLINED] * 4 + [DeploymentStatus.ASSESSOR_DECLINED] * 4
    out = []
    order = list(inspections)
    rng.shuffle(order)
    for inspection in order:
        if len(out) >= DEPLOYMENTS:
            break
        excluded = {e.id for e in inspection.excluded_employers}
        mandatory = [d.day for d in inspection.days if d.mandatory]
        others = [d.day for d in inspection.days if not d.mandatory]
        on_team: set[int] = set()
        for seat in inspection.seats:
            for _ in range(seat.count):
                if len(out) >= DEPLOYMENTS or rng.random() < 0.35:  # leave about a third of places empty
                    continue
                pool = by_specialism[seat.specialism]
                for _attempt in range(60):
                    a = rng.choice(pool)
                    g = agreed[a.id]
                    if (a.id in on_team or count[a.id] >= 2 or a.home_area_id == inspection.area_id
                            or a.employer_id in excluded or not (g.valid_from <= inspection.starts_on
                                                                 and inspection.ends_on <= g.valid_to)):
                        continue
                    n = min(seat.max_days, g.days_per_deployment, g.total_days - used_total[a.id])
                    if n < max(seat.min_days, len(mandatory), MIN_DEPLOYMENT_DAYS):
                        continue
                    days = sorted(mandatory + rng.sample(others, min(len(others), n - len(mandatory))))
                    if len(days) < max(seat.min_days, MIN_DEPLOYMENT_DAYS):
                        continue
                    if busy[a.id].intersection(days) or any(s <= d <= e for d in days for s, e in unavailable[a.id]):
                        continue
                    status = rng.choice(statuses)
                    d = Deployment(assessor_id=a.id, inspection_id=inspection.id, specialism=seat.specialism,
                                   status=status.value,
                                   pinned=status is DeploymentStatus.PROPOSED and rng.random() < 0.1)
                    d.set_days(days)
                    out.append(d)
                    on_team.add(a.id)
                    busy[a.id].update(days)
                    used_total[a.id] += len(days)
                    count[a.id] += 1
                    break
    return out


def _solve_runs(year: int, user):
    """One finished run per quarter with the instance scheduler.planning builds; Q1 and Q2 published."""
    import solver
    from scheduler import planning
    from scheduler.extensions import db
    from scheduler.models import Assessor, Deployment, Inspection, SolveRun, SolveRunStatus

    runs = []
    quarters = [(date(year, m, 1), (date(year, m + 3, 1) if m < 10 else date(year + 1, 1, 1)) - timedelta(days=1))
                for m in (1, 4, 7, 10)]
    for n, (start, end) in enumerate(quarters, start=1):
        scope = planning.Scope(start, end)
        p = planning.build(scope)
        live = db.session.execute(
            db.select(Deployment.days, Deployment.specialism, Inspection.reference, Deployment.assessor_id)
            .join(Inspection).where(Inspection.reference.in_(p.in_scope), Deployment.status.in_(planning.LIVE))).all()
        refs = dict(db.session.execute(db.select(Assessor.id, Assessor.reference)).all())
        deps = tuple(solver.Deployment(refs[r.assessor_id], r.reference, r.specialism,
                                       tuple(date.fromisoformat(x) for x in r.days)) for r in live)
        plan = solver.Plan("feasible", {"filled": len(deps)}, None, 60.0, deps, ())
        at = datetime(year - 1, 11, n * 3, 10, 0)
        runs.append(SolveRun(
            status=SolveRunStatus.FINISHED.value, started_by=user, created_at=at, started_at=at,
            finished_at=at + timedelta(seconds=65), heartbeat_at=at + timedelta(seconds=65),
            scope={**scope.to_json(), "replan": False, "time_limit": 60, "in_scope": p.in_scope,
                   "context": p.context, "baseline": p.baseline, "flags": {str(k): v for k, v in p.flags.items()},
                   "keep": [d.to_json() for d in p.keep], "fallbacks": p.fallbacks},
            progress=[{"level": "filled", "value": float(len(deps)), "bound": float(len(deps)), "elapsed": 5.0}],
            objective={"filled": len(deps)}, instance=p.instance.to_json(), plan=plan.to_json(),
            adjustments={"pinned": [], "replaced": []},
            published_at=at + timedelta(hours=1) if n <= 2 else None, version=n if n <= 2 else None))
    at = datetime(year - 1, 11, 20, 10, 0)
    runs.append(SolveRun(status=SolveRunStatus.FAILED.value, started_by=user, created_at=at, started_at=at,
                         finished_at=at, scope={**planning.Scope(date(year, 1, 1), date(year, 12, 31)).to_json()},
                         progress=[], error="The solve stopped with an error: MemoryError",
                         adjustments={"pinned": [], "replaced": []}))
    return runs


def seed(database_url: str, reset: bool = False) -> None:
    began = time.perf_counter()
    ensure_database(database_url, reset)
    migrate(database_url)
    print(f"migrated in {time.perf_counter() - began:.1f} s")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SCHEDULER_ENV", "development")
    sys.path.insert(0, str(ROOT))
    from scheduler import create_app
    from scheduler.auth.passwords import hash_password
    from scheduler.extensions import db
    from scheduler.models import Assessor, Employer, Role, User

    app = create_app()
    with app.app_context():
        if db.session.scalar(db.select(Assessor.id).limit(1)) is not None:
            print("The database already has assessors: left as it is (use --reset to start again).")
            return
        year = date.today().year + 1
        rng = random.Random(SEED)
        employers = {e.name: e for e in db.session.scalars(db.select(Employer))}
        t = time.perf_counter()
        assessors = _assessors(rng, year, employers)
        inspections = _inspections(rng, year, employers)
        user = User(email=COORDINATOR_EMAIL, role=Role.COORDINATOR.value,
                    password_hash=hash_password(COORDINATOR_PASSWORD), active=True)
        print(f"generated in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        db.session.add(user)
        db.session.add_all(assessors)
        db.session.add_all(inspections)
        db.session.flush()
        print(f"assessors and inspections inserted in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        deployments = _deployments(rng, assessors, inspections)
        db.session.add_all(deployments)
        db.session.commit()
        print(f"{len(deployments)} deployments inserted in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        db.session.add_all(_solve_runs(year, db.session.merge(user)))
        db.session.commit()
        print(f"solve runs built and inserted in {time.perf_counter() - t:.1f} s")
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        counts = {t: db.session.scalar(db.text(f"SELECT count(*) FROM {t}")) for t in (
            "assessor", "employer_agreement", "unavailability", "inspection", "inspection_day", "seat",
            "inspection_excluded_employer", "deployment", "solve_run")}
    print(f"Seeded {year} in {time.perf_counter() - began:.1f} s: "
          + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"Coordinator: {COORDINATOR_EMAIL} / {COORDINATOR_PASSWORD}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reset", action="store_true", help="drop and create the database first")
    args = parser.parse_args(argv)
    seed(args.database_url, args.reset)


if __name__ == "__main__":
    main()
