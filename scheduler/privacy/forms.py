"""Forms for finding a person, correcting their details and erasing them."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from scheduler.forms import AppForm

REASON_MAX_CHARS = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FindForm(AppForm):
    class Meta:
        csrf = False  # a search changes nothing

    q = StringField("Name or email address", widget=GovTextInput(), filters=[_strip],
                    validators=[InputRequired("Enter a name or email address to search for"),
                                Length(min=2, max=254, message="Enter between 2 and 254 characters")])
    submit = SubmitField("Find", widget=GovSubmitInput())


def _reason(question: str) -> TextAreaField:
    return TextAreaField(question, widget=GovTextArea(), filters=[_strip], validators=[
        InputRequired("Enter the reason, including how the person asked"),
        Length(max=REASON_MAX_CHARS, message=f"Reason must be {REASON_MAX_CHARS} characters or fewer")])


class RectifyForm(AppForm):
    name = StringField("Full name", widget=GovTextInput(), filters=[_strip],
                       validators=[InputRequired("Enter their full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired("Enter their email address"),
        Length(max=254, message="Email address must be 254 characters or fewer"),
        Email("Enter an email address in the correct format, like name@example.org")])
    phone = StringField("Phone number", widget=GovTextInput(), filters=[_strip], validators=[
        Optional(), Length(max=40, message="Phone number must be 40 characters or fewer")])
    reason = _reason("Why are you correcting their details?")
    submit = SubmitField("Save corrections", widget=GovSubmitInput())


class EraseForm(AppForm):
    reason = _reason("Why are you erasing their details?")
    confirm = BooleanField("I understand this cannot be undone", widget=GovCheckboxInput(),
                           validators=[InputRequired("Confirm that you understand this cannot be undone")])
    submit = SubmitField("Erase their personal details", widget=GovSubmitInput())
