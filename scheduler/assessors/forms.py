"""Directory filters (a GET form), specialism decisions, the CSV import upload, and a coordinator's
changes to an assessor (status, contact details and employer)."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
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

from scheduler.fields import GovDateField
from scheduler.forms import AppForm
from scheduler.models import AssessorStatus, Sector, Specialism
from scheduler.my.forms import employer_form

from .directory import NO_AGREEMENT, SORTS

ANY = ("", "Any")
INACTIVE = "inactive"


class DirectoryFilterForm(AppForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

    q = StringField("Search by name, reference, email or employer", widget=GovTextInput(),
                    validators=[Optional(), Length(max=200, message="Search must be 200 characters or fewer")])
    specialism = SelectField("Specialism", widget=GovSelect(), choices=[ANY, *Specialism.choices()],
                             validators=[Optional()], validate_choice=False)
    sector = SelectField("Sector", widget=GovSelect(), choices=[ANY, *Sector.choices()],
                         validators=[Optional()], validate_choice=False)
    area = SelectField("Home area", widget=GovSelect(), validators=[Optional()], validate_choice=False)
    status = SelectField("Status", widget=GovSelect(), choices=[ANY, *AssessorStatus.choices()],
                         validators=[Optional()], validate_choice=False)
    agreement = SelectField(
        "Employer agreement", widget=GovSelect(),
        choices=[ANY, ("agreed", "Agreed"), ("requested", "Waiting for employer"),
                 ("declined", "Declined by employer"), ("expired", "Ended"), (NO_AGREEMENT, "No agreement")],
        validators=[Optional()], validate_choice=False,
    )
    available_from = GovDateField("Available from", noun="Available from date")
    available_to = GovDateField("Available to", noun="Available to date")
    include = SelectMultipleField("Who should the availability search include?", widget=GovCheckboxesInput(),
                                  choices=[(INACTIVE, "Also assessors who are paused or have left")],
                                  validators=[Optional()], validate_choice=False)
    sort = SelectField("Sort by", widget=GovSelect(), choices=[(k, v[0]) for k, v in SORTS.items()],
                       default="name", validators=[Optional()], validate_choice=False)
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def validate_available_from(self, field):
        if field.errors:
            return
        if field.data and self.available_to.data is None and not self.available_to.raw_data:
            raise ValidationError("Enter the date they must be available to as well")

    def validate_available_to(self, field):
        if field.errors:
            return
        if field.data and self.available_from.data is None and not self.available_from.raw_data:
            raise ValidationError("Enter the date they must be available from as well")
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError("Available to must be the same as or after available from")


class DecisionForm(AppForm):
    decision = RadioField(
        "Do you approve this change?", widget=GovRadioInput(),
        choices=[("approve", "Approve: they hold these specialisms from now"), ("reject", "Reject")],
        validators=[InputRequired("Select whether you approve the change")],
    )
    note = TextAreaField("Note to the assessor (optional)", widget=GovTextArea(),
                         validators=[Length(max=2000, message="Note must be 2,000 characters or fewer")])
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class ImportForm(AppForm):
    file = FileField("Upload a CSV file", widget=GovFileInput(),
                     validators=[FileRequired("Select a CSV file"),
                                 FileAllowed(["csv"], "The selected file must be a CSV")])
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ImportConfirmForm(AppForm):
    """The previewed file, sent back to be stored (checked again: nothing typed here but the button)."""

    content = HiddenField(validators=[InputRequired()])
    digest = HiddenField(validators=[InputRequired()])
    filename = HiddenField()
    submit = SubmitField("Import these changes", widget=GovSubmitInput())


class StatusForm(AppForm):
    status = RadioField(
        "What is their status now?", widget=GovRadioInput(),
        choices=[("active", "Active: they can be offered deployments"),
                 ("paused", "Paused: they are not offered deployments until you resume them"),
                 ("left", "Left: they are no longer an associate assessor")],
        validators=[InputRequired("Select their status")],
    )
    note = TextAreaField("Note to the assessor (optional)", widget=GovTextArea(),
                         validators=[Length(max=2000, message="Note must be 2,000 characters or fewer")])
    submit = SubmitField("Save status", widget=GovSubmitInput())


class DetailsForm(employer_form("their", "them")):
    """A coordinator editing an assessor's contact details and employer (the employer rules are the
    assessor's own: my.forms.employer_form)."""

    name = StringField("Full name", widget=GovTextInput(),
                       validators=[InputRequired("Enter their full name"),
                                   Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Contact email address", widget=GovTextInput(),
                       validators=[InputRequired("Enter their email address"),
                                   Length(max=254, message="Email address must be 254 characters or fewer"),
                                   Email("Enter an email address in the correct format, like name@example.org")])
    phone = StringField("Phone number", widget=GovTextInput(),
                        validators=[Optional(), Length(max=40, message="Phone number must be 40 characters or fewer")])
    submit = SubmitField("Save details", widget=GovSubmitInput())
