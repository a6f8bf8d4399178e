"""When a recruitment campaign is open: the rule is written once, here."""
from __future__ import annotations

from datetime import date, timedelta

from scheduler.extensions import db
from scheduler.models import Campaign


def is_accepting(campaign: Campaign, today: date | None = None) -> bool:
    """The one rule for "this campaign is open to applications today".

    Open when an admin has opened it (`is_open`), or when its scheduled opening date has come
    (`opens_on` <= today). Either way it stops on its closing date: after `closes_on` it is closed.
    """
    today = today or date.today()
    if campaign.closes_on is not None and today > campaign.closes_on:
        return False
    if campaign.is_open:
        return True
    return campaign.opens_on is not None and campaign.opens_on <= today


def open_campaigns(today: date | None = None) -> list[Campaign]:
    campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc()))
    return [c for c in campaigns if is_accepting(c, today)]


def current_campaign(today: date | None = None) -> Campaign | None:
    """The campaign the public pages offer: the newest open one."""
    found = open_campaigns(today)
    return found[0] if found else None


def needs_closing_date(campaign: Campaign, today: date | None = None) -> bool:
    """Opening this campaign needs a closing date first: it has none, or it has passed. Applicants
    are told when applications close, and opening never removes a date an admin set."""
    today = today or date.today()
    return campaign.closes_on is None or campaign.closes_on < today


def set_open(campaign: Campaign, want_open: bool, today: date | None = None, *,
             closes_on: date | None = None) -> None:
    """Open or close now, whatever the schedule says, so the toggle takes effect immediately.

    Opening keeps the closing date, or sets the new one given (one is needed: `needs_closing_date`).
    Closing a campaign whose scheduled dates still cover today ends the schedule yesterday.
    """
    today = today or date.today()
    if want_open:
        if closes_on is not None:
            campaign.closes_on = closes_on
        if needs_closing_date(campaign, today):
            raise ValueError("A campaign is opened with a closing date today or later")
        campaign.is_open = True
        return
    campaign.is_open = False
    if is_accepting(campaign, today):
        campaign.closes_on = today - timedelta(days=1)
        if campaign.opens_on is not None and campaign.opens_on > campaign.closes_on:
            campaign.opens_on = None
