"""The deadline rules: working days with Scottish bank holidays, calendar days and months,
extensions, and the state of each deadline."""
from __future__ import annotations

from datetime import date, datetime

import holidays
import pytest

from scheduler import workdays
from scheduler.models import Extension, Notification
from scheduler.notifications import deadlines as rules
from scheduler.notifications.deadlines import DeadlineState


def notification(kind="looked_after_death", event=date(2027, 12, 24), notified=None, **kwargs) -> Notification:
    return Notification(kind=kind, event_date=event,
                        notified_at=notified or datetime.combine(event, datetime.min.time()),
                        status=kwargs.pop("status", "received"), received_at=datetime(2028, 1, 1), **kwargs)


# ------------------------------------------------------------ what the holidays package says for Scotland

def test_the_package_lists_2_january_and_st_andrews_day_as_scottish_bank_holidays():
    sct = holidays.country_holidays("GB", subdiv="SCT", years=[2026, 2027, 2028])
    assert date(2026, 1, 2) in sct and date(2026, 11, 30) in sct
    assert workdays.bank_holiday_name(date(2026, 1, 2)) is not None
    assert workdays.bank_holiday_name(date(2027, 11, 30)) is not None


def test_easter_monday_is_not_a_scottish_bank_holiday_in_the_package_but_good_friday_is():
    sct = holidays.country_holidays("GB", subdiv="SCT", years=2027)
    assert date(2027, 3, 29) not in sct  # Easter Monday 2027
    assert date(2027, 3, 26) in sct      # Good Friday 2027
    assert workdays.is_working_day(date(2027, 3, 29))
    assert not workdays.is_working_day(date(2027, 3, 26))


def test_christmas_and_new_year_2027_substitute_days_fall_as_the_package_says():
    for day in [date(2027, 12, 27), date(2027, 12, 28), date(2028, 1, 3), date(2028, 1, 4)]:
        assert workdays.bank_holiday_name(day) is not None, day


# ------------------------------------------------------------ working days

def test_death_on_friday_24_december_2027_is_due_to_be_notified_on_wednesday_29_december():
    # Sat 25, Sun 26, then Mon 27 and Tue 28 are the substitute Christmas and Boxing Day holidays.
    assert rules.notification_rule("looked_after_death", date(2027, 12, 24))[0] == date(2027, 12, 29)


def test_a_weekend_is_skipped():
    assert rules.add_working_days(date(2027, 6, 4), 1) == date(2027, 6, 7)  # Friday -> Monday


def test_st_andrews_day_is_skipped():
    # Monday 29 November 2027 -> Tuesday 30 is St Andrew's Day -> Wednesday 1 December.
    assert rules.add_working_days(date(2027, 11, 29), 1) == date(2027, 12, 1)


def test_new_year_and_2_january_are_skipped():
    # Wednesday 31 December 2025 -> Thu 1 and Fri 2 January 2026 are holidays -> Monday 5 January.
    assert rules.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_good_friday_is_skipped_and_easter_monday_counts():
    assert rules.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 29)


def test_serious_incident_notification_is_five_working_days_across_new_year():
    # From Wed 29 Dec 2027: Thu 30, Fri 31, (Mon 3, Tue 4 Jan are holidays), Wed 5, Thu 6, Fri 7.
    assert rules.notification_rule("serious_incident_review", date(2027, 12, 29))[0] == date(2028, 1, 7)


def test_an_event_on_a_holiday_counts_from_the_next_working_day():
    assert rules.add_working_days(date(2027, 12, 25), 1) == date(2027, 12, 29)


def test_working_days_must_be_positive():
    with pytest.raises(ValueError):
        rules.add_working_days(date(2027, 1, 1), 0)


# ------------------------------------------------------------ calendar days and months

def test_death_report_is_due_28_days_after_the_death():
    n = notification(event=date(2027, 12, 24))
    report = rules.report_deadline(n, date(2028, 1, 10))
    assert report.due_on == date(2028, 1, 21)


def test_no_report_clock_when_a_learning_review_is_held():
    n = notification(event=date(2027, 12, 24), learning_review_held=True)
    assert rules.report_deadline(n, date(2028, 1, 10)) is None
    assert [d.clock.value for d in rules.deadlines_for(n, date(2028, 1, 10))] == ["notification"]


def test_adult_learning_review_outcome_is_due_7_calendar_days_after_ratification():
    assert rules.notification_rule("learning_review_adults", date(2027, 6, 4))[0] == date(2027, 6, 11)


