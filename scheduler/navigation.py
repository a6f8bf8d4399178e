"""The service navigation each role sees: one list, filtered by what the role may open."""
from __future__ import annotations

from flask import request, url_for

from scheduler.access import may_open

# (endpoint, text, what it is for) in display order; a link shows only if the role may use it.
LINKS: tuple[tuple[str, str, str], ...] = (
    ("dashboard.index", "What needs you",
     "Declined deployments to refill, confirmations waiting, seats unfilled and agreements ending soon."),
    ("my.overview", "My deployments",
     "Accept or decline proposed deployments, keep your availability current and subscribe to your calendar."),
    ("inspections.programme", "Inspection programme",
     "The year's joint inspections on a timeline: add an inspection, its working days and its seats."),
    ("teams.index", "Team builder",
     "Build teams with the optimiser, see why a seat is empty, pin, publish and re-plan."),
    ("teams.policy", "Planning policy",
     "Set the year's cap on deployments per assessor that every team build keeps to."),
    ("assessors.directory", "Assessors",
     "Find assessors by specialism, area, agreement and availability; import and export."),
    ("recruitment.campaigns", "Recruitment",
     "Open and close campaigns, review applications and admit new associate assessors."),
    ("notifications.register", "Notifications",
     "Deaths of looked-after children, learning reviews and serious incident reviews, with their deadlines."),
    ("employer.contacts_to_confirm", "Employer contacts",
     "Release contacts not on their employer's known email domains: confirm them before anything is sent."),
    ("auth.accounts", "Accounts",
     "Staff accounts and two-step sign-in: reset it for someone who has lost their authenticator app."),
    ("privacy.index", "Personal data",
     "Find a person to download, correct or erase what the service holds about them; the retention schedule."),
)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for endpoint, text, purpose in LINKS:
        if not may_open(endpoint):
            continue
        href = url_for(endpoint)
        items.append({"href": href, "text": text, "purpose": purpose, "active": request.path.startswith(href)})
    return items
