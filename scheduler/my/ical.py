"""A private iCalendar feed of one assessor's deployments."""
from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from scheduler.models import Assessor, Deployment, DeploymentStatus

TOKEN_BYTES = 32
# Deployments an assessor should keep free for; declined and cancelled ones drop out of the feed.
IN_FEED = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value,
           DeploymentStatus.COMPLETED.value)
STATUS_WORDS = {
    DeploymentStatus.PROPOSED.value: "proposed",
    DeploymentStatus.EMPLOYER_CONFIRMED.value: "confirmed",
    DeploymentStatus.COMPLETED.value: "completed",
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def day_runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped into (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if runs and d == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def build_feed(assessor: Assessor, deployments: list[Deployment], *, host: str, service_name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{service_name}//Deployments//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{service_name}: deployments")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for deployment in deployments:
        inspection = deployment.inspection
        answered = deployment.status == DeploymentStatus.PROPOSED and deployment.accepted_at is not None
        status = "you accepted" if answered else STATUS_WORDS.get(deployment.status, deployment.status)
        days = [date.fromisoformat(d) for d in deployment.days]
        for first, last in day_runs(days):
            event = Event()
            event.add("uid", f"deployment-{deployment.id}-{first.isoformat()}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))  # all-day events end the day after
            event.add("summary", f"{inspection.title} ({status})")
            event.add("description", f"Inspection {inspection.reference}: {deployment.day_count} days "
                                     f"as an associate assessor. Deployment status: {status}.")
            event.add("status", "TENTATIVE" if deployment.status == DeploymentStatus.PROPOSED else "CONFIRMED")
            event.add("transp", "OPAQUE")
            event.add("sequence", deployment.version_id or 0)
            if inspection.area is not None:
                event.add("location", inspection.area.name)
            cal.add_component(event)
    return cal.to_ical()
