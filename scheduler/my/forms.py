"""Forms an assessor fills in about themselves."""
from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from scheduler.auth.forms import current_password_field
from scheduler.employer.contacts import contact_problem
from scheduler.fields import DateRequired, GovDateField
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.models import PREFERENCE_NOTE_MAX, Specialism


def unavailability_form(you: str) -> type[AppForm]:
    """A time someone cannot be deployed, asked of the assessor ("you") or of a coordinator acting for
    them ("they"). Each date's legend asks its question, and every message names the date as the
    legend does ("the first day you are unavailable"), never a "start date" the page does not show."""
    first, last = f"first day {you} are unavailable", f"last day {you} are unavailable"

    class Form(AppForm):
        starts_on = GovDateField(f"When is the {first}?", [DateRequired(f"Enter the {first}")],
                                 noun=f"The {first}", description="For example, 5 4 2027")
        ends_on = GovDateField(f"When is the {last}?", [DateRequired(f"Enter the {last}")],
                               noun=f"The {last}", description="For example, 16 4 2027")
        reason = StringField(
            "Reason (optional)", widget=GovTextInput(),
            description="For example, annual leave. Coordinators see this; your employer does not.",
            validators=[Optional(), Length(max=200, message="Reason must be 200 characters or fewer")],
        )
        submit = SubmitField("Save", widget=GovSubmitInput())

        def __init__(self, *args, today: date, **kwargs):
            super().__init__(*args, **kwargs)
            self.today = today

        def validate_ends_on(self, field):
            from .availability import two_years_from

            if self.starts_on.data is None or field.data is None:
                return
            if field.data < self.starts_on.data:
                raise ValidationError(f"The {last} must be the same as or after the {first}")
            if field.data < self.today:
                raise ValidationError(f"The {last} must be today or in the future")
            limit = two_years_from(self.today)
            if field.data > limit:
                raise ValidationError(f"The {last} must be no more than 2 years ahead, "
                                      f"on or before {long_date(limit)}")

    return Form


UnavailabilityForm = unavailability_form("you")


class ConfirmForm(AppForm):
    """A POST with only a CSRF token: remove, reset the calendar link."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ContactForm(AppForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[InputRequired("Enter your full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField(
        "Contact email address", widget=GovTextInput(),
        description="Where we send deployment requests. This does not change the email address you sign in with.",
        validators=[InputRequired("Enter your email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"),
                    Email("Enter an email address in the correct format, like name@example.org")])
    phone = StringField("Phone number", widget=GovTextInput(),
                        validators=[InputRequired("Enter your phone number"),
                                    Length(max=40, message="Phone number must be 40 characters or fewer")])
    current_password = current_password_field("Only needed if you change your contact email address.",
                                               required=False)
    version_id = HiddenField()     # the version the form was shown from: a stale one saves nothing
    submit = SubmitField("Save", widget=GovSubmitInput())


def employer_form(your: str, you: str) -> type[AppForm]:
    """The employer, job title and new employer's manager, worded for the assessor ("your", "you") or
    for a coordinator acting for them ("their", "them"): one set of rules for a change of employer."""

    class Form(AppForm):
        employer_id = SelectField("Employer", widget=GovSelect(), coerce=int,
                                  validators=[InputRequired(f"Select {your} employer")])
        job_title = StringField("Job title", widget=GovTextInput(),
                                validators=[InputRequired(f"Enter {your} job title"),
                                            Length(max=160, message="Job title must be 160 characters or fewer")])
        contact_name = StringField(
            f"Name of the manager who can agree to release {you}", widget=GovTextInput(),
            description=f"Only needed if {your} employer has changed: we ask them to agree {your} deployments.",
            validators=[Length(max=120, message="Manager's name must be 120 characters or fewer")])
        contact_email = EmailField(
            "Manager's email address", widget=GovTextInput(),
            validators=[Length(max=254, message="Manager's email address must be 254 characters or fewer")])
        submit = SubmitField("Save", widget=GovSubmitInput())

        def __init__(self, *args, current_employer_id: int, own_email: str, **kwargs):
            super().__init__(*args, **kwargs)
            self.current_employer_id = current_employer_id
            self.own_email = own_email

        @property
        def employer_changed(self) -> bool:
            return self.employer_id.data is not None and self.employer_id.data != self.current_employer_id

        def validate_contact_name(self, field):
            if self.employer_changed and not (field.data or "").strip():
                raise ValidationError(f"Enter the name of the manager at {your} new employer")

        def validate_contact_email(self, field):
            if not self.employer_changed:
                return
            value = (field.data or "").strip()
            if not value:
                raise ValidationError(f"Enter the email address of the manager at {your} new employer")
            Email("Enter the manager's email address in the correct format, like name@example.org")(self, field)
            problem = contact_problem(value, own_email=self.own_email)
            if problem:
                raise ValidationError(problem)

    return Form


EmployerForm = employer_form("your", "you")


class SpecialismForm(AppForm):
    specialisms = SelectMultipleField(
        "Which specialisms do you hold?", widget=GovCheckboxesInput(),
        choices=Specialism.choices(),
        description="Select all that apply. A coordinator checks the change before it applies.",
        validators=[InputRequired("Select at least one specialism")],
    )
    submit = SubmitField("Ask for this change", widget=GovSubmitInput())


class RespondForm(AppForm):
    version = HiddenField()
    answer = RadioField(
        "Can you do this deployment?", widget=GovRadioInput(),
        choices=[("accept", "Yes, I accept it"), ("decline", "No, I have to decline it")],
        validators=[InputRequired("Select whether you can do this deployment")],
    )
    reason = TextAreaField(
        "If you are declining, tell us why", widget=GovTextArea(),
        description="Coordinators read this when they find someone else.",
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Send", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.answer.data == "decline" and not (field.data or "").strip():
            raise ValidationError("Enter why you cannot do this deployment")


NO_PREFERENCE = "none"


class PreferenceForm(AppForm):
    choice = RadioField(
        "Would you like to join this inspection?", widget=GovRadioInput(),
        description="Coordinators try to place you where you would like to be; it is not a promise.",
        choices=[("keen", "I'd like to join"), ("rather_not", "I'd rather not"),
                 (NO_PREFERENCE, "No preference")],
        validators=[InputRequired("Select whether you would like to join this inspection")],
    )
    note = TextAreaField(
        "Note (optional)", widget=GovTextArea(),
        description="For example, why you would like to join. Coordinators read this.",
        validators=[Optional(), Length(max=PREFERENCE_NOTE_MAX,
                                       message=f"Note must be {PREFERENCE_NOTE_MAX} characters or fewer")],
    )
    submit = SubmitField("Save your choice", widget=GovSubmitInput())
