"""Answers for every apply page, and a way to fill them in."""
from __future__ import annotations

APPLY = "/become-an-associate-assessor/apply"
CHECK = f"{APPLY}/check-your-answers"

ANSWERS: dict[str, dict] = {
    "about-you": {"name": "Isla Munro", "email": "isla.munro@example.org", "phone": "01592 583000"},
    "where-you-live": {"home_area": "fife"},
    "your-job": {"employer_name": "Fife Council", "job_title": "Service Manager, Children and Families",
                 "sector": "statutory"},
    "specialisms": {"specialisms": ["children"]},
    "experience": {"strategic_experience": "I lead children's services across Fife and chair the partnership's "
                                           "quality assurance group."},
    "employer-contact": {"employer_contact_name": "Jane Manager",
                         "employer_contact_email": "jane.manager@example.org"},
    "conflicts": {"has_conflicts": "no", "conflicts_details": ""},
    "privacy": {"privacy_consent": "y"},
}


def fill(client, *, until: str | None = None, **overrides) -> None:
    """Answer each page in order (stopping before `until`); every page must accept its answers."""
    for slug, answers in ANSWERS.items():
        if slug == until:
            return
        response = client.post(f"{APPLY}/{slug}", data={**answers, **overrides.get(slug.replace("-", "_"), {})})
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[:2000])
