"""Directory filters (a GET form), specialism decisions and the CSV import upload."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from scheduler.fields import GovDateField
from scheduler.forms import AppForm
from scheduler.models import AssessorStatus, Sector, Specialism

from .directory import NO_AGREEMENT, SORTS

ANY = ("", "Any")


class DirectoryFilterForm(AppForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

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
    submit = SubmitField("Check and import", widget=GovSubmitInput())
