"""Load test: gunicorn on 127.0.0.1, 20 signed-in coordinators, the heavy pages (bench/LOAD.md).

    .venv/bin/python -m bench.load.run [--duration 30] [--repeat 3] [--users 20] [--pages a,b]
                                       [--writes-per-second 1]

Starts gunicorn against the load database (fill it first with ``python -m bench.load.seed``),
signs each virtual user in (GET /sign-in for the CSRF token, POST, keep the session cookie), then
for each page drives the users closed-loop (no think time: a user sends its next request as soon as
the previous response has been read) over keep-alive connections for ``--duration`` seconds after
a short warm-up. Latency is measured per request around send + read of the whole body. The users
are spread over a few client processes (threads in each) so the client is not held up by one GIL;
the client's CPU time is reported so that one can see it was not the bottleneck. Then it times
``scheduler.planning.build`` for the full programme year in-process (median of 5).

With ``--writes-per-second N`` a writer (one more signed-in coordinator) writes through the web app
while the readers run, N a second on a fixed schedule, in turn: an inspection's title, its partner
bodies (GET the edit form, POST it back as the browser would: every field, the CSRF token and the
version), a day an assessor is unavailable recorded from their profile, and that day removed. A write
is the user's whole action: if the form answers with warnings, the writer presses "Save anyway" as a
coordinator would and the latency covers both posts. Only a redirect to the inspection counts as
saved; a conflict (409), a form shown again or any other status is an error, reported beside the
pages' figures.

Everything runs on loopback and every loop is bounded by time: the script stops by itself.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from bench.load.seed import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, DEFAULT_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent   # the venv running this script (a worktree may share another's)
HOST = "127.0.0.1"
YEAR = date.today().year + 1   # the year bench.load.seed fills
PAGES = {
    "programme": f"/inspections?year={YEAR}",
    "directory": "/assessors",
    "directory-filtered": "/assessors?specialism=justice&status=active&agreement=agreed&sort=area&page=4",
    "team-builder": "/teams/",
    # {n} is a new number for each request: a query string never seen before, so the page cache never
    # answers and every request runs the search (the worst case for a coordinator typing names)
    "directory-search": "/assessors?q=mac&specialism=children&fresh={n}",
    "directory-uncached": "/assessors?specialism=children&fresh={n}",   # the same, without the search
    "floor": "/accessibility",   # a static page: what the framework alone costs (not in the default run)
}
DEFAULT_PAGES = ("programme", "directory", "directory-filtered", "team-builder")
WARMUP_SECONDS = 3.0


# ----------------------------------------------------------------------------- gunicorn

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int, threads: int,
                   redis_url: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "SCHEDULER_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": database_url, "LOGIN_RATE_LIMIT": "100000 per minute",
           "MFA_RATE_LIMIT": "100000 per minute", "BASE_URL": f"http://{HOST}:{port}",
           "CONTACT_EMAIL": "load-test@load.example"}   # production settings refuse to start without one
    env.pop("REDIS_URL", None)
    if redis_url:   # the workers share the heavy pages' content (scheduler/data_cache.py)
        env["REDIS_URL"] = redis_url
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "--threads", str(threads), "-b", f"{HOST}:{port}",
         "--keep-alive", "30", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/sign-in")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(proc)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)   # its own process group: gunicorn and its workers only
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ----------------------------------------------------------------------------- one user

class User:
    """A keep-alive connection and a cookie jar (name -> value)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "bench-load/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()   # the server closed an idle keep-alive connection: reconnect once
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = v.strip()
        return resp.status, data, dict(resp.getheaders())

    def sign_in(self, database_url: str) -> None:
        """Password, then the two-step code staff must give (set up on the first sign-in)."""
        status, _, headers = self.post_form("/sign-in", {"email": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD})
        step = headers.get("Location", "")
        if status != 302 or not step.rstrip("/").endswith(("/security-code", "/set-up-two-step")):
            raise SystemExit(f"POST /sign-in answered {status} {step}: is the load database seeded?")
        step = "/sign-in/" + step.rstrip("/").rsplit("/", 1)[1]
        status, _, headers = self.post_form(step, lambda: {"code": _totp_code(database_url)})
        if status not in (200, 302) or "sign-in" in headers.get("Location", ""):
            raise SystemExit(f"POST {step} answered {status}: the two-step code was refused")

    def post_form(self, path: str, fields) -> tuple[int, bytes, dict]:
        """GET the form (for its CSRF token), then POST the fields (a dict, or a function giving one after the GET)."""
        status, html, _ = self.request("GET", path)
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html) or \
            re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', html)
        if status != 200 or token is None:
            raise SystemExit(f"GET {path}: {status}, no CSRF token")
        fields = fields() if callable(fields) else fields
        return self.request("POST", path, urlencode({"csrf_token": token.group(1).decode(), **fields}))


