"""Form data for the inspection form, as a browser would send it."""
from __future__ import annotations

from datetime import date

from scheduler.extensions import db
from scheduler.models import Employer
from scheduler.workdays import working_days


def employer_id(name: str) -> int:
    return db.session.scalar(db.select(Employer.id).filter_by(name=name))


def date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def inspection_form(start: date = date(2027, 3, 1), end: date = date(2027, 3, 12), **overrides) -> dict:
    """A complete, valid submission whose day lists were already worked out for the period."""
    days = [d.isoformat() for d in working_days(start, end)]
    data = {
        "title": "Joint inspection of services for children and young people in Angus",
        "type": "children",
        "area_id": "angus",
        "partner_bodies": ["Care Inspectorate", "Education Scotland"],
        "status": "planned",
        "starts_on": date_parts(start),
        "ends_on": date_parts(end),
        "days_for": f"{start.isoformat()}|{end.isoformat()}",
        "proposed_for": "angus",
        "working_days": days,
        "mandatory_days": days[:1],
        "children_count": "2", "children_min": "4", "children_max": "8",
        "adults_count": "", "adults_min": "4", "adults_max": "12",
        "justice_count": "", "justice_min": "4", "justice_max": "12",
        "excluded_employers": [str(employer_id("Angus Council")), str(employer_id("NHS Tayside"))],
        "save": "Save inspection",
    }
    data.update(overrides)
    return data


def error_for(response, field_id: str) -> str:
    """The inline error message shown for a field (GOV.UK puts it in <p id="{id}-error">)."""
    found = response.soup.find(id=f"{field_id}-error")
    return " ".join(found.get_text(" ", strip=True).split()) if found else ""
