"""Employers answer requests through signed links, without an account: /employer/<token>."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from scheduler.access import public
from scheduler.extensions import limiter
from scheduler.links import LinkExpired, LinkProblem, LinkUsed

from . import agreements, deployments  # noqa: F401  (register the agreement and deployment-confirmation requests)
from .requests import resolve

bp = Blueprint("employer", __name__, url_prefix="/employer")

OUTCOMES = {"agreed": "Thank you: your agreement has been sent",
            "declined": "Thank you: your answer has been sent"}


def _limit() -> str:
    return current_app.config.get("EMPLOYER_RATE_LIMIT", "30 per minute")


def link_problem(problem: LinkProblem):
    status = 410 if isinstance(problem, LinkExpired | LinkUsed) else 404
    return render_template("employer/link_problem.html", title=problem.title, problem=problem), status


@bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_limit, methods=["POST"])
def respond(token: str):
    if len(token) > 400:
        return link_problem(LinkProblem())
    try:
        kind, link, subject = resolve(token)
    except LinkProblem as problem:
        return link_problem(problem)
    try:
        return kind.respond(token, link, subject)
    except LinkProblem as problem:  # used by someone else between reading and answering
        return link_problem(problem)


@bp.route("/answered/<outcome>")
@public
def answered(outcome: str):
    if outcome not in OUTCOMES:
        abort(404)
    return render_template("employer/answered.html", title=OUTCOMES[outcome], outcome=outcome)
