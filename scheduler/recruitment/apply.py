"""Applying, one topic a page: the pages, and the answers kept between them.

Answers are kept as the raw values the person typed (clipped to each field's limit), so a page
shows them again exactly, and "check your answers" revalidates every page with the same forms.
They are kept in the database (ApplicationDraft), not in the session cookie, which is signed but
readable by anyone who has it: the cookie holds only the draft's random id.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import session
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import Length

from scheduler.extensions import db
from scheduler.models import Application, ApplicationDraft, Area, Campaign, Sector, Specialism, utcnow

from .campaigns import current_campaign, is_accepting
from .forms import (
    AboutYouForm,
    ConflictsForm,
    EmployerContactForm,
    ExperienceForm,
    PrivacyForm,
    SpecialismsForm,
    WhereYouLiveForm,
    YourJobForm,
)

SESSION_KEY = "application_draft_id"
SENT_KEY = "application_sent"
DEFAULT_CLIP = 254
# A draft untouched this long is deleted when someone starts a new one.
DRAFT_LIFETIME = timedelta(days=30)


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    form: type
    fields: tuple[str, ...]
    # Pages that ask one question use the question as the page heading.
    heading_field: str | None = None


PAGES: tuple[Page, ...] = (
    Page("about-you", "About you", AboutYouForm, ("name", "email", "phone")),
    Page("where-you-live", "Which council area do you live in?", WhereYouLiveForm, ("home_area",), "home_area"),
    Page("your-job", "Your job", YourJobForm, ("employer_name", "job_title", "sector")),
    Page("specialisms", "Which areas of practice are you applying for?", SpecialismsForm, ("specialisms",),
         "specialisms"),
    Page("experience", "Describe your strategic experience", ExperienceForm, ("strategic_experience",),
         "strategic_experience"),
    Page("employer-contact", "Who at your employer can agree your release?", EmployerContactForm,
         ("employer_contact_name", "employer_contact_email")),
    Page("conflicts", "Conflicts of interest", ConflictsForm, ("has_conflicts", "conflicts_details")),
    Page("privacy", "Privacy", PrivacyForm, ("privacy_consent",)),
)
BY_SLUG = {p.slug: p for p in PAGES}


# ---- The draft: a row keyed by a random id that only the applicant's session holds ----------

def _draft_row() -> ApplicationDraft | None:
    draft_id = session.get(SESSION_KEY)
    return db.session.get(ApplicationDraft, draft_id) if isinstance(draft_id, str) else None


def answers() -> dict:
    row = _draft_row()
    return dict(row.answers) if row else {}


def draft_campaign() -> Campaign | None:
    """The campaign this person is applying to: theirs if still open, else whichever is open now.

    Returns None when nothing is open; their answers are kept either way."""
    row = _draft_row()
    if row is not None and row.campaign_id is not None:
        campaign = db.session.get(Campaign, row.campaign_id)
        if campaign is not None and is_accepting(campaign):
            return campaign
    campaign = current_campaign()
    if campaign is not None and row is not None:
        row.campaign_id = campaign.id
        db.session.commit()
    return campaign


def applied_campaign() -> Campaign | None:
    """The campaign the draft was started for, open or not (to name it when it has closed)."""
    row = _draft_row()
    return db.session.get(Campaign, row.campaign_id) if row is not None and row.campaign_id else None


def _clip(field) -> int:
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return validator.max
    return DEFAULT_CLIP


def raw_values(form, page: Page) -> dict:
    """What was typed on the page, as sent, clipped to each field's limit."""
    values = {}
    for name in page.fields:
        field = form[name]
        if isinstance(field, SelectMultipleField):
            values[name] = [str(v)[:40] for v in (field.raw_data or [])][:len(Specialism)]
        elif isinstance(field, BooleanField):
            values[name] = bool(field.raw_data and field.raw_data[0])
        else:
            raw = field.raw_data[0] if field.raw_data else ""
            values[name] = str(raw)[:_clip(field)]
    return values


def save(values: dict, campaign_id: int | None) -> None:
    """Keep the page's answers (committed: the draft is the applicant's, apart from any change)."""
    row = _draft_row()
    if row is None:
        db.session.execute(db.delete(ApplicationDraft)
                           .where(ApplicationDraft.updated_at < utcnow() - DRAFT_LIFETIME))
        row = ApplicationDraft(id=secrets.token_urlsafe(32), campaign_id=campaign_id, answers={})
        db.session.add(row)
        session[SESSION_KEY] = row.id
    row.campaign_id = row.campaign_id or campaign_id
    row.answers = {**row.answers, **values}
    db.session.commit()


def clear() -> None:
    """Forget the draft, in the caller's transaction (with the application it became)."""
    row = _draft_row()
    if row is not None:
        db.session.delete(row)
    session.pop(SESSION_KEY, None)


