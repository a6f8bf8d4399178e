"""The service navigation each role sees: one list, filtered by what the role may open."""
from __future__ import annotations

from flask import current_app, request, url_for

from scheduler.access import PUBLIC, declared_access

# (endpoint, text) in display order; a link shows only if the endpoint exists and the role may use it.
LINKS: tuple[tuple[str, str], ...] = (
    ("my.overview", "My deployments"),
    ("inspections.programme", "Inspection programme"),
    ("teams.index", "Team builder"),
    ("assessors.directory", "Assessors"),
    ("recruitment.campaigns", "Recruitment"),
    ("notifications.register", "Notifications"),
)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for endpoint, text in LINKS:
        view = current_app.view_functions.get(endpoint)
        if view is None:
            continue
        allowed = declared_access(view)
        if allowed != PUBLIC and user.role not in (allowed or ()):
            continue
        href = url_for(endpoint)
        items.append({"href": href, "text": text, "active": request.path.startswith(href)})
    return items
