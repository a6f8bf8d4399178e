"""Availability rules: from ≤ to, not in the past, no more than two years ahead, and periods that
overlap or touch are joined into one, with a message saying so."""
from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from scheduler.models import AuditEvent, Unavailability
from scheduler.my.availability import format_period, merge_with, next_twelve_months
from tests import factories


def _dates(prefix: str, d: date | None = None, parts: tuple[str, str, str] | None = None) -> list[tuple[str, str]]:
    parts = parts or (str(d.day), str(d.month), str(d.year))
    return [(prefix, p) for p in parts]


def post_multi(client, url, pairs, **kwargs):
    """Date inputs send three values under one name: post them as a MultiDict with the CSRF token."""
    return client.post(url, data=MultiDict([*pairs, ("csrf_token", client.csrf_token())]), csrf=False, **kwargs)


def add(client, start, end, reason="", url="/my/availability/add"):
    data = _dates("starts_on", start) + _dates("ends_on", end) + [("reason", reason)]
    return post_multi(client, url, data, follow_redirects=True)


def periods(db, assessor) -> list[tuple[date, date]]:
    return [(u.starts_on, u.ends_on) for u in db.session.scalars(
        db.select(Unavailability).filter_by(assessor_id=assessor.id).order_by(Unavailability.starts_on))]


def test_a_period_is_added_and_audited(client, db, me):
    page = add(client, date(2027, 4, 5), date(2027, 4, 16), "Annual leave")
    assert page.status_code == 200
    assert "You are unavailable from 5 April to 16 April 2027" in page.get_data(as_text=True)
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 16))]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.added"))
    assert event.object_type == "assessor" and event.object_id == str(me.id)
    assert event.after["reason"] == "Annual leave"


def test_end_date_before_start_date_is_refused_with_a_specific_message(client, db, me):
    page = add(client, date(2027, 4, 16), date(2027, 4, 5))
    text = page.get_data(as_text=True)
    assert page.soup.title.text.startswith("Error: ")
    assert "The last day you are unavailable must be the same as or after the first day you are unavailable" in text
    assert periods(db, me) == []
    # what was typed is kept
    assert page.soup.find("input", id="ends_on")["value"] == "5"
    assert page.soup.find("input", id="starts_on-year")["value"] == "2027"


def test_a_single_day_is_allowed(client, db, me):
    add(client, date(2027, 4, 5), date(2027, 4, 5))
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 5))]


def test_an_end_date_in_the_past_is_refused(client, db, me, today):
    page = add(client, date(2026, 12, 20), date(2027, 1, 10))
    assert "The last day you are unavailable must be today or in the future" in page.get_data(as_text=True)
    assert periods(db, me) == []


def test_a_period_already_started_but_not_ended_is_allowed(client, db, me, today):
    add(client, date(2027, 1, 4), today)
    assert periods(db, me) == [(date(2027, 1, 4), today)]


def test_no_more_than_two_years_ahead(client, db, me, today):
    page = add(client, date(2029, 1, 5), date(2029, 1, 12))
    assert ("The last day you are unavailable must be no more than 2 years ahead, on or before 11 January 2029"
            in page.get_data(as_text=True))
    assert periods(db, me) == []
    add(client, date(2029, 1, 5), date(2029, 1, 11))
    assert periods(db, me) == [(date(2029, 1, 5), date(2029, 1, 11))]


@pytest.mark.parametrize("parts,message", [
    (("", "", ""), "Enter the first day you are unavailable"),
    (("5", "", "2027"), "The first day you are unavailable must include a month"),
    (("", "", "2027"), "The first day you are unavailable must include a day and month"),
    (("31", "2", "2027"), "The first day you are unavailable must be a real date"),
    (("5", "April", "2027"), "The first day you are unavailable must be a real date"),
    (("5", "4", "27"), "Year must include 4 numbers"),
])
def test_a_wrong_start_date_gets_a_specific_error(client, db, me, parts, message):
    data = _dates("starts_on", parts=parts) + _dates("ends_on", date(2027, 4, 16)) + [("reason", "")]
    page = post_multi(client, "/my/availability/add", data)
    assert page.status_code == 200
    summary = page.soup.select_one(".govuk-error-summary")
    assert summary is not None and message in summary.get_text()
    # the summary link lands on the day box
    assert summary.find("a")["href"] == "#starts_on" and page.soup.find("input", id="starts_on")


def legends(page) -> list[str]:
    return [" ".join(legend.get_text(" ", strip=True).split()) for legend in page.soup.select("form legend")]


@pytest.mark.parametrize("changing", [False, True], ids=["add", "change"])
def test_each_date_asks_its_question_and_its_error_names_it_as_the_question_does(client, db, me, changing):
    url = "/my/availability/add"
    if changing:
        period = factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 9))
        db.session.commit()
        url = f"/my/availability/{period.id}"
    assert legends(client.get(url)) == ["When is the first day you are unavailable?",
                                        "When is the last day you are unavailable?"]
    page = post_multi(client, url, _dates("starts_on", parts=("", "", "")) + _dates("ends_on", parts=("5", "", "2027"))
                      + [("reason", "")])
    errors = {e.find_parent("fieldset").legend.get_text(strip=True): e.get_text(" ", strip=True)
              for e in page.soup.select(".govuk-error-message")}
    assert errors == {
        "When is the first day you are unavailable?": "Error: Enter the first day you are unavailable",
        "When is the last day you are unavailable?": "Error: The last day you are unavailable must include a month",
    }
    assert "start date" not in page.get_data(as_text=True).lower()