def _totp_code(database_url: str) -> str:
    """The coordinator's current code, from the secret the app keeps (a load test may read its own database).
    A code is accepted once per 30 s step, so this takes the step after the last one used if need be."""
    import pyotp
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    out = subprocess.run(["psql", dsn, "-tAF|", "-c", "SELECT totp_secret, totp_last_step FROM user_account "
                          f"WHERE email = '{COORDINATOR_EMAIL}'"], capture_output=True, text=True, check=True).stdout
    secret, _, last = out.strip().partition("|")
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // totp.interval
    if last and int(last) >= step:
        step = int(last) + 1   # the app accepts the next step too (clocks drift)
    return totp.generate_otp(step)


# ----------------------------------------------------------------------------- writer

class _FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the page's form (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}   # a select's or checkboxes' name -> every value offered
        self.buttons: set[str] = set()
        self._select: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "submit":
                self.buttons.add(name)
            elif kind in ("checkbox", "radio"):
                self.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            else:
                self.pairs.append((name, a.get("value", "")))
        elif tag == "button" and name:
            self.buttons.add(name)
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.options[self._select[0]].append(value)
            if "selected" in a:
                self.pairs.append((self._select[0], value))
        elif tag == "textarea" and name:
            self.pairs.append((name, ""))   # none on the inspection form; kept so a body is never dropped

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def inspection_ids(database_url: str) -> list[int]:
    """The seeded programme's inspections (the year bench.load.seed fills)."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    out = subprocess.run(["psql", dsn, "-tAc", f"SELECT id FROM inspection WHERE extract(year FROM starts_on) = {YEAR} "
                          "ORDER BY id"], capture_output=True, text=True, check=True).stdout
    return [int(x) for x in out.split()]


def assessor_ids(database_url: str) -> list[int]:
    """Active assessors of the seeded pool, whose unavailability the writer records and removes."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    out = subprocess.run(["psql", dsn, "-tAc", "SELECT id FROM assessor WHERE status = 'active' ORDER BY id LIMIT 500"],
                         capture_output=True, text=True, check=True).stdout
    return [int(x) for x in out.split()]


def _form_post(user: User, path: str, fill: dict[str, list[str]], button: tuple[str, str]) -> tuple:
    """GET the form at path, replace the named fields' values (in the order the page has them), POST it."""
    status, html, _ = user.request("GET", path)
    if status != 200:
        return f"GET {status}", b"", {}
    form = _FormFields()
    form.feed(html.decode())
    values = {k: iter(v) for k, v in fill.items()}
    pairs = [(k, next(values[k], v) if k in values else v) for k, v in form.pairs]
    return user.request("POST", path, urlencode([*pairs, button]))


def unavailability(user: User, assessor_id: int, on: date, add: bool) -> str | None:
    """A coordinator records one day an assessor is unavailable (add) or removes it again, through
    the profile's forms: the team builder's flags depend on both."""
    profile = f"/assessors/{assessor_id}"
    if add:
        day = [str(on.day), str(on.month), str(on.year)]
        status, _, headers = _form_post(user, f"{profile}/unavailability/add", {"starts_on": day, "ends_on": day},
                                        ("submit", "Save"))
    else:
        status, html, _ = user.request("GET", profile)
        links = re.findall(rf'href="({profile}/unavailability/\d+/remove)"', html.decode())
        if not links:
            return "nothing to remove"
        status, _, headers = _form_post(user, links[-1], {}, ("submit", "Remove"))
    if status == 302 and headers.get("Location", "").split("#")[0].rstrip("/").endswith(profile):
        return None
    return f"POST {status}"


