"""The one GOV.UK date field every form uses: what each kind of wrong date says, and that odd input
never crashes."""
from __future__ import annotations

from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from scheduler.fields import DateRequired, GovDateField, TodayOrPast

TODAY = date(2027, 6, 15)


class DateForm(FlaskForm):
    class Meta:
        csrf = False

    born_on = GovDateField("Date of birth", [DateRequired("Enter your date of birth"), TodayOrPast(lambda: TODAY)])
    starts_on = GovDateField("From", noun="Start date")


def _form(app, **parts):
    data = MultiDict([(name, value) for name, values in parts.items() for value in values])
    with app.test_request_context(method="POST", data=data):
        form = DateForm()
        form.validate()
        return form, str(form.born_on())


@pytest.mark.parametrize("parts,message", [
    (("", "", ""), "Enter your date of birth"),
    (("5", "", "2001"), "Date of birth must include a month"),
    (("", "", "2001"), "Date of birth must include a day and month"),
    (("31", "2", "2001"), "Date of birth must be a real date"),
    (("5", "April", "2001"), "Date of birth must be a real date"),
    (("-1", "4", "2001"), "Date of birth must be a real date"),
    (("5", "4", "01"), "Year must include 4 numbers"),
    (("5", "4", "20011"), "Year must include 4 numbers"),
    (("5", "4", "9" * 5000), "Year must include 4 numbers"),
    (("16", "6", "2027"), "Date of birth must be today or in the past"),
])
def test_each_wrong_date_says_what_to_fix(app, parts, message):
    form, _ = _form(app, born_on=parts)
    assert form.errors["born_on"] == [message]


@pytest.mark.parametrize("values", [["5"], ["5", "4"], ["5", "4", "2001", "extra"], [" 5 ", "4", "2001 "]])
def test_partial_or_extra_boxes_never_crash(app, values):
    form, html = _form(app, born_on=values)
    assert form.born_on.data in (None, date(2001, 4, 5))
    assert 'name="born_on"' in html


def test_a_real_date_today_or_earlier_is_accepted_and_kept(app):
    form, html = _form(app, born_on=("15", "6", "2027"))
    assert form.born_on.data == TODAY and not form.errors
    assert 'value="2027"' in html


def test_blank_optional_date_is_no_date_and_no_error(app):
    form, _ = _form(app, born_on=("1", "1", "2000"), starts_on=("", "", ""))
    assert form.starts_on.data is None and form.starts_on.raw_data is None and not form.errors


def test_messages_use_the_noun_when_the_label_is_short(app):
    form, _ = _form(app, born_on=("1", "1", "2000"), starts_on=("1", "", "2027"))
    assert form.errors["starts_on"] == ["Start date must include a month"]


def test_day_box_carries_the_field_id_so_the_error_summary_lands_on_it(app):
    _, html = _form(app, born_on=("5", "", "2001"))
    assert 'id="born_on"' in html and 'id="born_on-date"' in html and 'id="born_on-date-error"' in html
    assert 'id="born_on-month"' in html and 'id="born_on-year"' in html
    assert "required" not in html  # no browser validation on GOV.UK pages (and none on a <div>)
