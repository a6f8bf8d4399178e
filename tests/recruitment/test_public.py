"""The public pages: becoming an assessor, recruitment status, and the rule for an open campaign."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.models import Application
from scheduler.recruitment.campaigns import current_campaign, is_accepting
from tests import factories

from .helpers import ANSWERS, APPLY, CHECK

TODAY = date.today()


def test_home_page_links_to_becoming_an_assessor(client):
    page = client.get("/")
    assert page.soup.find("a", href="/become-an-associate-assessor")


@pytest.mark.parametrize("topic", ["what-it-involves", "benefits", "questions", "code-of-practice"])
def test_each_guidance_page_opens_for_anyone(client, topic):
    page = client.get(f"/become-an-associate-assessor/{topic}")
    assert page.status_code == 200
    assert page.soup.find("a", href="/become-an-associate-assessor")


def test_code_of_practice_covers_conflicts_confidentiality_conduct_and_expenses(client):
    headings = [h.get_text(strip=True)
                for h in client.get("/become-an-associate-assessor/code-of-practice").soup.find_all("h2")]
    for topic in ("Conflicts of interest", "Confidentiality", "Conduct", "Expenses"):
        assert topic in headings


def test_closed_recruitment_shows_the_message_and_no_way_to_apply(client, db):
    factories.CampaignFactory(is_open=False)
    for url in ("/become-an-associate-assessor", APPLY):
        page = client.get(url)
        assert "We are not currently recruiting associate assessors" in page.get_data(as_text=True)
        assert not page.soup.find("a", class_="govuk-button--start")
        assert not page.soup.find("form", attrs={"method": "post"})


def test_apply_pages_refuse_when_nothing_is_open(client, db):
    assert client.get(f"{APPLY}/about-you").headers["Location"].endswith(APPLY)
    refused = client.post(f"{APPLY}/about-you", data=ANSWERS["about-you"])
    assert refused.status_code == 403
    assert "We are not currently recruiting" in refused.get_data(as_text=True)
    assert client.post(CHECK).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Application)) == 0


def test_an_open_campaign_shows_what_it_seeks_its_closing_date_and_a_start_button(client, db):
    factories.CampaignFactory(seeks_children=False, seeks_adults=False, seeks_justice=True,
                              closes_on=TODAY + timedelta(days=30))
    page = client.get(APPLY)
    text = page.get_data(as_text=True)
    assert "justice social work" in text and "children" not in text.lower().split("experience in:")[1][:200]
    assert (TODAY + timedelta(days=30)).strftime("%-d %B %Y") in text
    start = page.soup.find("a", class_="govuk-button--start")
    assert start["href"] == f"{APPLY}/about-you"


def test_opening_a_campaign_shows_it_and_its_closing_date_on_the_public_pages_immediately(client, db, sign_in):
    closes = TODAY + timedelta(days=20)
    campaign = factories.CampaignFactory(is_open=False, closes_on=closes)
    assert "not currently recruiting" in client.get(APPLY).get_data(as_text=True)
    sign_in("admin")
    assert client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "open"}).status_code == 302
    client.post("/sign-out")
    start = client.get(APPLY)
    assert start.soup.find("a", class_="govuk-button--start")
    assert f"The closing date is {closes.day} {closes:%B %Y}" in " ".join(start.soup.main.get_text(" ").split())
    sign_in("admin")
    client.post(f"/recruitment/campaigns/{campaign.id}/toggle", data={"want": "close"})
    assert "not currently recruiting" in client.get(APPLY).get_data(as_text=True)


class TestTheOneRuleForAnOpenCampaign:
    def test_opened_by_hand(self, db):
        assert is_accepting(factories.CampaignFactory(is_open=True), TODAY)

    def test_scheduled_dates_covering_today(self, db):
        campaign = factories.CampaignFactory(is_open=False, opens_on=TODAY, closes_on=TODAY)
        assert is_accepting(campaign, TODAY)
        assert not is_accepting(campaign, TODAY - timedelta(days=1))
        assert not is_accepting(campaign, TODAY + timedelta(days=1))

    def test_not_opened_and_not_scheduled(self, db):
        assert not is_accepting(factories.CampaignFactory(is_open=False), TODAY)

    def test_a_passed_closing_date_closes_even_a_campaign_opened_by_hand(self, db):
        assert not is_accepting(factories.CampaignFactory(is_open=True, closes_on=TODAY - timedelta(days=1)), TODAY)

    def test_the_public_pages_offer_the_newest_open_campaign(self, db):
        factories.CampaignFactory(is_open=False)
        scheduled = factories.CampaignFactory(is_open=False, opens_on=TODAY - timedelta(days=2),
                                              closes_on=TODAY + timedelta(days=2))
        assert current_campaign() == scheduled
