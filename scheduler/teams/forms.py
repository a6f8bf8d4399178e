"""Forms of the team builder."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Optional

from scheduler.assessors.lookup import lookup
from scheduler.fields import GovDateField
from scheduler.forms import AppForm
from scheduler.models import AIMS, DEPLOYMENT_CAP_RANGE


class BuildForm(AppForm):
    # Messages name each date as its legend does ("First date to plan must include a month").
    start = GovDateField("First date to plan", description="For example, 1 3 2027")
    end = GovDateField("Last date to plan", description="For example, 31 3 2027")
    inspections = SelectMultipleField("Or choose inspections", widget=GovCheckboxesInput(), choices=[],
                                      validate_choice=False)
    submit = SubmitField("Build teams", widget=GovSubmitInput())

    def check(self) -> bool:
        ok = self.validate()
        known = {value for value, _ in self.inspections.choices}
        chosen = [r for r in (self.inspections.data or []) if r in known]
        self.inspections.data = chosen
        if chosen:
            return ok
        if self.start.data is None and not self.start.errors:
            self.start.errors = [*self.start.errors, "Enter the first date to plan, or choose inspections"]
            ok = False
        if self.end.data is None and not self.end.errors:
            self.end.errors = [*self.end.errors, "Enter the last date to plan"]
            ok = False
        if self.start.data and self.end.data and self.end.data < self.start.data:
            self.end.errors = [*self.end.errors, "The last date to plan must be on or after the first date to plan"]
            ok = False
        return ok


class ActionForm(AppForm):
    """A button that changes something: publish, cancel, pin, re-plan."""

    key = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())


class WhyNotForm(AppForm):
    class Meta:
        csrf = False            # a question, sent with GET: changes nothing

    assessor = StringField("Assessor's name or reference", widget=GovTextInput(), validators=[Optional()],
                           description="For example, Morag Lyle or A00017")

    def reference(self) -> str | None:
        if not (self.assessor.data or "").strip():
            return None
        found = lookup(self.assessor.data)
        self.assessor.errors = [found.problem] if found.problem else []
        return found.reference


class ReplaceForm(AppForm):
    key = RadioField("Who to replace", widget=GovRadioInput(), choices=[], validate_choice=False)
    replacement = StringField("Replace with assessor", widget=GovTextInput(),
                              description="Their name or reference, for example Morag Lyle or A00017")
    submit = SubmitField("Replace", widget=GovSubmitInput())

    def reference(self) -> str | None:
        ok = True
        if not self.key.data:
            self.key.errors = ["Select who to replace"]
            ok = False
        if not (self.replacement.data or "").strip():
            self.replacement.errors = ["Enter the name or reference of the assessor to put on the team"]
            return None
        found = lookup(self.replacement.data)
        if found.problem:
            self.replacement.errors = [found.problem]
        return found.reference if ok else None


CAPS = [str(n) for n in range(DEPLOYMENT_CAP_RANGE[0], DEPLOYMENT_CAP_RANGE[1] + 1)]
CAP_REQUIRED = "Select how many deployments one assessor may take this year"
AIMS_REQUIRED = "Select the order in which the team builder weighs its aims"


class PolicyForm(AppForm):
    max_deployments_per_assessor = RadioField(
        "How many deployments may one assessor take this year?", widget=GovRadioInput(), validate_choice=False,
        choices=[(n, f"{n} deployment{'s' if n != '1' else ''}") for n in CAPS],
        validators=[InputRequired(CAP_REQUIRED), AnyOf(CAPS, message=CAP_REQUIRED)],
        description="The team builder never gives anyone more. Their employer agreement's days still apply.")
    aims = RadioField(
        "In what order should the team builder weigh its aims?", widget=GovRadioInput(), validate_choice=False,
        choices=[(name, words) for name, (_, words) in AIMS.items()],
        validators=[InputRequired(AIMS_REQUIRED), AnyOf(list(AIMS), message=AIMS_REQUIRED)],
        description="Filling seats always comes first. Each aim only decides between teams that are equal on "
                    "the aims before it.")
    submit = SubmitField("Save", widget=GovSubmitInput())
