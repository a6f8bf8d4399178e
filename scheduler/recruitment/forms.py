"""Forms for applying (one topic a page) and for recruitment admins."""
from __future__ import annotations

import re
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from scheduler.employer.contacts import contact_problem
from scheduler.fields import DateRequired, GovDateField
from scheduler.forms import AppForm
from scheduler.models import MAX_DEPLOYMENT_DAYS, MIN_DEPLOYMENT_DAYS, ApplicationStatus, Sector, Specialism

EXPERIENCE_MAX_WORDS = 300
EXPERIENCE_MAX_CHARS = 2400  # 300 words of ordinary prose fit easily; bounds what a draft holds
CONFLICTS_MAX_CHARS = 1000
REASON_MAX_CHARS = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email(field_text: str = "email address"):
    return [
        InputRequired(f"Enter {field_text}"),
        Length(max=254, message=f"{field_text[0].upper()}{field_text[1:]} must be 254 characters or fewer"),
        Email(f"Enter {field_text} in the correct format, like name@example.org"),
    ]


def words(text: str | None) -> int:
    return len(re.findall(r"\S+", text or ""))


class WordLimit:
    def __init__(self, limit: int, message: str):
        self.limit, self.message = limit, message

    def __call__(self, form, field):
        if words(field.data) > self.limit:
            raise ValidationError(self.message)


# ---- Applying: one topic a page ------------------------------------------------------------

