"""/dashboard: the coordinator's home page, what needs them (scheduler.dashboard.needs), each list
linking to where they act."""
from __future__ import annotations

from flask import Blueprint, render_template

from scheduler.access import role_required
from scheduler.models import Role, utcnow
from scheduler.my import availability

from . import needs

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
@role_required(Role.COORDINATOR, Role.ADMIN)
def index():
    today = availability.today()
    return render_template(
        "dashboard/index.html", title="What needs you", today=today,
        declined=needs.declined_to_refill(today), waiting=needs.confirmations_outstanding(utcnow()),
        unfilled=needs.unfilled_soon(today), ending=needs.agreements_ending_first(today),
        wait_days=needs.CONFIRMATION_WAIT.days, horizon_weeks=needs.UNFILLED_HORIZON.days // 7,
    )