def test_children_learning_review_has_no_notification_clock_and_a_report_clock_only_if_a_date_is_given():
    n = notification(kind="learning_review_children", event=date(2027, 6, 4))
    assert rules.deadlines_for(n, date(2027, 6, 10)) == []
    n.report_expected_on = date(2027, 12, 1)
    [report] = rules.deadlines_for(n, date(2027, 6, 10))
    assert report.due_on == date(2027, 12, 1) and report.label == "Report"


def test_serious_incident_review_is_due_3_months_after_notification():
    n = notification(kind="serious_incident_review", event=date(2027, 11, 25), notified=datetime(2027, 11, 30, 12, 0))
    assert rules.report_deadline(n, date(2027, 12, 1)).due_on == date(2028, 2, 29)  # leap year, month end


@pytest.mark.parametrize("start,months,expected", [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2027, 12, 15), 3, date(2028, 3, 15)),
    (date(2027, 10, 31), 3, date(2028, 1, 31)),
    (date(2027, 5, 31), 1, date(2027, 6, 30)),
    (date(2027, 3, 10), 12, date(2028, 3, 10)),
])
def test_months_are_added_without_dateutil_clamping_to_the_month_end(start, months, expected):
    assert rules.add_months(start, months) == expected


# ------------------------------------------------------------ states

@pytest.mark.parametrize("today,completed,expected", [
    (date(2028, 1, 10), None, DeadlineState.ON_TIME),   # 11 days left
    (date(2028, 1, 15), None, DeadlineState.ON_TIME),   # 6 days left
    (date(2028, 1, 16), None, DeadlineState.DUE_SOON),  # 5 days left
    (date(2028, 1, 21), None, DeadlineState.DUE_SOON),  # due today
    (date(2028, 1, 22), None, DeadlineState.OVERDUE),
    (date(2028, 2, 1), date(2028, 1, 21), DeadlineState.MET),
    (date(2028, 2, 1), date(2028, 1, 25), DeadlineState.MET_LATE),
])
def test_state_of_a_deadline_due_21_january(today, completed, expected):
    assert rules.state_of(date(2028, 1, 21), completed, today) is expected


def test_due_soon_window_is_configurable():
    assert rules.state_of(date(2028, 1, 21), None, date(2028, 1, 11), due_soon_days=10) is DeadlineState.DUE_SOON
    assert rules.state_of(date(2028, 1, 21), None, date(2028, 1, 11)) is DeadlineState.ON_TIME


def test_notification_deadline_is_met_by_the_notified_date():
    n = notification(event=date(2027, 12, 24), notified=datetime(2027, 12, 29, 16, 0))
    [notify, _] = rules.deadlines_for(n, date(2028, 1, 10))
    assert notify.state is DeadlineState.MET
    n.notified_at = datetime(2027, 12, 30, 9, 0)
    assert rules.deadlines_for(n, date(2028, 1, 10))[0].state is DeadlineState.MET_LATE


# ------------------------------------------------------------ extensions

def test_an_extension_overrides_the_rule_and_the_latest_wins():
    n = notification(event=date(2027, 12, 1))
    assert rules.report_deadline(n, date(2028, 1, 10)).state is DeadlineState.OVERDUE
    n.extensions.append(Extension(clock="report", previous_due_on=date(2027, 12, 29), new_due_on=date(2028, 1, 14),
                                  reason="x"))
    n.extensions.append(Extension(clock="report", previous_due_on=date(2028, 1, 14), new_due_on=date(2028, 1, 31),
                                  reason="y"))
    report = rules.report_deadline(n, date(2028, 1, 10))
    assert report.due_on == date(2028, 1, 31) and report.rule_due_on == date(2027, 12, 29)
    assert report.extended and report.state is DeadlineState.ON_TIME


def test_next_deadline_is_the_earliest_open_one_and_none_once_closed():
    n = notification(event=date(2027, 12, 24), notified=datetime(2027, 12, 24, 15, 0))
    assert rules.next_deadline(n, date(2028, 1, 10)).label == "Report"
    n.status = "closed"
    assert rules.next_deadline(n, date(2028, 1, 10)) is None


# ------------------------------------------------------------ retention and quarters

def test_retention_review_counts_from_closure_or_from_receipt_while_open():
    n = notification(event=date(2020, 1, 6))
    n.received_at = datetime(2020, 1, 7, 9, 0)
    assert rules.retention_review_on(n, 2192) == date(2026, 1, 7)
    n.closed_on = date(2020, 6, 1)
    assert rules.retention_review_on(n, 2192) == date(2026, 6, 2)


def test_quarters_are_calendar_quarters():
    assert rules.quarter_of(date(2028, 3, 31)) == (2028, 1)
    assert rules.quarter_of(date(2028, 4, 1)) == (2028, 2)
    assert rules.quarter_label((2028, 4)) == "2028 Q4 (October to December)"