class AboutYouForm(AppForm):
    name = StringField("Full name", widget=GovTextInput(), filters=[_strip], validators=[
        InputRequired("Enter your full name"),
        Length(max=120, message="Full name must be 120 characters or fewer")])
    email = EmailField("Email address", widget=GovTextInput(), filters=[_strip],
                       description="We will only use this to contact you about your application.",
                       validators=_email("your email address"))
    phone = StringField("Telephone number", widget=GovTextInput(), filters=[_strip],
                        description="For international numbers include the country code.",
                        validators=[
                            InputRequired("Enter a telephone number"),
                            Length(max=40, message="Telephone number must be 40 characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_phone(self, field):
        digits = re.sub(r"\D", "", field.data or "")
        if not re.fullmatch(r"[0-9+()\s-]+", field.data or "") or not 10 <= len(digits) <= 15:
            raise ValidationError("Enter a telephone number, like 01632 960 001 or 07700 900 982")


class WhereYouLiveForm(AppForm):
    home_area = SelectField("Which council area do you live in?", widget=GovSelect(),
                            description="We never ask you to inspect the area you live in.",
                            validators=[InputRequired("Select the council area you live in")],
                            validate_choice=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_home_area(self, field):
        if field.data not in {value for value, _ in self.home_area.choices if value}:
            raise ValidationError("Select the council area you live in")


class YourJobForm(AppForm):
    employer_name = StringField("Employer", widget=GovTextInput(), filters=[_strip],
                                description="The organisation you work for, for example Fife Council.",
                                validators=[InputRequired("Enter the name of your employer"),
                                            Length(max=160, message="Employer must be 160 characters or fewer")])
    job_title = StringField("Job title", widget=GovTextInput(), filters=[_strip],
                            validators=[InputRequired("Enter your job title"),
                                        Length(max=160, message="Job title must be 160 characters or fewer")])
    sector = RadioField("Which sector do you work in?", widget=GovRadioInput(), choices=Sector.choices(),
                        validators=[InputRequired("Select the sector you work in")],
                        validate_choice=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_sector(self, field):
        if field.data not in {s.value for s in Sector}:
            raise ValidationError("Select the sector you work in")


class SpecialismsForm(AppForm):
    specialisms = SelectMultipleField("Which areas of practice are you applying for?",
                                      widget=GovCheckboxesInput(),
                                      description="Select all that apply.",
                                      validate_choice=False)
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_specialisms(self, field):
        offered = {value for value, _ in field.choices}
        if not field.data or not set(field.data) <= offered:
            raise ValidationError("Select at least one area of practice")


class ExperienceForm(AppForm):
    strategic_experience = TextAreaField(
        "Describe your strategic experience", widget=GovCharacterCount(), filters=[_strip],
        description="Tell us about your practice or management experience at a strategic level: "
                    "services you have led, improvement you have driven and partnerships you have worked in.",
        validators=[InputRequired("Describe your strategic experience"),
                    WordLimit(EXPERIENCE_MAX_WORDS,
                              f"Strategic experience must be {EXPERIENCE_MAX_WORDS} words or fewer"),
                    Length(max=EXPERIENCE_MAX_CHARS,
                           message=f"Strategic experience must be {EXPERIENCE_MAX_CHARS} characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EmployerContactForm(AppForm):
    employer_contact_name = StringField(
        "Full name of your line manager or release contact", widget=GovTextInput(), filters=[_strip],
        validators=[InputRequired("Enter the full name of the person who can agree your release"),
                    Length(max=120, message="Name must be 120 characters or fewer")])
    employer_contact_email = EmailField("Their work email address", widget=GovTextInput(), filters=[_strip],
                                        validators=_email("their work email address"))
    submit = SubmitField("Continue", widget=GovSubmitInput())
    applicant_email: str | None = None  # from the "About you" page (apply.prepare)

    def validate_employer_contact_email(self, field):
        problem = contact_problem(field.data or "", own_email=self.applicant_email)
        if problem:
            raise ValidationError(problem)


class ConflictsForm(AppForm):
    has_conflicts = RadioField(
        "Do you have any interests that could conflict with inspection work?", widget=GovRadioInput(),
        description="For example, a close relative who works in a service we might inspect, a board or "
                    "trustee role, or paid work for another organisation.",
        choices=[("yes", "Yes"), ("no", "No")], validate_choice=False,
        validators=[InputRequired("Select yes if you have any interests that could conflict with inspection work")])
    conflicts_details = TextAreaField(
        "If yes, describe them", widget=GovCharacterCount(), filters=[_strip],
        validators=[Length(max=CONFLICTS_MAX_CHARS,
                           message=f"Conflicts of interest must be {CONFLICTS_MAX_CHARS} characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_has_conflicts(self, field):
        if field.data not in {"yes", "no"}:
            raise ValidationError("Select yes if you have any interests that could conflict with inspection work")

    def validate_conflicts_details(self, field):
        if self.has_conflicts.data == "yes" and not field.data:
            raise ValidationError("Describe the interests that could conflict with inspection work")


class PrivacyForm(AppForm):
    privacy_consent = BooleanField(
        "I have read the privacy notice and agree to you using my information to assess my application",
        widget=GovCheckboxInput(), validators=[InputRequired(
            "Confirm you have read the privacy notice and agree to us using your information")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SubmitApplicationForm(AppForm):
    submit = SubmitField("Accept and send application", widget=GovSubmitInput())


# ---- Recruitment admins --------------------------------------------------------------------

class CampaignForm(AppForm):
    version_id = HiddenField()
    title = StringField("Campaign name", widget=GovTextInput(), filters=[_strip],
                        validators=[InputRequired("Enter a campaign name"),
                                    Length(max=160, message="Campaign name must be 160 characters or fewer")])
    description = TextAreaField("Description for applicants", widget=GovTextArea(), filters=[_strip],
                                description="Optional. Shown on the public recruitment page.",
                                validators=[Length(max=2000, message="Description must be 2000 characters or fewer")])
    specialisms = SelectMultipleField("Which areas of practice does it seek?", widget=GovCheckboxesInput(),
                                      choices=Specialism.choices(), validate_choice=False,
                                      description="Select all that apply.")
    opens_on = GovDateField("Scheduled opening date",
                                 description="Optional. For example, 3 2 2027. The campaign opens on this day.")
    closes_on = GovDateField("Closing date",
                                  description="Optional. For example, 31 3 2027. "
                                              "Applications close at the end of this day.")
    submit = SubmitField("Save campaign", widget=GovSubmitInput())

    def validate_specialisms(self, field):
        if not field.data or not set(field.data) <= {s.value for s in Specialism}:
            raise ValidationError("Select at least one area of practice")

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("Closing date must be the same as or after the opening date")


class CampaignOpenForm(AppForm):
    """Opening a campaign that has no closing date ahead: applicants are told when it closes."""

    closes_on = GovDateField("When do applications close?", noun="Closing date",
                             description="Applications close at the end of this day. For example, 31 3 2027",
                             validators=[DateRequired("Enter the closing date")])
    submit = SubmitField("Open the campaign", widget=GovSubmitInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_closes_on(self, field):
        if field.data < self.today:
            raise ValidationError("Closing date must be today or in the future")



class ApplicationFilterForm(AppForm):
    class Meta:
        csrf = False

    campaign = SelectField("Campaign", widget=GovSelect(), validate_choice=False)
    specialism = SelectField("Area of practice", widget=GovSelect(), validate_choice=False,
                             choices=[("", "Any")] + Specialism.choices())
    status = SelectField("Status", widget=GovSelect(), validate_choice=False,
                         choices=[("", "Any")] + ApplicationStatus.choices())
    submit = SubmitField("Filter", widget=GovSubmitInput())


class RejectForm(AppForm):
    reason = TextAreaField("Reason for rejecting", widget=GovTextArea(), filters=[_strip],
                           description="This is sent to the applicant.",
                           validators=[InputRequired("Enter the reason for rejecting the application"),
                                       Length(max=REASON_MAX_CHARS,
                                              message=f"Reason must be {REASON_MAX_CHARS} characters or fewer")])
    submit = SubmitField("Reject and tell the applicant", widget=GovSubmitInput())


class AdmitForm(AppForm):
    employer = SelectField("Employer", widget=GovSelect(), coerce=str, validate_choice=False,
                           description="The applicant wrote the employer in their own words: "
                                       "choose the matching organisation.")
    days_per_deployment = IntegerField(
        "Days per deployment to ask the employer for", widget=GovTextInput(),
        description=f"Between {MIN_DEPLOYMENT_DAYS} and {MAX_DEPLOYMENT_DAYS} days.",
        validators=[InputRequired("Enter the days per deployment"),
                    NumberRange(MIN_DEPLOYMENT_DAYS, MAX_DEPLOYMENT_DAYS,
                                f"Days per deployment must be between {MIN_DEPLOYMENT_DAYS} and "
                                f"{MAX_DEPLOYMENT_DAYS}")])
    total_days = IntegerField("Total days in the period", widget=GovTextInput(),
                              validators=[InputRequired("Enter the total days"),
                                          NumberRange(MIN_DEPLOYMENT_DAYS, 366,
                                                      f"Total days must be between {MIN_DEPLOYMENT_DAYS} and 366")])
    valid_from = GovDateField("Start of the period", validators=[DateRequired("Enter the start of the period")])
    valid_to = GovDateField("End of the period", validators=[DateRequired("Enter the end of the period")])
    submit = SubmitField("Admit and send invitation", widget=GovSubmitInput())

    def validate_employer(self, field):
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("Select the applicant's employer")

    def validate_total_days(self, field):
        if field.data is not None and self.days_per_deployment.data and field.data < self.days_per_deployment.data:
            raise ValidationError("Total days must be at least the days per deployment")

    def validate_valid_to(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError("End of the period must be after the start")



class ActionForm(AppForm):
    """A bare POST button (CSRF token only)."""
