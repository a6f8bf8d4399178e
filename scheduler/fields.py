"""The one GOV.UK date field (day, month and year boxes) and the validators that go with it.

Every form that asks for a date uses `GovDateField`: blank in every box means no date (add
`DateRequired` to make it compulsory); anything else that is not a date is an error in the Design
System's words, naming the field, and never a traceback."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import StopValidation

DATE_PARTS = ("day", "month", "year")


class AppDateInput(GovDateInput):
    """GOV.UK date input whose day box carries the field's id, so the error summary link lands on it.

    The group gets `<id>-date` (its hint and error message hang off that), and no `required`
    attribute: it means nothing on a `<div>` and GOV.UK pages do not use browser validation."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params["id"] = f"{field.id}-date"
        params["attributes"].pop("required", None)
        if params.get("items"):
            params["items"][0]["id"] = field.id
        return params


class GovDateField(DateField):
    """Day, month and year boxes, with the GOV.UK error message for each way a date can be wrong.

    `noun` names the date in messages ("Start date must include a month"); it defaults to the label."""

    widget = AppDateInput()

    def __init__(self, label=None, validators=None, *, noun: str | None = None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        self.noun = noun or self.label.text

    def process_formdata(self, valuelist):
        parts = [str(v or "").strip() for v in valuelist][:3]
        self.data = None
        if not any(parts):
            self.raw_data = None
            return
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        missing = [name for name, value in zip(DATE_PARTS, parts, strict=True) if not value]
        if missing:
            raise ValueError(f"{self.noun} must include a {' and '.join(missing)}")
        if not all(p.isdecimal() for p in parts):
            raise ValueError(f"{self.noun} must be a real date")
        if len(parts[2]) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(f"{self.noun} must be a real date") from None

    def pre_validate(self, form):
        # A date that could not be read gets no further checks: its message says what to fix.
        if self.process_errors:
            raise StopValidation()


class DateRequired:
    """Like InputRequired, but keeps a more specific message from parsing ('must include a month')."""

    field_flags = {"required": True}

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


class TodayOrPast:
    """The date, if given, is today or earlier. `today` is called at validation time (UK date)."""

    def __init__(self, today: Callable[[], date], message: str | None = None):
        self.today = today
        self.message = message

    def __call__(self, form, field):
        if field.data is not None and field.data > self.today():
            noun = getattr(field, "noun", field.label.text)
            raise StopValidation(self.message or f"{noun} must be today or in the past")