# ---- Forms for a page ----------------------------------------------------------------------

def formdata(values: dict) -> MultiDict:
    pairs = []
    for name, value in values.items():
        if isinstance(value, list):
            pairs.extend((name, v) for v in value)
        elif isinstance(value, bool):
            if value:
                pairs.append((name, "y"))
        elif value is not None:
            pairs.append((name, str(value)))
    return MultiDict(pairs)


def area_choices() -> list[tuple[str, str]]:
    areas = db.session.scalars(db.select(Area).order_by(Area.name))
    return [("", "Choose a council area")] + [(a.id, a.name) for a in areas]


def prepare(form, campaign: Campaign | None):
    """Give a page's form the choices that depend on the database and the campaign."""
    if "home_area" in form:
        form.home_area.choices = area_choices()
    if "specialisms" in form:
        seeks = campaign.specialisms if campaign else tuple(Specialism)
        form.specialisms.choices = [(s.value, s.label) for s in seeks]
    if "employer_contact_email" in form:
        form.applicant_email = answers().get("email")
    return form


def page_form(page: Page, campaign: Campaign | None, *, posted: bool):
    """The form for a page: from the request when posted, else from the kept answers."""
    if posted:
        return prepare(page.form(), campaign)
    return prepare(page.form(formdata=formdata(answers())), campaign)


def first_incomplete(campaign: Campaign | None) -> Page | None:
    kept = answers()
    for page in PAGES:
        values = {k: kept[k] for k in page.fields if k in kept}
        form = prepare(page.form(formdata=formdata(values), meta={"csrf": False}), campaign)
        if not values or not form.validate():
            return page
    return None


def next_page(page: Page) -> Page | None:
    index = PAGES.index(page)
    return PAGES[index + 1] if index + 1 < len(PAGES) else None


def previous_page(page: Page) -> Page | None:
    index = PAGES.index(page)
    return PAGES[index - 1] if index > 0 else None


# ---- Showing and sending -------------------------------------------------------------------

def summary(kept: dict) -> list[tuple[Page, str, str]]:
    """(page, question, answer) rows for check your answers."""
    area = db.session.get(Area, kept.get("home_area") or "")
    sector = kept.get("sector")
    conflicts = kept.get("has_conflicts")
    specialisms = [Specialism(s).label for s in kept.get("specialisms", []) if s in Specialism._value2member_map_]
    rows = [
        (BY_SLUG["about-you"], "Full name", kept.get("name", "")),
        (BY_SLUG["about-you"], "Email address", kept.get("email", "")),
        (BY_SLUG["about-you"], "Telephone number", kept.get("phone", "")),
        (BY_SLUG["where-you-live"], "Council area you live in", area.name if area else ""),
        (BY_SLUG["your-job"], "Employer", kept.get("employer_name", "")),
        (BY_SLUG["your-job"], "Job title", kept.get("job_title", "")),
        (BY_SLUG["your-job"], "Sector",
         Sector(sector).label if sector in Sector._value2member_map_ else ""),
        (BY_SLUG["specialisms"], "Areas of practice", ", ".join(specialisms)),
        (BY_SLUG["experience"], "Strategic experience", kept.get("strategic_experience", "")),
        (BY_SLUG["employer-contact"], "Release contact", kept.get("employer_contact_name", "")),
        (BY_SLUG["employer-contact"], "Release contact's email", kept.get("employer_contact_email", "")),
        (BY_SLUG["conflicts"], "Conflicts of interest",
         ("Yes: " + kept.get("conflicts_details", "")) if conflicts == "yes" else ("No" if conflicts == "no" else "")),
        (BY_SLUG["privacy"], "Privacy notice", "Agreed" if kept.get("privacy_consent") else ""),
    ]
    return rows


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"AA-{code[:4]}-{code[4:]}"
        if db.session.scalar(db.select(Application.id).filter_by(reference=reference)) is None:
            return reference


def build_application(campaign: Campaign, kept: dict) -> Application:
    chosen = set(kept.get("specialisms", []))
    application = Application(
        reference=new_reference(),
        campaign_id=campaign.id,
        name=kept["name"].strip(),
        email=kept["email"].strip(),
        phone=kept["phone"].strip(),
        home_area_id=kept["home_area"],
        employer_name=kept["employer_name"].strip(),
        job_title=kept["job_title"].strip(),
        sector=kept["sector"],
        applies_children="children" in chosen,
        applies_adults="adults" in chosen,
        applies_justice="justice" in chosen,
        strategic_experience=kept["strategic_experience"].strip(),
        employer_contact_name=kept["employer_contact_name"].strip(),
        employer_contact_email=kept["employer_contact_email"].strip(),
        conflicts_declared=kept.get("conflicts_details", "").strip() if kept.get("has_conflicts") == "yes" else "",
        privacy_consent=True,
    )
    return application
