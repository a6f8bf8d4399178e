"""Fixtures for the notifications register: a fixed "today" and helpers to post GOV.UK dates."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from scheduler.notifications import register

TODAY = date(2028, 1, 10)  # a Monday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Deadline states, date checks and partner submissions all see Monday 10 January 2028, 10:00 UK time."""
    monkeypatch.setattr(register, "uk_today", lambda: TODAY)
    monkeypatch.setattr(register, "uk_now_naive", lambda: datetime(2028, 1, 10, 10, 0))
    return TODAY


def gov_date(day: date) -> list[str]:
    """A date as the three inputs of a GOV.UK date input post it."""
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture()
def inspector(sign_in):
    return sign_in("inspector")
