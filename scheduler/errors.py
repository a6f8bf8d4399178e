"""Friendly error pages: a user never sees a traceback.

A transient database error (deadlock, serialization failure, a connection lost) rolls the
request's transaction back. The view is run again, up to RETRIES times, when that is safe: nothing
was committed during it and, if the connection was lost, not while a COMMIT was on its way (its
outcome is unknown). Otherwise, and while the database is down, the answer is a 503 page with
Retry-After that says what to do; it is rendered as for a signed-out user, so it never needs the
database itself.
"""
from __future__ import annotations

import random
import time
from functools import wraps

from flask import Flask, Response, current_app, g, has_request_context, render_template, request
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from scheduler.extensions import db
from scheduler.logs import security_event

PAGES = {
    400: ("Sorry, there is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Sorry, that action is not possible here", "errors/400.html"),
    409: ("Someone else changed this record", "errors/409.html"),
    413: ("What you sent is too large", "errors/413.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
    503: ("Sorry, the service is unavailable", "errors/503.html"),
}
RETRIES = 3
RETRY_AFTER_SECONDS = 30
# SQLSTATEs that mean "the database rolled this transaction back; running it again may work".
ROLLED_BACK = {"40001", "40P01"}     # serialization failure, deadlock detected


def render_error(code: int, detail: str | None = None):
    title, template = PAGES.get(code, PAGES[500])
    return render_template(template, title=title, detail=detail), code


def transient(error: BaseException) -> bool:
    """A database error that says nothing about the request: it may work a moment later."""
    if not isinstance(error, DBAPIError):
        return False
    return (isinstance(error, OperationalError) or error.connection_invalidated
            or getattr(error.orig, "sqlstate", None) in ROLLED_BACK)


def _safe_to_repeat(error: DBAPIError) -> bool:
    if g.get("committed_in_view"):
        return False
    rolled_back = getattr(error.orig, "sqlstate", None) in ROLLED_BACK
    return rolled_back or not g.get("commit_sent")


def retrying(view):
    """The view, run again after a transient database error when nothing it did can have stuck."""
    @wraps(view)
    def run(*args, **kwargs):
        for attempt in range(RETRIES + 1):
            g.committed_in_view = g.commit_sent = False
            try:
                return view(*args, **kwargs)
            except DBAPIError as error:
                if attempt == RETRIES or not transient(error) or not _safe_to_repeat(error):
                    raise
                db.session.rollback()
                for upload in request.files.values():      # read again from the start
                    upload.stream.seek(0)
                current_app.logger.warning("Transient database error, running the request again (%s): %s",
                                           attempt + 1, type(error.orig).__name__)
                time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))     # let the other transaction finish
        raise AssertionError("unreachable")
    return run


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if has_request_context():
        g.committed_in_view = True


@event.listens_for(Engine, "commit")
def _commit_sent(connection) -> None:
    if has_request_context():
        g.commit_sent = True


def _load_user_first() -> None:
    """Signed-in users are loaded (and their session touched, which commits) before the view runs,
    so a view's retry is judged on its own commits; a database that is down fails here, cleanly."""
    from flask_login import current_user

    if request.endpoint not in (None, "static"):
        current_user._get_current_object()


def _signed_in_role() -> str | None:
    from flask_login import current_user

    return current_user.role if getattr(current_user, "is_authenticated", False) else None


def unavailable(error: BaseException | None = None):
    """The 503 page, rendered as for a signed-out user: nothing here may need the database."""
    try:
        db.session.rollback()
    except Exception:      # the connection is gone: the pool replaces it on the next checkout
        pass
    g._login_user = AnonymousUserMixin()      # what flask-login would otherwise load from the database
    if error is not None:
        current_app.logger.error("Database unavailable: %s: %s", type(error).__name__, error)
    response = current_app.make_response(render_error(503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_errors(app: Flask) -> None:
    app.before_request(_load_user_first)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = retrying(view)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        security_event("csrf_refused", reason=error.description)
        return render_error(400, "The form had expired or was sent from somewhere else. Go back, "
                                 "reload the page and try again: nothing was saved.")

    @app.errorhandler(StaleDataError)
    def stale(error):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, SecurityError):  # an untrusted Host: no link on our pages can be built for it
            return Response("This service is not at that address.", 400, mimetype="text/plain")
        if error.code == 429:
            security_event("rate_limited", limit=str(error.description))
        elif error.code in (403, 404) and request.endpoint and _signed_in_role():
            # someone signed in asking for a record that is not theirs to see (or not there): probing
            # shows as a run of these; the request's own log line has the path
            security_event("access_refused" if error.code == 403 else "record_not_found", role=_signed_in_role())
        if error.code in PAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        if transient(error):
            return unavailable(error)
        return unexpected(error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)

    @app.errorhandler(InternalServerError)
    def internal(error):
        db.session.rollback()
        return render_error(500)
