"""The inspection form (one page, usable without JavaScript) and the programme filters."""
from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from scheduler.fields import DateRequired, GovDateField
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.models import MAX_DEPLOYMENT_DAYS, MIN_DEPLOYMENT_DAYS, InspectionStatus, InspectionType, Specialism
from scheduler.numbers import whole_number

PARTNER_BODIES: tuple[str, ...] = (
    "Care Inspectorate",
    "Education Scotland",
    "Healthcare Improvement Scotland",
    "HM Inspectorate of Constabulary in Scotland",
)
# Longest period an inspection may span: keeps the day-by-day lists usable.
MAX_PERIOD_WEEKS = 16
MAX_SEATS_PER_SPECIALISM = 20


class NumberInput(GovTextInput):
    """A text box for a whole number (GOV.UK advises against type=number)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("spellcheck", "false")
        return super().__call__(field, **kwargs)


def _number(field, noun: str) -> int | None:
    """The whole number typed in `field`, None if empty; a field error for anything else."""
    text = (field.data or "").strip()
    if not text:
        return None
    number = whole_number(text)
    if number is None:
        raise ValidationError(f"{noun} must be a whole number, like 4")
    return number


class Chosen:
    """The value (or each value) is one of the field's choices; GOV.UK wording, no 'Not a valid choice'."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        allowed = {str(value) for value, *_ in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(str(v) not in allowed for v in values if v not in (None, "")):
            raise StopValidation(self.message)


def _seat_fields() -> tuple[StringField, StringField, StringField]:
    return (
        StringField("Number of seats", widget=NumberInput(), description="Leave empty if none"),
        StringField("Minimum days", widget=NumberInput(), default=str(MIN_DEPLOYMENT_DAYS)),
        StringField("Maximum days", widget=NumberInput(), default=str(MAX_DEPLOYMENT_DAYS)),
    )


