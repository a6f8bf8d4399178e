"""An inspector logs a death notification (fixing an error on the way), sees the 28-day report due
date, grants an extension and sees the dashboard change, then closes and reopens it with a reason;
axe checks every page and error state."""
from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from scheduler.notifications.register import uk_today

AREA = "Orkney Islands"  # an area no other browser test uses, so the dashboard rows are this test's


def _fill_date(page, field: str, day) -> None:
    page.locator(f"#{field}").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def test_inspector_logs_a_death_grants_an_extension_and_the_dashboard_changes(page, live_server, sign_in_as, axe):
    today = uk_today()
    died = today - timedelta(days=30)          # so the 28-day report is already overdue
    report_due = died + timedelta(days=28)
    extended_to = today + timedelta(days=21)

    sign_in_as(page, "inspector")
    page.goto(f"{live_server.url}/notifications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications register")
    axe(page)

    page.get_by_role("button", name="Log a notification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What are you notifying?")
    axe(page)
    page.get_by_label("Death of a looked-after child or young person").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Death of a looked-after child or young person")
    axe(page)

    page.get_by_label("Partnership (council area)").select_option(label=AREA)
    page.get_by_label("Full name of the child or young person").fill("Alex Journey")
    _fill_date(page, "subject_dob", today.replace(year=today.year - 15, day=1))
    page.get_by_label("Compulsory supervision order").check()
    page.get_by_label("Kinship care").check()
    _fill_date(page, "event_date", died)
    page.get_by_label("Time of death").fill("14:30")
    page.get_by_label("No", exact=True).check()
    _fill_date(page, "notified_on", today)
    page.get_by_label("Time notified").fill("9.5")  # the error to fix: not a time
    page.get_by_label("Name of the person notifying").fill("Pat Partner")
    page.get_by_label("Their email address or phone number").fill("pat.partner@orkney.test.example")
    page.get_by_role("button", name="Add to register").click()

    expect(page).to_have_title("Error: Death of a looked-after child or young person – Associate assessor scheduler")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Time notified must be a real time in the 24-hour clock")
    axe(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Time notified")).to_be_focused()
    expect(page.get_by_label("Full name of the child or young person")).to_have_value("Alex Journey")
    page.get_by_label("Time notified").fill("09:50")
    page.get_by_role("button", name="Add to register").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("added to the register")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notification N")
    report = page.locator("td[data-deadline=report]")
    expect(report).to_contain_text(_long(report_due))
    expect(page.locator("tr", has=report)).to_contain_text("Overdue")
    axe(page)
    record_url = page.url

    page.goto(f"{live_server.url}/notifications/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications dashboard")
    expect(page.locator("#overdue-heading + .app-table-scroll table")).to_contain_text(AREA)
    expect(page.locator("svg[role=img] title")).to_have_text("Notifications by kind and quarter")
    font = "e => getComputedStyle(e).fontFamily"
    assert (page.locator("svg[role=img] text").first.evaluate(font)
            == page.locator("main p.govuk-body").first.evaluate(font))
    axe(page)

    page.goto(record_url)
    page.get_by_role("button", name="Grant an extension").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grant an extension")
    axe(page)
    _fill_date(page, "new_due_on", extended_to)
    page.get_by_role("button", name="Grant extension").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the extension")
    axe(page)
    page.get_by_label("Reason for the extension").fill("Post-mortem report delayed by the procurator fiscal")
    page.get_by_role("button", name="Grant extension").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Report now due {_long(extended_to)}")
    report = page.locator("td[data-deadline=report]")
    expect(report).to_contain_text(_long(extended_to))
    expect(report).to_contain_text(f"extended from {_long(report_due)}")
    expect(page.locator("tr", has=report)).to_contain_text("On time")
    expect(page.locator("body")).to_contain_text("Post-mortem report delayed by the procurator fiscal")
    axe(page)

    page.goto(f"{live_server.url}/notifications/dashboard")
    overdue = page.locator("#overdue-heading + .app-table-scroll table")
    if overdue.count():
        expect(overdue).not_to_contain_text(AREA)
    else:
        expect(page.get_by_text("Nothing is overdue.")).to_be_visible()
    axe(page)

    # Closed, then reopened with a reason: the reason and the reopening read as words in the history.
    page.goto(record_url)
    page.get_by_role("button", name="Change status").click()
    page.get_by_label("Closed").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Status changed to closed")
    page.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reopen N")
    axe(page)
    page.get_by_role("button", name="Reopen notification").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for reopening")
    axe(page)
    page.get_by_label("Reason for reopening").fill("The partnership sent a corrected chronology")
    page.get_by_role("button", name="Reopen notification").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("reopened: its status is now received")
    expect(page.locator("table").last).to_contain_text(
        f"Reopened (it had closed on {_long(today)}); status now Received. "
        "Reason: The partnership sent a corrected chronology")
    axe(page)
