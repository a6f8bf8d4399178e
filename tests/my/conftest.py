from __future__ import annotations

from datetime import date

import pytest

from scheduler.my import availability
from tests import factories

TODAY = date(2027, 1, 11)  # a Monday


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(availability, "today", lambda: TODAY)
    return TODAY


@pytest.fixture()
def me(db, make_user, sign_in):
    """An assessor with an account, signed in."""
    user = make_user("assessor")
    assessor = factories.AssessorFactory(user=user, name="Morag Lyle", email="morag.lyle@test.example")
    sign_in(user)
    return assessor


@pytest.fixture()
def someone_else(db):
    return factories.AssessorFactory(name="Iain Other", email="iain.other@test.example")
