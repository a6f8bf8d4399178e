from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from scheduler.access import public
from scheduler.navigation import navigation_for

bp = Blueprint("public", __name__)


@bp.route("/")
@public
def home():
    return render_template("public/home.html", tasks=navigation_for(current_user))


@bp.route("/accessibility")
@public
def accessibility():
    from . import statements

    return render_template("public/accessibility.html", dates=statements.ACCESSIBILITY_STATEMENT,
                           tested=statements.ACCESSIBILITY_TESTED, known_issues=statements.KNOWN_ISSUES,
                           not_yet_tested=statements.NOT_YET_TESTED,
                           format_days=statements.ACCESSIBLE_FORMAT_WORKING_DAYS)


@bp.route("/privacy")
@public
def privacy():
    from scheduler.privacy import schedule

    from . import statements

    kinds = [(k, schedule.roles_allowed(k.shown_on), schedule.roles_allowed(k.changed_on)) for k in schedule.DATA_KINDS]
    return render_template("public/privacy.html", kinds=kinds, dates=statements.PRIVACY_NOTICE,
                           format_days=statements.ACCESSIBLE_FORMAT_WORKING_DAYS)


@bp.route("/cookies")
@public
def cookies():
    return render_template("public/cookies.html")