class InspectionForm(AppForm):
    # State kept in the page so a re-display loses nothing.
    version_id = HiddenField()
    days_for = HiddenField()  # "start|end" of the period the day lists were last worked out for
    proposed_for = HiddenField()  # the area whose council and NHS board were last proposed for exclusion
    acknowledged = HiddenField()  # the warnings shown (their key): "Save anyway" saves while they are the same

    title = StringField(
        "Title", widget=GovTextInput(),
        description="For example, Joint inspection of services for children and young people in Angus",
        validators=[InputRequired("Enter the title of the inspection"),
                    Length(max=200, message="Title must be 200 characters or fewer")],
    )
    type = RadioField("Type of inspection", widget=GovRadioInput(), choices=InspectionType.choices(),
                      validate_choice=False,
                      validators=[InputRequired("Select the type of inspection"),
                                  Chosen("Select the type of inspection")])
    area_id = SelectField(
        "Area", widget=GovSelect(), choices=[], validate_choice=False,
        description="Choose National only for a national thematic inspection.",
    )
    partner_bodies = SelectMultipleField(
        "Partner bodies", widget=GovCheckboxesInput(), choices=[(p, p) for p in PARTNER_BODIES],
        description="Select all that take part.", validate_choice=False,
        validators=[InputRequired("Select at least one partner body"),
                    Chosen("Select partner bodies from the list")],
    )
    status = RadioField("Status", widget=GovRadioInput(), choices=InspectionStatus.choices(),
                        default=InspectionStatus.PLANNED.value, validate_choice=False,
                        validators=[InputRequired("Select the status of the inspection"),
                                    Chosen("Select the status of the inspection")])
    starts_on = GovDateField("Start date", [DateRequired("Enter the start date")],
                             description="The first day of the inspection period. For example, 1 3 2027")
    ends_on = GovDateField("End date", [DateRequired("Enter the end date")],
                           description="The last day of the inspection period. For example, 9 4 2027")
    working_days = SelectMultipleField(
        "Working days", widget=GovCheckboxesInput(), choices=[], coerce=str, validate_choice=False,
        description="Weekdays in the period. Scottish bank holidays are shown unticked; tick one only "
                    "if the team works that day. Untick any other day the team does not work.",
    )
    mandatory_days = SelectMultipleField(
        "Mandatory days", widget=GovCheckboxesInput(), choices=[], coerce=str, validate_choice=False,
        description="Days every associate assessor on the team must attend, for example the briefing "
                    "day and the fieldwork week. Each must be a working day.",
    )
    children_count, children_min, children_max = _seat_fields()
    adults_count, adults_min, adults_max = _seat_fields()
    justice_count, justice_min, justice_max = _seat_fields()
    excluded_employers = SelectMultipleField(
        "Excluded employers", widget=GovCheckboxesInput(), choices=[], coerce=int, validate_choice=False,
        description="Staff of these employers may not join the team. We propose the area's council and "
                    "NHS board; add any other employer with a conflict of interest.",
    )
    update = SubmitField("Work out days and exclusions", widget=GovSubmitInput())
    save = SubmitField("Save inspection", widget=GovSubmitInput())
    save_anyway = SubmitField("Save anyway", widget=GovSubmitInput())

    def __init__(self, *args, areas: list[tuple[str, str]], employers: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_id.choices = [("", "National (no single area)"), *areas]
        self.excluded_employers.choices = employers
        self._employer_ids = {e for e, _ in employers}
        self._area_ids = {a for a, _ in areas}

    # ---------------------------------------------------------------- seats

    @property
    def seat_fields(self) -> list[tuple[Specialism, StringField, StringField, StringField]]:
        return [(s, self[f"{s.value}_count"], self[f"{s.value}_min"], self[f"{s.value}_max"]) for s in Specialism]

    def seats(self) -> list[tuple[str, int, int, int]]:
        """(specialism, count, min days, max days) for each specialism with seats (after validate)."""
        out = []
        for s, count, low, high in self.seat_fields:
            if (count.data or "").strip():
                out.append((s.value, int(count.data), int(low.data), int(high.data)))
        return out

    # ---------------------------------------------------------------- rules

    def validate_area_id(self, field):
        if field.data and field.data not in self._area_ids:
            raise ValidationError("Select an area from the list")
        if not field.data and self.type.data and self.type.data != InspectionType.THEMATIC.value:
            raise ValidationError("Select the area: only a national thematic inspection can be national")

    def validate_ends_on(self, field):
        if self.starts_on.data is None or field.data is None:
            return
        if field.data < self.starts_on.data:
            raise ValidationError("The end date must be the same as or after the start date")
        if (field.data - self.starts_on.data).days >= MAX_PERIOD_WEEKS * 7:
            raise ValidationError(f"The inspection period must be {MAX_PERIOD_WEEKS} weeks or shorter")

    def validate_working_days(self, field):
        allowed = {value for value, _ in self.working_days.choices}
        if any(d not in allowed for d in field.data or []):
            raise ValidationError("Select working days from the list")
        # Only once the days are listed to choose from: otherwise the period's own error says what to
        # fix, and this one would point at a list that is not on the page.
        if allowed and len(field.data or []) < MIN_DEPLOYMENT_DAYS:
            raise ValidationError(f"Select at least {MIN_DEPLOYMENT_DAYS} working days")

    def validate_mandatory_days(self, field):
        working = set(self.working_days.data or [])
        outside = [d for d in field.data or [] if d not in working]
        if outside:
            names = [long_date(date.fromisoformat(d)) for d in sorted(outside) if _is_iso(d)]
            if len(names) == 1:
                raise ValidationError(f"Mandatory days must be working days: {names[0]} is not a working day")
            listed = ", ".join(names[:-1]) + f" and {names[-1]}"
            raise ValidationError(f"Mandatory days must be working days: {listed} are not working days")

    def validate_excluded_employers(self, field):
        if any(e not in self._employer_ids for e in field.data or []):
            raise ValidationError("Select employers from the list")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = self._validate_seats() and ok
        self._errors = None  # errors were added after the fields validated: recompute form.errors
        return ok

    def _validate_seats(self) -> bool:
        ok = True
        any_seat = False
        day_count = len(self.working_days.data or []) if self.days_for.data else None
        for s, count_f, min_f, max_f in self.seat_fields:
            label = s.label.lower()
            try:
                count = _number(count_f, "Number of seats")
                if count is not None:
                    if count < 1:
                        raise ValidationError("Number of seats must be 1 or more (leave it empty for none)")
                    if count > MAX_SEATS_PER_SPECIALISM:
                        raise ValidationError(f"Number of seats must be {MAX_SEATS_PER_SPECIALISM} or fewer")
            except ValidationError as error:
                count_f.errors = [*count_f.errors, str(error)]
                ok = False
                continue
            if count is None:
                continue
            any_seat = True
            low = self._days(min_f, "Minimum days", f"Enter the minimum days for {label} seats")
            high = self._days(max_f, "Maximum days", f"Enter the maximum days for {label} seats")
            if low is None or high is None:
                ok = False
                continue
            if low > high:
                max_f.errors = [*max_f.errors,
                                f"Maximum days must be the same as or more than the minimum days ({low})"]
                ok = False
            elif day_count is not None and day_count >= MIN_DEPLOYMENT_DAYS and low > day_count:
                min_f.errors = [*min_f.errors,
                                f"Minimum days must be no more than the {day_count} working days selected"]
                ok = False
        if not any_seat and not self.children_count.errors:
            self.children_count.errors = [*self.children_count.errors,
                                          "Enter the number of seats for at least one specialism"]
            ok = False
        return ok

    def _days(self, field, noun: str, missing: str) -> int | None:
        try:
            value = _number(field, noun)
            if value is None:
                raise ValidationError(missing)
            if not MIN_DEPLOYMENT_DAYS <= value <= MAX_DEPLOYMENT_DAYS:
                raise ValidationError(f"{noun} must be between {MIN_DEPLOYMENT_DAYS} and {MAX_DEPLOYMENT_DAYS}")
        except ValidationError as error:
            field.errors = [*field.errors, str(error)]
            return None
        return value


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class ProgrammeFilterForm(AppForm):
    """GET filters for the programme: no CSRF (nothing changes), values kept in the URL."""

    class Meta:
        csrf = False

    year = SelectField("Year", widget=GovSelect(), choices=[], coerce=str)
    type = SelectField("Type", widget=GovSelect(), choices=[("", "All types"), *InspectionType.choices()])
    area = SelectField("Area", widget=GovSelect(), choices=[])
    status = SelectField("Status", widget=GovSelect(), choices=[("", "All statuses"), *InspectionStatus.choices()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())
