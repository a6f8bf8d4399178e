"""Click to result: how long a coordinator waits from pressing "Build teams" to reading the built
teams, in Chromium, on the demo year (issue 14: at most 1 s).

    python -m bench.click_to_result [--runs 8]

Builds the demo data in a new SQLite file, serves the app (development settings: solves run in a
background thread, as `make run` does) and times each click until the result page's heading is
shown. It also reports each run's own solve time (the run's started and finished times), so the
part that is the page's waiting can be told from the solver's. Prints a Markdown table for
bench/LOAD.md. Uses the system Chromium (bench/chromium.py).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import chromium

PASSWORD = "bench-click-to-result"


def _app(directory: Path):
    os.environ.setdefault("SCHEDULER_ENV", "development")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    from flask_migrate import upgrade

    from config import Config
    from scheduler import create_app
    from scheduler.demo import load_demo_data

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        LOGIN_RATE_LIMIT = MFA_RATE_LIMIT = "10000 per minute"

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        load_demo_data(echo=lambda *_: None)
    return app


def _coordinator(app) -> tuple[str, str]:
    """The demo coordinator with a password this script knows, and a fresh security code."""
    from scheduler.auth import mfa
    from scheduler.auth.passwords import hash_password
    from scheduler.demo import DEMO_DOMAIN
    from scheduler.extensions import db
    from scheduler.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=f"coordinator@{DEMO_DOMAIN}"))
        user.password_hash = hash_password(PASSWORD)
        user.totp_last_step = None
        db.session.commit()
        return user.email, mfa.current_code(user)


def _year(app):
    """The first and last days of the demo's programme."""
    from scheduler.extensions import db
    from scheduler.models import Inspection

    with app.app_context():
        return db.session.execute(db.select(db.func.min(Inspection.starts_on), db.func.max(Inspection.ends_on))).one()


def _solve_seconds(app, run_id: int) -> float:
    from scheduler.extensions import db
    from scheduler.models import SolveRun

    with app.app_context():
        run = db.session.get(SolveRun, run_id)
        return (run.finished_at - run.started_at).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright
    from werkzeug.serving import make_server

    directory = Path(tempfile.mkdtemp(prefix="click-to-result-"))
    try:
        app = _app(directory)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        app.config.update(BASE_URL=url, TRUSTED_HOSTS=["127.0.0.1"])
        email, code = _coordinator(app)
        first, last = _year(app)
        waits, solves = [], []
        with sync_playwright() as p:
            browser = chromium.launch(p)
            page = browser.new_page()
            page.goto(f"{url}/sign-in")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_label("Security code").fill(code)
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            for _ in range(args.runs):
                page.goto(f"{url}/teams/")
                for legend, day in (("First date to plan", first), ("Last date to plan", last)):
                    group = page.get_by_role("group", name=legend)
                    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
                        group.get_by_label(part).fill(str(value))
                began = time.perf_counter()
                page.get_by_role("button", name="Build teams").click()
                expect(page.get_by_role("heading", level=1)).to_contain_text("Teams built", timeout=60_000)
                waits.append(time.perf_counter() - began)
                solves.append(_solve_seconds(app, int(page.url.rstrip("/").split("/")[-1])))
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    def row(name: str, xs: list[float]) -> str:
        return (f"| {name} | {statistics.median(xs) * 1000:.0f} | {min(xs) * 1000:.0f} | {max(xs) * 1000:.0f} |")

    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {args.runs} builds of the demo year, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| | median ms | min ms | max ms |\n|---|---:|---:|---:|")
    print(row("click to result", waits))
    print(row("the solve itself", solves))


if __name__ == "__main__":
    main()
