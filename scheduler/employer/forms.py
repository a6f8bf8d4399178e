"""The employer's answer to a request for an assessor's release."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from scheduler.fields import GovDateField
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.models import MIN_DEPLOYMENT_DAYS, EmployerAgreement

REASON_MAX_CHARS = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AgreementResponseForm(AppForm):
    decision = RadioField("Do you agree to release them?", widget=GovRadioInput(),
                          choices=[("agree", "Yes, I agree"), ("decline", "No, I cannot release them")],
                          validate_choice=False)
    days_per_deployment = IntegerField("Days per deployment", widget=GovTextInput(),
                                       validators=[Optional()])
    total_days = IntegerField("Total days in the period", widget=GovTextInput(), validators=[Optional()])
    valid_from = GovDateField("Start of the period")
    valid_to = GovDateField("End of the period")
    decline_reason = TextAreaField("Why can you not release them?", widget=GovTextArea(), filters=[_strip],
                                   description="We will tell the assessor and the inspection coordinators.",
                                   validators=[Length(max=REASON_MAX_CHARS,
                                                      message=f"Reason must be {REASON_MAX_CHARS} characters "
                                                              "or fewer")])
    submit = SubmitField("Send your answer", widget=GovSubmitInput())

    def check_against(self, asked: EmployerAgreement) -> bool:
        """Validate, and hold an agreement to what was asked: fewer days or a shorter period, never more."""
        ok = self.validate()
        if self.decision.data not in ("agree", "decline"):
            self.decision.errors = [*self.decision.errors, "Select yes if you agree to release them"]
            return False
        if self.decision.data == "decline":
            if not self.decline_reason.data:
                self.decline_reason.errors = [*self.decline_reason.errors,
                                              "Enter why you cannot release them"]
                return False
            for name in ("days_per_deployment", "total_days", "valid_from", "valid_to"):
                getattr(self, name).errors = []  # the release details do not matter when declining
            return not self.decline_reason.errors
        problems = {
            "days_per_deployment": self._within(self.days_per_deployment, MIN_DEPLOYMENT_DAYS,
                                                asked.days_per_deployment, "Days per deployment",
                                                "Enter the days per deployment"),
            "total_days": self._within(self.total_days, MIN_DEPLOYMENT_DAYS, asked.total_days,
                                       "Total days", "Enter the total days"),
        }
        if not problems["total_days"] and not problems["days_per_deployment"] \
                and self.total_days.data is not None and self.days_per_deployment.data is not None \
                and self.total_days.data < self.days_per_deployment.data:
            problems["total_days"] = "Total days must be at least the days per deployment"
        if self.valid_from.data is None and not self.valid_from.errors:
            problems["valid_from"] = "Enter the start of the period"
        elif self.valid_from.data and self.valid_from.data < asked.valid_from:
            problems["valid_from"] = (f"Start of the period must be on or after "
                                      f"{long_date(asked.valid_from)}, the start you were asked for")
        if self.valid_to.data is None and not self.valid_to.errors:
            problems["valid_to"] = "Enter the end of the period"
        elif self.valid_to.data and self.valid_to.data > asked.valid_to:
            problems["valid_to"] = (f"End of the period must be on or before "
                                    f"{long_date(asked.valid_to)}, the end you were asked for")
        elif self.valid_to.data and self.valid_from.data and self.valid_to.data < self.valid_from.data:
            problems["valid_to"] = "End of the period must be after the start"
        for name, message in problems.items():
            if message:
                field = getattr(self, name)
                field.errors = [*field.errors, message]
        return ok and not any(problems.values())

    @staticmethod
    def _within(field, low: int, high: int, label: str, missing: str) -> str | None:
        if field.errors:
            field.errors[:] = [f"{label} must be a whole number, like {high}"]
            return None
        if field.data is None:
            return missing
        if field.data > high:
            return f"{label} must be {high} or fewer: you cannot agree to more than you were asked for"
        if field.data < low:
            return f"{label} must be at least {low}"
        return None
