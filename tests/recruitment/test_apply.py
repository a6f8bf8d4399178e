"""Applying: one topic a page, answers kept, specific errors, check your answers, sending."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.employer.contacts import ACCOUNT_ADDRESS, OWN_ADDRESS
from scheduler.models import Application, ApplicationDraft, AuditEvent, utcnow
from scheduler.recruitment import apply
from tests import factories

from .helpers import ANSWERS, APPLY, CHECK, fill


@pytest.fixture()
def campaign(db):
    return factories.CampaignFactory(seeks_children=True, seeks_adults=True, seeks_justice=False,
                                     closes_on=date.today() + timedelta(days=30))


def _errors(page) -> list[str]:
    summary = page.soup.find(class_="govuk-error-summary")
    assert summary is not None, "no error summary"
    assert page.soup.title.get_text().startswith("Error: ")
    return [a.get_text(strip=True) for a in summary.find_all("a")]


def _value(page, name):
    field = page.soup.find(attrs={"name": name})
    return field.get_text() if field.name == "textarea" else field.get("value")


@pytest.mark.parametrize("slug, data, messages, kept", [
    ("about-you", {"name": "", "email": "isla@", "phone": "12"},
     ["Enter your full name", "Enter your email address in the correct format, like name@example.org",
      "Enter a telephone number, like 01632 960 001 or 07700 900 982"], {"email": "isla@", "phone": "12"}),
    ("about-you", {"name": "N" * 121, "email": "isla@example.org", "phone": "01592 583000"},
     ["Full name must be 120 characters or fewer"], {"email": "isla@example.org"}),
    ("where-you-live", {"home_area": ""}, ["Select the council area you live in"], {}),
    ("where-you-live", {"home_area": "atlantis"}, ["Select the council area you live in"], {}),
    ("your-job", {"employer_name": "Fife Council", "job_title": "", "sector": ""},
     ["Enter your job title", "Select the sector you work in"], {"employer_name": "Fife Council"}),
    ("specialisms", {}, ["Select at least one area of practice"], {}),
    ("specialisms", {"specialisms": ["justice"]}, ["Select at least one area of practice"], {}),
    ("experience", {"strategic_experience": ""}, ["Describe your strategic experience"], {}),
    ("experience", {"strategic_experience": "word " * 301}, ["Strategic experience must be 300 words or fewer"],
     {"strategic_experience": ("word " * 301).strip()}),
    ("employer-contact", {"employer_contact_name": "Jane Manager", "employer_contact_email": "jane"},
     ["Enter their work email address in the correct format, like name@example.org"],
     {"employer_contact_name": "Jane Manager", "employer_contact_email": "jane"}),
    ("conflicts", {"has_conflicts": "yes", "conflicts_details": ""},
     ["Describe the interests that could conflict with inspection work"], {}),
    ("conflicts", {}, ["Select yes if you have any interests that could conflict with inspection work"], {}),
    ("privacy", {}, ["Confirm you have read the privacy notice and agree to us using your information"], {}),
])
def test_each_apply_page_names_what_is_wrong_and_keeps_what_was_typed(client, campaign, slug, data, messages, kept):
    page = client.post(f"{APPLY}/{slug}", data=data)
    assert page.status_code == 200
    assert _errors(page) == messages
    for name, value in kept.items():
        assert _value(page, name).strip() == value
    # and what was typed is still there when the person comes back to the page
    again = client.get(f"{APPLY}/{slug}")
    for name, value in kept.items():
        assert _value(again, name).strip() == value[:2400]


def test_specialisms_offered_are_only_those_the_campaign_seeks(client, campaign):
    page = client.get(f"{APPLY}/specialisms")
    offered = {i["value"] for i in page.soup.find_all("input", attrs={"name": "specialisms"})}
    assert offered == {"children", "adults"}


def test_the_council_area_select_lists_all_32_areas(client, campaign):
    options = client.get(f"{APPLY}/where-you-live").soup.find("select").find_all("option")
    assert len([o for o in options if o["value"]]) == 32


def test_each_page_leads_to_the_next_and_the_last_to_check_your_answers(client, campaign):
    response = client.post(f"{APPLY}/about-you", data=ANSWERS["about-you"])
    assert response.headers["Location"].endswith(f"{APPLY}/where-you-live")
    fill(client)
    assert client.post(f"{APPLY}/privacy", data=ANSWERS["privacy"]).headers["Location"].endswith(CHECK)


def test_check_your_answers_shows_every_answer_with_a_change_link_back_to_its_page(client, campaign):
    fill(client)
    page = client.get(CHECK)
    text = page.get_data(as_text=True)
    for value in ("Isla Munro", "isla.munro@example.org", "Fife", "Service Manager, Children and Families",
                  "Statutory", "Children and young people", "Jane Manager", "Agreed"):
        assert value in text
    changes = {a["href"] for a in page.soup.find_all("a") if a.get_text(strip=True).startswith("Change")}
    assert f"{APPLY}/about-you?change=1" in changes and f"{APPLY}/privacy?change=1" in changes
    changed = client.post(f"{APPLY}/your-job?change=1", data={**ANSWERS["your-job"], "job_title": "Head of Service"})
    assert changed.headers["Location"].endswith(CHECK)
    assert "Head of Service" in client.get(CHECK).get_data(as_text=True)


def test_check_your_answers_sends_an_unfinished_application_back_to_the_first_missing_page(client, campaign):
    fill(client, until="experience")
    assert client.get(CHECK).headers["Location"].endswith(f"{APPLY}/experience")


def test_sending_stores_the_application_shows_a_reference_and_emails_a_confirmation(client, campaign, smtp_server, db):
    fill(client)
    response = client.post(CHECK)
    assert response.status_code == 302
    application = db.session.scalar(db.select(Application))
    assert application.name == "Isla Munro" and application.home_area_id == "fife"
    assert application.applies_children and not application.applies_adults
    assert application.status == "submitted" and application.privacy_consent and application.submitted_at
    sent = client.get(response.headers["Location"])
    panel = sent.soup.find(class_="govuk-panel")
    assert panel.find("strong").get_text() == application.reference
    [email] = smtp_server.to("isla.munro@example.org")
    assert application.reference in email["Subject"]
    assert application.reference in smtp_server.body(email)
    # the next step says when the campaign closes and how to ask a question (a real contact)
    closes = f"Applications close at the end of {campaign.closes_on.day} {campaign.closes_on:%B %Y}."
    next_step = " ".join(sent.soup.main.get_text(" ").split())
    assert closes in next_step and "associate.assessors@test.example" in next_step
    body = " ".join(smtp_server.body(email).split())
    assert closes in body and "email associate.assessors@test.example or phone 0131 496 0000" in body
    assert "application.submitted" in [e.action for e in db.session.scalars(db.select(AuditEvent))]
    # the answers are gone from the session: a fresh start is empty
    assert client.get(f"{APPLY}/about-you").soup.find(attrs={"name": "name"}).get("value") in (None, "")


def test_a_campaign_that_closes_mid_application_refuses_it_and_keeps_the_answers_on_screen(client, campaign, db):
    fill(client)
    campaign.is_open = False
    page = client.post(CHECK)
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert "This recruitment campaign has closed" in text
    assert "Isla Munro" in text and "jane.manager@example.org" in text
    assert not page.soup.find("button", string=lambda s: s and "send application" in s.lower())
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0
    # the answers stay on screen on check your answers, and a question page sends people there
    assert "Isla Munro" in client.get(CHECK).get_data(as_text=True)
    assert client.get(f"{APPLY}/about-you").headers["Location"].endswith(CHECK)


def test_a_campaign_whose_closing_date_passes_mid_application_refuses_it(client, campaign, db):
    fill(client)
    campaign.closes_on = date.today() - timedelta(days=1)
    page = client.post(CHECK)
    assert page.status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_answers_typed_on_a_page_after_the_campaign_closed_are_kept(client, campaign, db):
    fill(client, until="privacy")
    campaign.is_open = False
    client.post(f"{APPLY}/experience", data={"strategic_experience": "Changed after closing"})
    assert "Changed after closing" in client.get(CHECK).get_data(as_text=True)


def test_submissions_are_rate_limited(app, client, campaign, db):
    app.config["APPLICATION_RATE_LIMIT"] = "2 per hour"
    try:
        for _ in range(2):
            fill(client)
            assert client.post(CHECK).status_code == 302
        fill(client)
        assert client.post(CHECK).status_code == 429
    finally:
        app.config.pop("APPLICATION_RATE_LIMIT")
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 2


def test_long_answers_of_ordinary_prose_are_kept(client, campaign):
    fill(client)
    prose = ("I have led children's services in two councils and chaired the child protection committee, "
             "working with health, police and the third sector to improve how we listen to families. ")
    long_answer = " ".join((prose * 20).split()[:300])
    assert client.post(f"{APPLY}/experience?change=1", data={"strategic_experience": long_answer}).status_code == 302
    client.post(f"{APPLY}/conflicts?change=1", data={"has_conflicts": "yes", "conflicts_details": (prose * 10)[:1000]})
    assert long_answer in client.get(CHECK).soup.get_text()


def test_the_answers_are_kept_on_the_server_and_the_cookie_holds_only_a_random_draft_id(client, db, campaign):
    fill(client)
    cookie = client.get_cookie("scheduler_session").value
    app = client.application
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert set(session) <= {"csrf_token", "application_draft_id"}
    assert len(session["application_draft_id"]) >= 40
    draft = db.session.get(ApplicationDraft, session["application_draft_id"])
    assert draft.answers["name"] == ANSWERS["about-you"]["name"]
    assert draft.answers["email"] == ANSWERS["about-you"]["email"]


def test_drafts_untouched_for_the_draft_lifetime_are_deleted_when_a_new_one_starts(client, db, campaign):
    stale = ApplicationDraft(id="stale-draft", answers={"name": "Old"},
                             updated_at=utcnow() - apply.DRAFT_LIFETIME - timedelta(minutes=1))
    recent = ApplicationDraft(id="recent-draft", answers={"name": "New"}, updated_at=utcnow() - timedelta(days=1))
    db.session.add_all([stale, recent])
    fill(client)
    db.session.expire_all()
    assert db.session.get(ApplicationDraft, "stale-draft") is None
    assert db.session.get(ApplicationDraft, "recent-draft") is not None


def test_line_breaks_in_long_answers_show_as_line_breaks(client, campaign):
    fill(client)
    client.post(f"{APPLY}/experience?change=1", data={"strategic_experience": "First line\nSecond <b>line</b>"})
    page = client.get(CHECK)
    cell = [row for row in page.soup.select(".govuk-summary-list__row") if "Strategic experience" in row.get_text()][0]
    value = cell.find(class_="govuk-summary-list__value")
    assert value.find("br") is not None and value.find("b") is None
    assert "Second <b>line</b>" in value.get_text()


@pytest.mark.parametrize("whose", ["own", "an account's"])
def test_the_release_contact_is_never_the_applicant_s_own_address_or_an_account_s(client, campaign, db, make_user,
                                                                                 whose):
    address = ANSWERS["about-you"]["email"].upper() if whose == "own" else make_user("coordinator").email
    fill(client, until="employer-contact")
    page = client.post(f"{APPLY}/employer-contact", data={"employer_contact_name": "Jane Manager",
                                                          "employer_contact_email": address})
    assert page.status_code == 200
    assert _errors(page) == [OWN_ADDRESS if whose == "own" else ACCOUNT_ADDRESS]
    assert _value(page, "employer_contact_email") == address
