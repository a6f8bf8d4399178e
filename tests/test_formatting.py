"""Dates written for people, in one place: '5 April 2027', 'Monday 5 April 2027', periods."""
from __future__ import annotations

from datetime import date, datetime

from scheduler.formatting import day_list, day_span, day_with_weekday, format_period, long_date, person


def test_long_date_has_no_leading_zero_and_shows_only_the_date_of_a_datetime():
    assert long_date(date(2027, 4, 5)) == "5 April 2027"
    assert long_date(datetime(2027, 4, 5, 9, 30)) == "5 April 2027"
    assert long_date(None) == ""
    assert long_date("2027-04-05") == "5 April 2027"  # as kept in JSON (audit events)


def test_day_with_weekday():
    assert day_with_weekday(date(2027, 4, 5)) == "Monday 5 April 2027"
    assert day_with_weekday(None) == ""


def test_a_period_names_the_year_once_unless_it_changes():
    assert format_period(date(2027, 4, 5), date(2027, 4, 5)) == "5 April 2027"
    assert format_period(date(2027, 4, 5), date(2027, 4, 16)) == "5 April to 16 April 2027"
    assert format_period(date(2026, 12, 28), date(2027, 1, 3)) == "28 December 2026 to 3 January 2027"


def test_a_period_of_days_off_names_the_weekdays():
    assert format_period(date(2027, 4, 5), date(2027, 4, 16), weekdays=True) == "Monday 5 April to Friday 16 April 2027"
    assert format_period(date(2027, 4, 5), date(2027, 4, 5), weekdays=True) == "Monday 5 April 2027"
    assert (format_period(date(2026, 12, 28), date(2027, 1, 3), weekdays=True)
            == "Monday 28 December 2026 to Sunday 3 January 2027")


def test_templates_have_the_filters(app):
    render = app.jinja_env.from_string("{{ d | long_date }}; {{ d | day_with_weekday }}; {{ format_period(d, d) }}")
    assert render.render(d=date(2027, 4, 5)) == "5 April 2027; Monday 5 April 2027; 5 April 2027"


def test_a_span_of_days_is_in_words_with_its_count():
    assert day_span([]) == ""
    assert day_span(["2027-04-05"]) == "5 April 2027"
    assert day_span([date(2027, 4, 16), date(2027, 4, 5)]) == "2 days, 5 April to 16 April 2027"
    assert day_span(["2026-12-30", "2027-01-04"]) == "2 days, 30 December 2026 to 4 January 2027"


def test_a_list_of_days_names_every_day_in_words():
    assert day_list([]) == ""
    assert day_list([date(2027, 4, 5)]) == "5 April 2027"
    assert day_list(["2027-04-06", "2027-04-05"]) == "5 April 2027 and 6 April 2027"
    assert day_list(["2027-04-05", "2027-04-06", "2027-04-07"]) == "5 April 2027, 6 April 2027 and 7 April 2027"


def test_an_assessor_is_named_with_their_reference():
    assert person("Ailsa MacKay", "A00002") == "Ailsa MacKay (A00002)"
    assert person(None, "A00002") == "A00002"


def test_times_are_shown_in_uk_time_the_gov_uk_way_and_say_so():
    from scheduler.formatting import time_of_day, uk_date, uk_when

    assert uk_when(datetime(2027, 1, 5, 14, 5)) == "5 January 2027 at 2:05pm (UK time)"  # GMT: as stored
    assert uk_when(datetime(2027, 7, 5, 14, 0)) == "5 July 2027 at 3pm (UK time)"        # BST: an hour on
    assert uk_date(datetime(2027, 7, 5, 23, 30)) == "6 July 2027"                          # after midnight in the UK
    assert (time_of_day(datetime(2027, 1, 1, 0, 0)), time_of_day(datetime(2027, 1, 1, 12, 0)),
            time_of_day(datetime(2027, 1, 1, 9, 30))) == ("midnight", "midday", "9:30am")
    assert uk_when(None) == "" and uk_date(None) == ""
