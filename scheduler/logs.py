"""Structured logs: one JSON object a line on stderr, and one line per request with its id, the
user's role, the status and the time taken. The request id (a sane X-Request-ID from the proxy,
or a new one) is sent back in the response's X-Request-ID and shown on error pages, so a user's
report leads to the lines that tell what happened. Nothing personal is logged: no names, emails
or query strings.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def init_logs(app: Flask) -> None:
    if not app.testing:     # tests read records through caplog; the format is tested on its own
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(logging.INFO)
        app.logger.handlers[:] = []     # propagate to the root's JSON handler
    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if SANE_ID.match(given) else uuid.uuid4().hex[:16]
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.request_id
    user = g.get("_login_user")      # only if this request loaded it: logging never queries
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else "anonymous"
    logging.getLogger("scheduler.request").info("request", extra={"fields": {
        "request_id": g.request_id, "method": request.method, "path": request.path, "endpoint": request.endpoint,
        "status": response.status_code, "ms": round((time.perf_counter() - g.request_started) * 1000, 1),
        "role": role}})
    return response


def security_event(event: str, **fields) -> None:
    """A refused attempt worth a look (CSRF, rate limit, altered or control-character input): one
    JSON warning line on the `scheduler.security` logger, with the request's id and endpoint so it
    joins the request line; nothing personal. Audit events (`scheduler.audit`) record what people
    did; these record what was refused before anything was done."""
    logging.getLogger("scheduler.security").warning(event, extra={"fields": {
        "event": event, "request_id": g.get("request_id") if has_request_context() else None,
        "endpoint": request.endpoint if has_request_context() else None, **fields}})
