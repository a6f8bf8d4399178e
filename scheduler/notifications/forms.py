"""Forms for the notifications register: one notification form per kind (for inspectors and, without
the partnership and notified date, for partners), status, extension, feedback, partner links, filters."""
from __future__ import annotations

import re
from datetime import datetime

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, StopValidation, ValidationError

from scheduler.fields import DateRequired, GovDateField, TodayOrPast
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.models import NotificationKind, NotificationStatus

from . import register as reg
from .deadlines import DeadlineState

TIME_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:.]\s*([0-5]\d)\s*$")


# ---------------------------------------------------------------- fields


def _date(label: str, required: str | None = None, *, past: bool = True, **kwargs) -> GovDateField:
    """A date field; unless `past` is False the date must be today or earlier (UK date)."""
    validators = [DateRequired(required)] if required else []
    if past:
        validators.append(TodayOrPast(lambda: reg.uk_today()))
    return GovDateField(label, validators, **kwargs)


def _time_field(label: str, *, required: str | None = None) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description="Use the 24-hour clock, for example 14:30" + ("" if required else ". Leave blank if not known"),
        validators=[InputRequired(required) if required else Optional(), _valid_time],
        filters=[_normalise_time],
    )


def _normalise_time(value):
    if not value:
        return value
    match = TIME_PATTERN.match(value)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else value.strip()


def _valid_time(form, field):
    if field.data and not TIME_PATTERN.match(field.data):
        raise ValidationError(f"{field.label.text} must be a real time in the 24-hour clock, like 14:30")