def edit_inspection(user: User, inspection_id: int, kind: int) -> str | None:
    """One coordinator's edit through the form; None when saved, else what went wrong."""
    path = f"/inspections/{inspection_id}/edit"
    status, html, _ = user.request("GET", path)
    if status != 200:
        return f"GET {status}"
    form = _FormFields()
    form.feed(html.decode())
    pairs = form.pairs
    if kind == 0:   # the title: add or take off a marker, so it never grows
        pairs = [(k, (v[:-2] if v.endswith(" ~") else v + " ~") if k == "title" else v) for k, v in pairs]
    else:           # the partner bodies (at least one is required): add one not chosen, else take the last off
        chosen = [v for k, v in pairs if k == "partner_bodies"]
        unchosen = [v for v in form.options.get("partner_bodies", []) if v not in chosen]
        if unchosen:
            pairs.append(("partner_bodies", unchosen[0]))
        elif len(chosen) > 1:
            pairs = [(k, v) for k, v in pairs if not (k == "partner_bodies" and v == chosen[-1])]
    status, html, headers = user.request("POST", path, urlencode([*pairs, ("save", "Save inspection")]))
    if status == 200 and b'name="save_anyway"' in html:   # warnings: read them and save anyway
        again = _FormFields()
        again.feed(html.decode())
        status, html, headers = user.request("POST", path, urlencode([*again.pairs, ("save_anyway", "Save anyway")]))
    if status == 302 and headers.get("Location", "").rstrip("/").endswith(f"/inspections/{inspection_id}"):
        return None
    return f"POST {status}" + (" form shown again" if status == 200 else "")


def _writer(port: int, cookies: dict, ids: tuple[list[int], list[int]], per_second: float, start_at: float,
            warmup: float, duration: float, results: list) -> None:
    """Writes on a fixed schedule (not closed loop): a slow write delays the next, it never doubles up.
    In turn: an inspection's title, its partner bodies, a day an assessor is unavailable, that day removed."""
    inspections, assessors = ids
    user = User(port, cookies)
    measure_from, stop = start_at + warmup, start_at + warmup + duration
    n = 0
    while True:
        due = start_at + n / per_second
        if due >= stop:
            return
        time.sleep(max(0.0, due - time.time()))
        began = time.perf_counter()
        try:
            if n % 4 < 2:
                error = edit_inspection(user, inspections[n % len(inspections)], n % 2)
            else:
                k = n // 4
                error = unavailability(user, assessors[k % len(assessors)],
                                       date(YEAR, 3, 1) + timedelta(days=k % 200), add=n % 4 == 2)
        except OSError as exc:
            error = f"error {type(exc).__name__}"
        latency = time.perf_counter() - began
        if due >= measure_from:
            results.append((latency, error))
        n += 1


# ----------------------------------------------------------------------------- load

def _client(port: int, cookies: dict, users: int, path: str, warmup: float, duration: float, ready: mp.Queue,
            go, start: mp.Value, out: mp.Queue) -> None:
    """One client process: `users` threads on the one signed-in session, closed loop until the time is up."""
    signed = [User(port, cookies) for _ in range(users)]
    results: list[list] = [[] for _ in range(users)]
    ready.put(True)
    if not go.wait(timeout=300):
        raise SystemExit("no start signal")
    start_at = start.value

    def loop(k: int) -> None:
        u = signed[k]
        sent = 0
        while time.time() < start_at:
            time.sleep(0.005)
        measure_from = start_at + warmup
        stop = measure_from + duration
        while True:
            t0 = time.time()
            if t0 >= stop:
                return
            began = time.perf_counter()
            try:
                sent += 1
                status, data, _ = u.request("GET", path.replace("{n}", f"{os.getpid()}-{k}-{sent}"))
            except OSError as error:
                status, data = f"error {type(error).__name__}", b""
            latency = time.perf_counter() - began
            if t0 >= measure_from:
                results[k].append((latency, status, len(data)))

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(users)]
    cpu0 = os.times()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1 = os.times()
    out.put({"results": [r for rs in results for r in rs],
             "cpu": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)})


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))   # nearest rank
    return s[k]


