"""Recruitment admins: campaigns, the application queue, shortlist, reject, admit, outbox."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.models import Application, Assessor, AuditEvent, Campaign, EmployerAgreement, OutboxMessage, User
from scheduler.recruitment.campaigns import is_accepting
from tests import factories

ADMIN_PAGES = ["/recruitment", "/recruitment/campaigns/new", "/recruitment/applications", "/recruitment/outbox"]


def _actions(db):
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize("role", ["coordinator", "inspector", "assessor"])
def test_only_admins_reach_the_recruitment_admin_pages(client, db, sign_in, role):
    campaign = factories.CampaignFactory()
    application = factories.ApplicationFactory(campaign=campaign)
    sign_in(role)
    for url in [*ADMIN_PAGES, f"/recruitment/campaigns/{campaign.id}/edit",
                f"/recruitment/applications/{application.id}", f"/recruitment/applications/{application.id}/admit"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "close"}).status_code == 403
    assert client.post(f"/recruitment/applications/{application.id}/admit", data={}).status_code == 403
    assert db.session.get(Campaign, campaign.id).is_open


def test_anonymous_people_are_sent_to_sign_in_from_admin_pages(client, db):
    for url in ADMIN_PAGES:
        assert "/sign-in" in client.get(url).headers["Location"]


def test_admins_reach_every_recruitment_page(client, db, sign_in):
    sign_in("admin")
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url


def test_admin_creates_a_campaign_closed_until_opened(client, db, sign_in):
    sign_in("admin")
    response = client.post("/recruitment/campaigns/new", data={
        "title": "Spring 2027", "specialisms": ["justice"], "opens_on": ["", "", ""], "closes_on": ["31", "3", "2027"]})
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.specialisms == ("justice",) and not campaign.is_open and campaign.closes_on == date(2027, 3, 31)
    assert "campaign.created" in _actions(db)
    assert "Spring 2027" in client.get("/recruitment").get_data(as_text=True)


def test_campaign_form_names_what_is_wrong(client, db, sign_in):
    sign_in("admin")
    page = client.post("/recruitment/campaigns/new", data={
        "title": "", "opens_on": ["1", "4", "2027"], "closes_on": ["31", "13", "2027"]})
    text = page.get_data(as_text=True)
    assert "Enter a campaign name" in text and "Select at least one area of practice" in text
    assert "Closing date must be a real date" in text
    page = client.post("/recruitment/campaigns/new", data={
        "title": "X", "specialisms": ["adults"], "opens_on": ["1", "4", "2027"], "closes_on": ["1", "3", "2027"]})
    assert "Closing date must be the same as or after the opening date" in page.get_data(as_text=True)


def test_opening_and_closing_is_one_audited_toggle(client, db, sign_in):
    factories.CampaignFactory(is_open=True)
    campaign = factories.CampaignFactory(is_open=False, closes_on=date.today() + timedelta(days=30))
    sign_in("admin")
    page = client.get("/recruitment")
    assert [i["value"] for i in page.soup.find_all("input", attrs={"name": "want"})] == ["open", "close"]
    client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"})
    assert db.session.get(Campaign, campaign.id).is_open
    # a second press of a stale "Open" button does not close it
    client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"})
    assert db.session.get(Campaign, campaign.id).is_open
    client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "close"})
    assert not db.session.get(Campaign, campaign.id).is_open
    assert _actions(db).count("campaign.opened") == 1 and _actions(db).count("campaign.closed") == 1


def test_opening_a_campaign_keeps_its_closing_date_and_says_it(client, db, sign_in):
    closes = date.today() + timedelta(days=30)
    campaign = factories.CampaignFactory(is_open=False, closes_on=closes)
    sign_in("admin")
    page = client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"}, follow_redirects=True)
    assert db.session.get(Campaign, campaign.id).closes_on == closes
    assert (f"is now open to applications. Applications close at the end of {closes.day} {closes:%B %Y}."
            in page.soup.select_one(".govuk-notification-banner").get_text(" "))


def test_a_campaign_whose_closing_date_has_passed_asks_for_a_new_one_before_it_opens(client, db, sign_in):
    today = date.today()
    passed = today - timedelta(days=3)
    campaign = factories.CampaignFactory(is_open=False, closes_on=passed)
    sign_in("admin")
    asked = client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"})
    assert asked.status_code == 303 and asked.location.endswith(f"/recruitment/campaigns/{campaign.id}/open")
    # nothing changed yet: still closed, its date kept
    assert (db.session.get(Campaign, campaign.id).closes_on, is_accepting(campaign)) == (passed, False)

    form = client.get(asked.location)
    assert form.soup.h1.get_text(" ", strip=True) == f"When do applications to {campaign.title} close?"
    assert f"Its closing date, {passed.day} {passed:%B %Y}, has passed." in form.soup.get_text(" ")
    refused = client.post(asked.location, data={"closes_on": [str(passed.day), str(passed.month), str(passed.year)]})
    assert "Closing date must be today or in the future" in refused.soup.select_one(".govuk-error-summary").get_text()
    assert not db.session.get(Campaign, campaign.id).is_open
    blank = client.post(asked.location, data={"closes_on": ["", "", ""]})
    assert "Enter the closing date" in blank.soup.select_one(".govuk-error-summary").get_text()

    new = today + timedelta(days=14)
    client.post(asked.location, data={"closes_on": [str(new.day), str(new.month), str(new.year)]})
    saved = db.session.get(Campaign, campaign.id)
    assert (saved.closes_on, is_accepting(saved)) == (new, True)
    assert _actions(db).count("campaign.opened") == 1


def test_a_campaign_with_no_closing_date_is_given_one_when_opened(client, db, sign_in):
    campaign = factories.CampaignFactory(is_open=False)
    sign_in("admin")
    asked = client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"})
    assert asked.location.endswith("/open") and not db.session.get(Campaign, campaign.id).is_open
    assert "Its closing date" not in client.get(asked.location).soup.get_text(" ")


def test_closing_a_campaign_open_by_its_schedule_takes_effect_now(client, db, sign_in):
    today = date.today()
    campaign = factories.CampaignFactory(is_open=False, opens_on=today - timedelta(days=3),
                                         closes_on=today + timedelta(days=10))
    sign_in("admin")
    client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "close"})
    assert "not currently recruiting" in client.get("/become-an-associate-assessor/apply").get_data(as_text=True)


def test_a_stale_campaign_edit_saves_nothing_and_keeps_what_was_typed_beside_what_is_saved(client, db, sign_in):
    campaign = factories.CampaignFactory(title="Original")
    sign_in("admin")
    form = client.get(f"/recruitment/campaigns/{campaign.id}/edit")
    version = form.soup.find("input", attrs={"name": "version_id"})["value"]
    data = {"title": "Mine", "specialisms": ["children"], "opens_on": ["", "", ""], "closes_on": ["", "", ""],
            "version_id": version}
    assert client.post(f"/recruitment/campaigns/{campaign.id}/edit", data=data).status_code == 302
    stale = client.post(f"/recruitment/campaigns/{campaign.id}/edit", data={**data, "title": "Theirs"})
    assert stale.status_code == 409
    assert db.session.get(Campaign, campaign.id).title == "Mine"
    assert stale.soup.select_one("input[name=title]")["value"] == "Theirs"
    assert "Mine" in stale.soup.select_one("#conflict").find_next("dl").get_text()


def test_the_queue_filters_by_campaign_specialism_and_status_and_pages(client, db, sign_in):
    spring, autumn = factories.CampaignFactory(title="Spring"), factories.CampaignFactory(title="Autumn")
    factories.ApplicationFactory(campaign=spring, name="Alpha Child")
    factories.ApplicationFactory(campaign=spring, name="Beta Adult", applies_children=False, applies_adults=True)
    factories.ApplicationFactory(campaign=autumn, name="Gamma Short", status="shortlisted")
    for n in range(26):
        factories.ApplicationFactory(campaign=autumn, name=f"Bulk {n}")
    sign_in("admin")

    def names(query):
        page = client.get(f"/recruitment/applications?{query}")
        return {row.find_all("td")[1].get_text() for row in page.soup.select("tbody tr")}

    assert names(f"campaign={spring.id}") == {"Alpha Child", "Beta Adult"}
    assert names(f"campaign={spring.id}&specialism=adults") == {"Beta Adult"}
    assert names("status=shortlisted") == {"Gamma Short"}
    first = client.get("/recruitment/applications")
    assert len(first.soup.select("tbody tr")) == 25
    assert first.soup.find(class_="govuk-pagination")
    assert len(client.get("/recruitment/applications?page=2").soup.select("tbody tr")) == 4


def test_shortlisting_is_audited(client, db, sign_in):
    application = factories.ApplicationFactory()
    sign_in("admin")
    assert client.get(f"/recruitment/applications/{application.id}").soup.find(
        "button", string=lambda s: s and "Shortlist" in s)
    client.post(f"/recruitment/applications/{application.id}/shortlist")
    assert db.session.get(Application, application.id).status == "shortlisted"
    assert "application.shortlisted" in _actions(db)


def test_rejecting_needs_a_reason_and_emails_it_to_the_applicant(client, db, sign_in, smtp_server):
    application = factories.ApplicationFactory(email="reject.me@example.org")
    sign_in("admin")
    page = client.post(f"/recruitment/applications/{application.id}/reject", data={"reason": ""})
    assert "Enter the reason for rejecting the application" in page.get_data(as_text=True)
    assert db.session.get(Application, application.id).status == "submitted"
    client.post(f"/recruitment/applications/{application.id}/reject",
                data={"reason": "We need more experience at a strategic level."})
    assert db.session.get(Application, application.id).status == "rejected"
    [email] = smtp_server.to("reject.me@example.org")
    assert "We need more experience at a strategic level." in smtp_server.body(email)
    assert "application.rejected" in _actions(db)


def _admit(client, application, **changes):
    fife = factories.employer("Fife Council")
    data = {"employer": str(fife.id), "days_per_deployment": "8", "total_days": "24",
            "valid_from": ["1", "4", "2027"], "valid_to": ["31", "3", "2028"], **changes}
    return client.post(f"/recruitment/applications/{application.id}/admit", data=data)


def test_admit_creates_the_assessor_an_account_an_invitation_and_an_agreement_request(client, db, sign_in, smtp_server):
    factories.AssessorFactory(reference="A00122")
    application = factories.ApplicationFactory(email="new.assessor@example.org", name="Isla Munro",
                                               applies_adults=True,
                                               employer_contact_email="boss@fife.gov.uk")
    sign_in("admin")
    form = client.get(f"/recruitment/applications/{application.id}/admit")
    fife = factories.employer("Fife Council")
    assert form.soup.find("option", selected=True)["value"] == str(fife.id)  # matched from the applicant's words
    assert _admit(client, application).status_code == 302

    assessor = db.session.scalar(db.select(Assessor).filter_by(email="new.assessor@example.org"))
    assert assessor.reference == "A00123"
    assert set(assessor.specialisms) == {"children", "adults"} and assessor.employer.name == "Fife Council"
    user = assessor.user
    assert user.role == "assessor" and user.password_hash is None
    application = db.session.get(Application, application.id)
    assert application.status == "admitted" and application.assessor_id == assessor.id
    agreement = db.session.scalar(db.select(EmployerAgreement).filter_by(assessor_id=assessor.id))
    assert agreement.status == "requested" and agreement.days_per_deployment == 8
    assert agreement.total_days == 24 and agreement.valid_to == date(2028, 3, 31)

    [invitation] = smtp_server.to("new.assessor@example.org")
    assert "/set-password/" in smtp_server.body(invitation)
    [request] = smtp_server.to("boss@fife.gov.uk")
    assert "/employer/" in smtp_server.body(request)
    for action in ("application.admitted", "assessor.created", "user.created", "user.invited", "agreement.requested"):
        assert action in _actions(db)


def test_admit_form_names_what_is_wrong_and_changes_nothing(client, db, sign_in):
    application = factories.ApplicationFactory()
    sign_in("admin")
    page = _admit(client, application, employer="", days_per_deployment="13", total_days="5",
                  valid_to=["1", "1", "2027"])
    text = page.get_data(as_text=True)
    assert "Select the applicant&#39;s employer" in text or "Select the applicant's employer" in text
    assert "Days per deployment must be between 4 and 12" in text
    assert "End of the period must be after the start" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Assessor)) == 0


def test_an_email_already_in_use_cannot_be_admitted_twice(client, db, sign_in):
    factories.UserFactory(email="taken@example.org")
    application = factories.ApplicationFactory(email="taken@example.org")
    sign_in("admin")
    page = _admit(client, application)
    assert page.status_code == 200 and "An account already uses taken@example.org" in page.get_data(as_text=True)
    assert db.session.get(Application, application.id).status == "submitted"


def test_an_admitted_application_cannot_be_admitted_again(client, db, sign_in):
    application = factories.ApplicationFactory()
    sign_in("admin")
    _admit(client, application)
    page = _admit(client, application)
    assert "cannot be admitted" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User).filter_by(role="assessor")) == 1


def test_the_outbox_lists_messages_newest_first_and_shows_one(client, db, sign_in):
    first = OutboxMessage(recipient="a@example.org", subject="First", body="Hello https://example.org/x",
                          delivered_via="console")
    second = OutboxMessage(recipient="b@example.org", subject="Second", body="Again", delivered_via="console")
    db.session.add(first)
    db.session.flush()
    second.created_at = first.created_at + timedelta(seconds=1)
    db.session.add(second)
    sign_in("admin")
    page = client.get("/recruitment/outbox")
    subjects = [row.find_all("td")[2].get_text(strip=True) for row in page.soup.select("tbody tr")]
    assert subjects == ["Second", "First"]
    message = client.get(f"/recruitment/outbox/{first.id}")
    assert message.soup.find("a", href="https://example.org/x")


def test_admit_refuses_a_release_contact_who_now_has_an_account(client, db, sign_in, smtp_server):
    application = factories.ApplicationFactory(email="new.assessor@example.org",
                                               employer_contact_email="boss@fife.gov.uk")
    factories.UserFactory(role="inspector", email="boss@fife.gov.uk")
    sign_in("admin")
    page = _admit(client, application)
    assert "boss@fife.gov.uk is the applicant's own address or someone's" in page.soup.get_text()
    assert db.session.get(Application, application.id).status != "admitted"
    assert not smtp_server.to("boss@fife.gov.uk")


def test_rejecting_an_application_already_decided_says_so_and_changes_nothing(client, db, sign_in):
    from tests import factories as f

    sign_in("admin")
    application = f.ApplicationFactory(status="rejected", rejection_reason="Not enough strategic experience")
    db.session.commit()
    answer = client.post(f"/recruitment/applications/{application.id}/reject", data={"reason": ""})
    assert answer.status_code == 302
    page = client.get(answer.location)
    assert "This application is already rejected" in page.soup.main.get_text()
    db.session.refresh(application)
    assert application.rejection_reason == "Not enough strategic experience"