def test_an_overlapping_period_is_joined_with_a_message(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16),
                                    reason="Annual leave")
    page = add(client, date(2027, 4, 12), date(2027, 4, 23), "Conference")
    assert ("This overlaps your leave from 5 April to 16 April 2027, so we joined them into one period"
            in page.get_data(as_text=True))
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 23))]
    merged = db.session.scalar(db.select(Unavailability).filter_by(assessor_id=me.id))
    assert merged.reason == "Conference; Annual leave"
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.merged"))


def test_a_period_that_runs_straight_on_is_joined(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    page = add(client, date(2027, 4, 17), date(2027, 4, 20))
    assert ("This runs straight on from your leave from 5 April to 16 April 2027, so we joined them into one period"
            in page.get_data(as_text=True))
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 20))]


def test_a_period_with_a_gap_of_a_day_is_kept_apart(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    add(client, date(2027, 4, 18), date(2027, 4, 20))
    assert len(periods(db, me)) == 2


def test_a_period_bridging_two_joins_all_three(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 9))
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 19), ends_on=date(2027, 4, 23))
    page = add(client, date(2027, 4, 8), date(2027, 4, 20))
    assert "5 April to 9 April 2027 and 19 April to 23 April 2027" in page.get_data(as_text=True)
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 23))]


def test_changing_a_period_joins_it_with_a_neighbour(client, db, me):
    first = factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 9))
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 19), ends_on=date(2027, 4, 23))
    db.session.commit()
    page = client.get(f"/my/availability/{first.id}")
    assert page.soup.find("input", id="starts_on")["value"] == "05"
    page = add(client, date(2027, 4, 5), date(2027, 4, 18), url=f"/my/availability/{first.id}")
    assert "runs straight on from your leave from 19 April to 23 April 2027" in page.get_data(as_text=True)
    assert periods(db, me) == [(date(2027, 4, 5), date(2027, 4, 23))]
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.changed")
                             ).before["ends_on"] == "2027-04-09"


def test_the_list_of_time_off_names_the_weekdays(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    listed = client.get("/my/availability").soup.select_one("dl.govuk-summary-list dt")
    assert listed.get_text(strip=True) == "Monday 5 April to Friday 16 April 2027"


def test_removing_a_period_asks_first_and_is_audited(client, db, me):
    u = factories.UnavailabilityFactory(assessor=me)
    db.session.commit()
    confirm = client.get(f"/my/availability/{u.id}/remove")
    assert "5 April to 16 April 2027" in confirm.get_data(as_text=True)
    assert periods(db, me)
    page = client.post(f"/my/availability/{u.id}/remove", follow_redirects=True)
    assert "You removed the time you were unavailable from 5 April to 16 April 2027" in page.get_data(as_text=True)
    assert periods(db, me) == []
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="unavailability.removed"))


def test_the_summary_is_twelve_month_tables_marking_unavailable_and_deployed_days(client, db, me):
    factories.UnavailabilityFactory(assessor=me, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    factories.DeploymentFactory(assessor=me, status="employer_confirmed")  # 1-5 March 2027
    page = client.get("/my/availability")
    captions = [c.get_text(strip=True) for c in page.soup.select("table.app-calendar__table caption")]
    assert captions[0] == "January 2027" and captions[-1] == "December 2027" and len(captions) == 12
    april = page.soup.find("caption", string="April 2027").find_parent("table")
    marked = [td.contents[0].strip() for td in april.select("td.app-calendar__day--unavailable")]
    assert marked == [str(n) for n in range(5, 17)]
    assert "unavailable" in april.select_one("td.app-calendar__day--unavailable").get_text()
    march = page.soup.find("caption", string="March 2027").find_parent("table")
    assert len(march.select("td.app-calendar__day--deployed")) == 5
    assert 'style="' not in page.get_data(as_text=True)


# --- The rules as functions -------------------------------------------------------------------

def test_period_wording():
    assert format_period(date(2027, 4, 5), date(2027, 4, 16)) == "5 April to 16 April 2027"
    assert format_period(date(2026, 12, 28), date(2027, 1, 3)) == "28 December 2026 to 3 January 2027"
    assert format_period(date(2027, 4, 5), date(2027, 4, 5)) == "5 April 2027"


def test_merge_is_transitive_and_ignores_separate_periods():
    a = Unavailability(id=1, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 3))
    b = Unavailability(id=2, starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 6))
    c = Unavailability(id=3, starts_on=date(2027, 1, 20), ends_on=date(2027, 1, 21))
    merge = merge_with(date(2027, 1, 7), date(2027, 1, 8), [c, b, a])
    assert (merge.starts_on, merge.ends_on) == (date(2027, 1, 1), date(2027, 1, 8))
    assert merge.absorbed == [a, b]


def test_twelve_months_wrap_the_year():
    months = next_twelve_months(date(2027, 11, 30), [], set())
    assert [m.caption for m in months][:3] == ["November 2027", "December 2027", "January 2028"]
    assert len(months) == 12
