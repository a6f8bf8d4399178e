"""Friendly error pages: a user never sees a traceback."""
from __future__ import annotations

from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from scheduler.extensions import db

PAGES = {
    400: ("Sorry, there is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("Sorry, that action is not possible here", "errors/400.html"),
    409: ("Someone else changed this record", "errors/409.html"),
    413: ("What you sent is too large", "errors/413.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


def render_error(code: int, detail: str | None = None):
    title, template = PAGES.get(code, PAGES[500])
    return render_template(template, title=title, detail=detail), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
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
        if error.code in PAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(500)

    @app.errorhandler(InternalServerError)
    def internal(error):
        db.session.rollback()
        return render_error(500)