def drive(port: int, cookies: dict, path: str, users: int, processes: int, warmup: float, duration: float,
          writes_per_second: float = 0.0, ids: tuple[list[int], list[int]] | None = None) -> dict:
    ctx = mp.get_context("fork")
    out, ready, go, start = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0)
    per = [users // processes + (1 if k < users % processes else 0) for k in range(processes)]
    procs = [ctx.Process(target=_client, args=(port, cookies, n, path, warmup, duration, ready, go, start, out))
             for n in per if n]
    for p in procs:
        p.start()
    for _ in procs:   # every user signed in before the clock starts
        ready.get(timeout=300)
    load0 = os.getloadavg()
    start.value = time.time() + 0.2
    writes: list[tuple[float, str | None]] = []
    writer = None
    if writes_per_second:
        writer = threading.Thread(target=_writer, args=(port, cookies, ids, writes_per_second, start.value, warmup,
                                                        duration, writes))
        writer.start()
    go.set()
    parts = [out.get(timeout=warmup + duration + 180) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    if writer:
        writer.join(timeout=120)
    written = [lat for lat, error in writes if error is None]
    rows = [r for part in parts for r in part["results"]]
    ok = [lat for lat, status, _ in rows if status == 200]
    errors = len(rows) - len(ok)
    client_cpu = sum(part["cpu"] for part in parts)
    window = warmup + duration
    return {
        "path": path, "requests": len(rows), "errors": errors,
        "statuses": sorted({str(s) for _, s, _ in rows if s != 200}),
        "p50_ms": percentile(ok, 50) * 1000, "p95_ms": percentile(ok, 95) * 1000,
        "p99_ms": percentile(ok, 99) * 1000, "rps": len(rows) / duration,
        "kb": (statistics.mean(b for _, _, b in rows) / 1024) if rows else 0,
        "client_cpu_pct": 100 * client_cpu / window, "load_before": load0[0], "load_after": os.getloadavg()[0],
        "writes": len(writes), "write_errors": len(writes) - len(written),
        "write_statuses": sorted({error for _, error in writes if error}),
        "write_p50_ms": percentile(written, 50) * 1000, "write_p95_ms": percentile(written, 95) * 1000,
        "write_p99_ms": percentile(written, 99) * 1000,
    }


# ----------------------------------------------------------------------------- instance build

def time_instance_build(database_url: str, runs: int = 5) -> dict:
    code = f"""
import json, os, statistics, time
from datetime import date
os.environ["DATABASE_URL"] = {database_url!r}
os.environ.setdefault("SCHEDULER_ENV", "development")
from scheduler import create_app, planning
from scheduler.extensions import db
app = create_app()
times = []
with app.app_context():
    for _ in range({runs}):
        db.session.remove()
        t = time.perf_counter()
        p = planning.build(planning.Scope(date({YEAR}, 1, 1), date({YEAR}, 12, 31)))
        times.append(time.perf_counter() - t)
    size = (len(p.instance.assessors), len(p.instance.inspections), len(p.instance.pinned), len(p.keep))
print(json.dumps({{"times": times, "median": statistics.median(times), "size": size}}))
"""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- report

def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    pg = subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-tAc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "postgres": pg}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--pages", default=",".join(DEFAULT_PAGES), help=f"of {', '.join(PAGES)}")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--processes", type=int, default=2, help="client processes the users are spread over")
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds per page and run")
    parser.add_argument("--repeat", type=int, default=3, help="runs over all pages; the report gives medians")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-url", help="give the service Redis (e.g. redis://127.0.0.1:6379/10): the workers "
                        "then share the pages' cached content")
    parser.add_argument("--no-instance", action="store_true", help="skip timing the instance build")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--writes-per-second", type=float, default=0.0,
                        help="inspection edits and unavailability through the web app while the readers run (0: none)")
    args = parser.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(pages) - PAGES.keys()
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}")

    info = machine()
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {info['nproc']} CPUs ({info['cpu']}), "
          f"{info['ram_gb']} GB, load average {os.getloadavg()[0]:.2f}", flush=True)
    ids = (inspection_ids(args.database_url), assessor_ids(args.database_url)) if args.writes_per_second else None
    if ids and not all(ids):
        parser.error(f"no inspections in {YEAR} or no active assessors: is the load database seeded?")
    port = free_port()
    proc = start_gunicorn(args.database_url, port, args.workers, args.threads, args.redis_url)
    runs: dict[str, list[dict]] = {p: [] for p in pages}
    try:
        # Staff sign in with a two-step code, one per 30 s: every virtual user (and the writer) shares
        # one signed-in session, like one coordinator's many tabs; each keeps its own connection.
        first = User(port)
        first.sign_in(args.database_url)
        cookies = first.cookies
        for r in range(1, args.repeat + 1):
            for name in pages:
                res = drive(port, cookies, PAGES[name], args.users, args.processes, WARMUP_SECONDS, args.duration,
                            args.writes_per_second, ids)
                runs[name].append(res)
                wrote = (f"  writes {res['writes']} p50 {res['write_p50_ms']:.0f} p95 {res['write_p95_ms']:.0f} "
                         f"p99 {res['write_p99_ms']:.0f} ms errors {res['write_errors']} "
                         f"{' '.join(res['write_statuses'])}" if args.writes_per_second else "")
                print(f"run {r} {name:<19} {res['requests']:>5} req {res['rps']:6.1f}/s  p50 {res['p50_ms']:7.1f}  "
                      f"p95 {res['p95_ms']:7.1f}  p99 {res['p99_ms']:7.1f} ms  errors {res['errors']} "
                      f"{' '.join(res['statuses'])}  {res['kb']:.0f} KB  client CPU {res['client_cpu_pct']:.0f}% "
                      f"load {res['load_before']:.1f}->{res['load_after']:.1f}{wrote}", flush=True)
    finally:
        stop_gunicorn(proc)

    build = None if args.no_instance else time_instance_build(args.database_url)

    def med(name: str, key: str) -> float:
        return statistics.median(x[key] for x in runs[name])

    print()
    print(f"{args.users} users closed-loop, gunicorn -w {args.workers} --threads {args.threads}, "
          f"{args.duration:.0f} s per page and run, medians of {args.repeat} runs")
    print("| page | path | p50 ms | p95 ms | p99 ms | req/s | errors | KB | client CPU | load avg |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in pages:
        errors = sum(x["errors"] for x in runs[name])
        total = sum(x["requests"] for x in runs[name])
        loads = [x["load_before"] for x in runs[name]]
        print(f"| {name} | `{PAGES[name]}` | {med(name, 'p50_ms'):.0f} | {med(name, 'p95_ms'):.0f} | "
              f"{med(name, 'p99_ms'):.0f} | {med(name, 'rps'):.1f} | {errors}/{total} | {med(name, 'kb'):.0f} | "
              f"{med(name, 'client_cpu_pct'):.0f}% | {min(loads):.1f}-{max(loads):.1f} |")
    if args.writes_per_second:
        print(f"\nWrites ({args.writes_per_second:g}/s, inspection edits and unavailability through the forms) "
              "while each page ran:")
        print("| during | writes p50 ms | p95 ms | p99 ms | errors | what failed |")
        print("|---|---:|---:|---:|---:|---|")
        for name in pages:
            failed = sorted({s for x in runs[name] for s in x["write_statuses"]})
            print(f"| {name} | {med(name, 'write_p50_ms'):.0f} | {med(name, 'write_p95_ms'):.0f} | "
                  f"{med(name, 'write_p99_ms'):.0f} | {sum(x['write_errors'] for x in runs[name])}/"
                  f"{sum(x['writes'] for x in runs[name])} | {', '.join(failed) or '-'} |")
    if build:
        print(f"\nInstance build (full year {YEAR}: {build['size'][0]} assessors, {build['size'][1]} inspections, "
              f"{build['size'][2]} pinned): median {build['median']:.2f} s of "
              f"{', '.join(f'{t:.2f}' for t in build['times'])}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "args": {k: str(v) for k, v in vars(args).items()},
                                         "runs": runs, "instance_build": build}, indent=1))


if __name__ == "__main__":
    main()
