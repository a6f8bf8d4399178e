"""Working days skip weekends and Scottish bank holidays, as the `holidays` package lists them."""
from __future__ import annotations

from datetime import date

from scheduler.workdays import add_working_days, is_working_day, scottish_bank_holidays, working_days


def test_scottish_bank_holidays_include_the_scottish_days():
    days = scottish_bank_holidays(2027)
    assert date(2027, 1, 1) in days  # New Year's Day (a Friday)
    assert date(2027, 8, 2) in days  # Summer bank holiday: first Monday of August in Scotland
    assert date(2027, 11, 30) in days  # St Andrew's Day (a Tuesday in 2027)
    assert "Andrew" in days[date(2027, 11, 30)]
    assert date(2027, 8, 30) not in days  # the English late-summer holiday is not Scottish


def test_second_of_january_is_a_holiday_and_gets_a_substitute_at_the_weekend():
    assert date(2026, 1, 2) in scottish_bank_holidays(2026)  # a Friday
    # In 2027 New Year's Day is a Friday and 2 January a Saturday: Monday 4 January is given instead.
    assert date(2027, 1, 4) in scottish_bank_holidays(2027)
    assert not is_working_day(date(2027, 1, 4))
    assert is_working_day(date(2027, 1, 5))


def test_christmas_and_boxing_day_substitutes_when_they_fall_at_the_weekend():
    # 2026: Christmas is a Friday, Boxing Day a Saturday: substitute Monday 28 December.
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))
    # 2027: both at the weekend: Monday 27 and Tuesday 28 December.
    holidays_2027 = scottish_bank_holidays(2027)
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= holidays_2027.keys()
    assert is_working_day(date(2027, 12, 29))


def test_st_andrews_day_on_a_monday_in_2026_is_not_a_working_day():
    assert date(2026, 11, 30).weekday() == 0
    assert not is_working_day(date(2026, 11, 30))


def test_bank_holidays_for_several_years_at_once():
    days = scottish_bank_holidays([2026, 2027])
    assert date(2026, 8, 3) in days and date(2027, 8, 2) in days


def test_working_days_exclude_weekends_and_scottish_bank_holidays():
    # Monday 23 November to Friday 4 December 2026: ten weekdays, less St Andrew's Day.
    days = working_days(date(2026, 11, 23), date(2026, 12, 4))
    assert len(days) == 9
    assert date(2026, 11, 30) not in days
    assert all(d.weekday() < 5 for d in days)
    assert days[0] == date(2026, 11, 23) and days[-1] == date(2026, 12, 4)


def test_working_days_across_new_year():
    days = working_days(date(2026, 12, 21), date(2027, 1, 8))
    assert date(2026, 12, 25) not in days and date(2026, 12, 28) not in days
    assert date(2027, 1, 1) not in days and date(2027, 1, 4) not in days
    assert days == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24),
                    date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31),
                    date(2027, 1, 5), date(2027, 1, 6), date(2027, 1, 7), date(2027, 1, 8)]


def test_working_days_of_an_empty_or_reversed_period():
    assert working_days(date(2027, 3, 6), date(2027, 3, 7)) == []  # a weekend
    assert working_days(date(2027, 3, 10), date(2027, 3, 1)) == []


def test_add_working_days_skips_weekends_and_bank_holidays():
    assert add_working_days(date(2027, 7, 30), 1) == date(2027, 8, 3)  # Friday + 1 skips the weekend and 2 August
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2027, 3, 1), 5) == date(2027, 3, 8)


def test_add_working_days_backwards_and_zero():
    assert add_working_days(date(2027, 8, 3), -1) == date(2027, 7, 30)
    assert add_working_days(date(2027, 3, 6), 0) == date(2027, 3, 8)  # Saturday rolls to Monday
    assert add_working_days(date(2027, 3, 8), 0) == date(2027, 3, 8)