# DataRequired, not InputRequired, for typed text: spaces alone are no answer (a reason of "  " was saved).
def _text(label: str, required: str | None = None, max_length: int = 160, **kwargs) -> StringField:
    validators = [DataRequired(required) if required else Optional(),
                  Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")]
    return StringField(label, widget=GovTextInput(), validators=validators, **kwargs)


def _area(label: str, required: str | None = None, max_length: int = 5000, **kwargs) -> TextAreaField:
    validators = [DataRequired(required) if required else Optional(),
                  Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")]
    return TextAreaField(label, widget=GovTextArea(), validators=validators, **kwargs)


class GovRadioField(RadioField):
    """Radios whose "not one of the options" error is the same GOV.UK message as "nothing chosen"."""

    def __init__(self, *args, choice_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_message = choice_message

    def pre_validate(self, form):
        if self.data not in {value for value, _ in (self.choices or [])}:
            raise StopValidation(self.choice_message)


def _radios(label: str, choices, required: str, **kwargs) -> RadioField:
    return GovRadioField(label, choices=choices, widget=GovRadioInput(), validators=[InputRequired(required)],
                         choice_message=required, **kwargs)


YES_NO_UNDECIDED = [("yes", "Yes"), ("no", "No"), ("undecided", "Not decided yet")]
LEGAL_BASIS = [
    ("compulsory_supervision_order", "Compulsory supervision order (Children's Hearings (Scotland) Act 2011)"),
    ("section_25", "Accommodated under section 25 of the Children (Scotland) Act 1995"),
    ("permanence_order", "Permanence order"),
    ("continuing_care", "Continuing care"),
    ("throughcare_aftercare", "Throughcare and aftercare"),
    ("other", "Other"),
]
PLACEMENT = [
    ("home", "At home with parents"),
    ("kinship", "Kinship care"),
    ("foster", "Foster care"),
    ("residential", "Residential care"),
    ("secure", "Secure care"),
    ("own_tenancy", "Own tenancy or supported accommodation"),
    ("other", "Somewhere else"),
]
REVIEW_TYPES = [
    ("learning_review", "Learning review"),
    ("initial_case_review", "Initial case review (earlier term)"),
    ("significant_case_review", "Significant case review (earlier term)"),
]
ORDER_TYPES = [
    ("community_payback_order", "Community payback order"),
    ("drug_treatment_and_testing_order", "Drug treatment and testing order"),
    ("throughcare_licence", "Throughcare licence"),
]
HARM = [("death", "Death"), ("serious_harm", "Serious harm")]
CHOICE_LABELS = {name: dict(choices) for name, choices in {
    "legal_basis": LEGAL_BASIS, "placement": PLACEMENT, "review_type_named": REVIEW_TYPES,
    "order_type": ORDER_TYPES, "harm": HARM, "learning_review": YES_NO_UNDECIDED,
    "will_proceed": YES_NO_UNDECIDED,
}.items()}

DETAIL_LABELS = {
    "legal_basis": "Legal basis for being looked after",
    "placement": "Where they lived at the time of death",
    "cause": "Cause and circumstances of death",
    "learning_review": "Learning review to be held",
    "review_type_named": "Review type as named by the partnership",
    "will_proceed": "Committee will proceed to a learning review",
    "summary": "Summary",
    "outcome": "Outcome of the learning review",
    "order_type": "Order or licence",
    "harm": "Further offence charged",
}

EVENT_LABELS = {
    NotificationKind.LOOKED_AFTER_DEATH: "Date of death",
    NotificationKind.LEARNING_REVIEW_CHILDREN: "Date the child protection committee decided",
    NotificationKind.LEARNING_REVIEW_ADULTS: "Date the Chief Officers Group ratified the review",
    NotificationKind.SERIOUS_INCIDENT_REVIEW: "Date the service learned of the further offence",
}


# ---------------------------------------------------------------- notification forms, one per kind


class NotificationForm(AppForm):
    """What every kind asks. Subclasses add the kind's own questions; `DETAILS` names the answers
    kept in `Notification.details`."""

    KIND: NotificationKind
    DETAILS: tuple[str, ...] = ()
    event_time = None

    notifier_name = _text("Name of the person notifying", "Enter the name of the person notifying")
    notifier_contact = _text(
        "Their email address or phone number", "Enter an email address or phone number for the person notifying",
        max_length=254,
    )

    def validate_notified_on(self, field):
        event = self.event_date.data
        if field.data and event and field.data < event:
            raise ValidationError("Date notified must be the same as or after the "
                                  f"{self.event_date.label.text.lower()}")

    def ordered_fields(self) -> list:
        """Fields in reading order: partnership, the kind's questions, then who notified and when."""
        tail = ["notified_on", "notified_time", "notifier_name", "notifier_contact"]
        head = ["partnership"]
        skip = {"csrf_token", "submit", *head, *tail}
        fields = [f for f in self if f.name not in skip]
        return [self[n] for n in head if n in self] + fields + [self[n] for n in tail if n in self]

    def details(self) -> dict:
        return {name: getattr(self, name).data for name in self.DETAILS if getattr(self, name).data not in (None, "")}

    def apply(self, notification) -> None:
        notification.kind = self.KIND.value
        notification.event_date = self.event_date.data
        notification.event_time = self.event_time.data or None if self.event_time is not None else None
        notification.notifier_name = self.notifier_name.data.strip()
        notification.notifier_contact = self.notifier_contact.data.strip()
        for optional in ("subject_name", "subject_dob", "report_expected_on"):
            if hasattr(self, optional):
                value = getattr(self, optional).data
                setattr(notification, optional, value.strip() if isinstance(value, str) else value)
                if getattr(notification, optional) == "":
                    setattr(notification, optional, None)
        notification.details = self.details()


class DeathForm(NotificationForm):
    KIND = NotificationKind.LOOKED_AFTER_DEATH
    DETAILS = ("legal_basis", "placement", "cause", "learning_review")

    subject_name = _text("Full name of the child or young person", "Enter the full name of the child or young person")
    subject_dob = _date("Date of birth", "Enter their date of birth")
    legal_basis = _radios("Legal basis for being looked after", LEGAL_BASIS,
                          "Select the legal basis for being looked after")
    placement = _radios("Where they lived at the time of death", PLACEMENT,
                        "Select where they lived at the time of death")
    event_date = _date("Date of death", "Enter the date of death")
    event_time = _time_field("Time of death")
    cause = _area("Cause and circumstances of death, if known")
    learning_review = _radios("Will a learning review be held?", YES_NO_UNDECIDED,
                              "Select whether a learning review will be held")

    def validate_subject_dob(self, field):
        if field.data and self.event_date.data and field.data > self.event_date.data:
            raise ValidationError("Date of birth must be before the date of death")

    def apply(self, notification) -> None:
        super().apply(notification)
        notification.learning_review_held = self.learning_review.data == "yes"


class ChildrenReviewForm(NotificationForm):
    KIND = NotificationKind.LEARNING_REVIEW_CHILDREN
    DETAILS = ("review_type_named", "will_proceed", "summary")

    review_type_named = _radios("Review type as named by the partnership", REVIEW_TYPES,
                                "Select the review type the partnership named")
    will_proceed = _radios("Will the child protection committee proceed to a learning review?",
                           YES_NO_UNDECIDED,
                           "Select whether the child protection committee will proceed to a learning review")
    event_date = _date("Date the child protection committee decided",
                       required="Enter the date the child protection committee decided")
    subject_name = _text("Child's name (optional)")
    report_expected_on = _date("Date the committee expects to complete the review (optional)",
                               past=False, description="For example, 27 3 2028")
    summary = _area("Summary of the circumstances")


class AdultsReviewForm(NotificationForm):
    KIND = NotificationKind.LEARNING_REVIEW_ADULTS
    DETAILS = ("outcome",)

    event_date = _date("Date the Chief Officers Group ratified the review",
                       required="Enter the date the Chief Officers Group ratified the review")
    subject_name = _text("Adult's name (optional)")
    outcome = _area("Outcome of the learning review", "Enter the outcome of the learning review")
    report_expected_on = _date("Date the completed review will be sent (optional)", past=False,
                               description="For example, 27 3 2028")


class SeriousIncidentForm(NotificationForm):
    KIND = NotificationKind.SERIOUS_INCIDENT_REVIEW
    DETAILS = ("order_type", "harm", "summary")

    subject_name = _text("Name of the person on the order", "Enter the name of the person on the order")
    order_type = _radios("Order or licence they were on", ORDER_TYPES, "Select the order or licence")
    harm = _radios("Further offence charged", HARM,
                   "Select whether the further offence charged caused death or serious harm")
    event_date = _date("Date the service learned of the further offence",
                       required="Enter the date the service learned of the further offence")
    summary = _area("What happened", "Enter what happened")


KIND_FORMS: dict[str, type[NotificationForm]] = {
    form.KIND.value: form for form in (DeathForm, ChildrenReviewForm, AdultsReviewForm, SeriousIncidentForm)
}


def inspector_form(kind: str, areas: list[tuple[str, str]]) -> NotificationForm:
    """The kind's form with the partnership and the date and time the partnership notified."""
    base = KIND_FORMS[kind]

    class InspectorForm(base):
        partnership = SelectField(
            "Partnership (council area)", widget=GovSelect(),
            validators=[InputRequired("Select the partnership (council area) that notified")],
        )
        notified_on = _date("Date notified", "Enter the date the partnership notified")
        notified_time = _time_field("Time notified", required="Enter the time the partnership notified")
        submit = SubmitField("Add to register", widget=GovSubmitInput())

        def notified_at(self) -> datetime:
            hours, minutes = (int(p) for p in self.notified_time.data.split(":"))
            return datetime.combine(self.notified_on.data, datetime.min.time()).replace(hour=hours, minute=minutes)

    InspectorForm.__name__ = f"Inspector{base.__name__}"
    form = InspectorForm()
    form.partnership.choices = [("", "Choose a partnership"), *areas]
    return form


def partner_form(kind: str) -> NotificationForm:
    base = KIND_FORMS[kind]

    class PartnerForm(base):
        submit = SubmitField("Send notification", widget=GovSubmitInput())

    PartnerForm.__name__ = f"Partner{base.__name__}"
    return PartnerForm()


class KindForm(AppForm):
    kind = _radios("What are you notifying?", NotificationKind.choices(), "Select what you are notifying")
    submit = SubmitField("Continue", widget=GovSubmitInput())


# ---------------------------------------------------------------- record changes
#
# Each form is given what its checks compare against (the event date, the current due date), so
# every field is checked in the same round: one submission shows every problem at once.


class VersionedForm(AppForm):
    """A change to a notification, made from the version the form was shown (see routes._conflict)."""

    version = HiddenField()


class AfterTheEvent(VersionedForm):
    """A change whose date cannot come before the event the notification's clocks run from."""

    def __init__(self, *, event_date, event_label: str, **kwargs):
        super().__init__(**kwargs)
        self.event_date, self.event_label = event_date, event_label

    def on_or_after_event(self, field) -> None:
        if field.data and field.data < self.event_date:
            raise ValidationError(f"{field.label.text} must be on or after the {self.event_label.lower()}")


class StatusForm(AfterTheEvent):
    status = _radios("New status", [], "Select the new status")
    on_date = _date("Date the report arrived",
                    description="Needed when the report has arrived. For example, 27 3 2028")
    submit = SubmitField("Save status", widget=GovSubmitInput())

    def validate_on_date(self, field):
        if field.data is None and self.status.data == NotificationStatus.REPORT_RECEIVED:
            raise ValidationError("Enter the date the report arrived")
        self.on_or_after_event(field)


class ExtensionForm(VersionedForm):
    new_due_on = _date("New due date", "Enter the new due date", past=False,
                       description="For example, 27 3 2028")
    reason = _area("Reason for the extension", "Enter the reason for the extension", max_length=2000)
    submit = SubmitField("Grant extension", widget=GovSubmitInput())

    def __init__(self, *, current_due_on, **kwargs):
        super().__init__(**kwargs)
        self.current_due_on = current_due_on

    def validate_new_due_on(self, field):
        if field.data <= self.current_due_on:
            raise ValidationError(f"New due date must be after the current due date, {long_date(self.current_due_on)}")


class FeedbackForm(AfterTheEvent):
    given_on = _date("Date the feedback was given", "Enter the date the feedback was given")
    text = _area("Feedback", "Enter the feedback", max_length=10000)
    submit = SubmitField("Save feedback", widget=GovSubmitInput())

    def validate_given_on(self, field):
        self.on_or_after_event(field)


class ReopenForm(VersionedForm):
    reason = _area("Reason for reopening", "Enter the reason for reopening", max_length=2000,
                   description="This is kept in the notification's history")
    submit = SubmitField("Reopen notification", widget=GovSubmitInput())


LINK_VALIDITY = [("7", "1 week"), ("14", "2 weeks"), ("30", "30 days"), ("90", "90 days")]


class PartnerLinkForm(AppForm):
    partnership = SelectField("Partnership (council area)", widget=GovSelect(),
                              validators=[InputRequired("Select the partnership")])
    contact_email = StringField(
        "Partnership contact's email address", widget=GovTextInput(),
        description="We will email the link to this address",
        validators=[InputRequired("Enter the contact's email address"),
                    Length(max=254, message="Email address must be 254 characters or fewer"),
                    Email("Enter an email address in the correct format, like name@example.org")],
    )
    valid_days = _radios("How long the link works", LINK_VALIDITY, "Select how long the link works", default="30")
    submit = SubmitField("Create and send link", widget=GovSubmitInput())


class FilterForm(AppForm):
    class Meta:
        csrf = False

    kind = SelectField("Kind", widget=GovSelect(), validators=[Optional()],
                       choices=[("", "All kinds"), *NotificationKind.choices()])
    partnership = SelectField("Partnership", widget=GovSelect(), validators=[Optional()])
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()],
                         choices=[("", "All statuses"), *NotificationStatus.choices()])
    deadline = SelectField("Next deadline", widget=GovSelect(), validators=[Optional()],
                           choices=[("", "Any"), *[(s.value, s.label) for s in DeadlineState if s.is_open],
                                    ("none", "No open deadline")])
    retention = BooleanField("Due for retention review", widget=GovCheckboxInput(), validators=[Optional()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())
