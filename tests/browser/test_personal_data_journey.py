"""A recruitment admin finds an assessor, downloads everything held about them, then erases them
on their request; axe checks every page and the error state."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from scheduler.models import Assessor
from tests import factories

pytestmark = pytest.mark.browser

NAME, EMAIL = "Thomasina Privacyjourney", "thomasina.privacyjourney@test.example"


def test_admin_downloads_an_assessors_data_then_erases_them(page, live_server, live_db, sign_in_as, axe):
    assessor = factories.AssessorFactory(name=NAME, email=EMAIL)
    factories.UnavailabilityFactory(assessor=assessor, reason="Annual leave")
    live_db.session.commit()
    assessor_id = assessor.id

    sign_in_as(page, "admin")
    page.get_by_role("link", name="Personal data").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data")
    axe(page)

    page.get_by_label("Name or email address").fill("privacyjourney")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("1 person found")
    axe(page)
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{NAME} (Associate assessor)")
    axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download everything held (zip)").click()
    with zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read())) as archive:
        data = json.loads(archive.read("data.json"))
        assert NAME in archive.read("summary.html").decode()
    unavailability = next(s for s in data["sections"] if s["table"] == "unavailability")
    assert [r["reason"] for r in unavailability["rows"]] == ["Annual leave"]

    page.get_by_role("button", name="Erase their details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Erase {NAME}'s personal details")
    axe(page)
    page.get_by_role("button", name="Erase their personal details").click()  # no reason, not confirmed
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason, including how the person asked")
    axe(page)

    page.get_by_label("Why are you erasing their details?").fill("Asked by email on 2 May")
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase their personal details").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Associate assessor's personal details erased")
    axe(page)

    assert [m.subject for m in live_server.outbox()][-1] == "We have erased your personal information"
    with live_server.app.app_context():
        erased = live_db.session.get(Assessor, assessor_id)
        assert (erased.name, erased.email) == (f"Erased assessor {erased.reference}",
                                               f"erased-{erased.reference.lower()}@example.invalid")
