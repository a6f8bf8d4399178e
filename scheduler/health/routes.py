"""/healthz and /readyz for load balancers and monitoring: open to all, no personal data.

/healthz says the process answers (it touches nothing). /readyz checks what a request needs: the
database, Redis when configured, and, when solves run in a separate worker, that one was seen
within jobs.WORKER_SEEN_SECONDS. 200 when all are ok, else 503, with each check's verdict.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from scheduler import jobs
from scheduler.access import public
from scheduler.extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def healthz():
    return jsonify(status="alive")


@bp.route("/readyz")
@public
def readyz():
    checks = {"database": _database()}
    if current_app.config.get("REDIS_URL"):
        try:
            jobs.check_queue()
            checks["redis"] = "ok"
        except jobs.SolvesUnavailable:
            checks["redis"] = "down"
    seen = jobs.worker_seen()
    if seen is not None:
        checks["solve_worker"] = "ok" if seen else "not seen"
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except sa.exc.DBAPIError:
        db.session.rollback()
        return "down"
