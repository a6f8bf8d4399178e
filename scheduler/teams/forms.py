"""Forms of the team builder."""
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
from wtforms.validators import AnyOf, InputRequired, Optional

from scheduler import planning
from scheduler.assessors.lookup import lookup
from scheduler.fields import GovDateField
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.models import AIMS, DEPLOYMENT_CAP_RANGE, Specialism
from solver import instance as si


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


NO_CHANGE = ("", "No change")
MAX_SEAT_PLACES = 20
NOTHING_VARIED = "Choose a different order of aims, or make at least one change below"


class VariantForm(AppForm):
    """A what-if build: another order of aims and changes the programme never sees. One change of
    each kind; a variant of a variant adds more."""

    aims = RadioField(
        "In what order should this variant weigh the aims?", widget=GovRadioInput(), validate_choice=False,
        choices=[(name, words) for name, (_, words) in AIMS.items()],
        validators=[InputRequired(AIMS_REQUIRED), AnyOf(list(AIMS), message=AIMS_REQUIRED)])
    mandatory_day = SelectField("Mandatory day to move or drop", widget=GovSelect(), choices=[NO_CHANGE],
                                validate_choice=False)
    day_action = RadioField("What happens to that day", widget=GovRadioInput(), validate_choice=False,
                            choices=[("move", "It moves to another day of the inspection"),
                                     ("drop", "It is no longer mandatory")])
    new_day = GovDateField("New date of the mandatory day", noun="The new date of the mandatory day",
                           description="If it moves. For example, 9 3 2027")
    assessor = StringField("Assessor who is unavailable", widget=GovTextInput(),
                           description="Their name or reference, for example Morag Lyle or A00017")
    away_from = GovDateField("First day they are unavailable", description="For example, 1 3 2027")
    away_to = GovDateField("Last day they are unavailable", description="Leave empty for a single day")
    seat_inspection = SelectField("Inspection whose seat changes", widget=GovSelect(), choices=[NO_CHANGE],
                                  validate_choice=False)
    seat_specialism = RadioField("Specialism of the seat", widget=GovRadioInput(), validate_choice=False,
                                 choices=Specialism.choices())
    seat_count = StringField("Number of places", widget=GovTextInput(),
                             description=f"From 0 to {MAX_SEAT_PLACES}. 0 removes the seat.")
    submit = SubmitField("Build the variant", widget=GovSubmitInput())

    def offer(self, instance: si.Instance, in_scope: list[str]) -> None:
        """The choices: the mandatory days and inspections of the build's own inspections."""
        ours = [instance.inspection_by_id[r] for r in in_scope if r in instance.inspection_by_id]
        self.mandatory_day.choices = [NO_CHANGE] + [(f"{i.id}|{d.isoformat()}", f"{i.id}: {long_date(d)}")
                                                    for i in ours for d in i.mandatory_days]
        self.seat_inspection.choices = [NO_CHANGE] + [(i.id, f"{i.id}: {i.title}") for i in ours]

    def variant(self, of_run: int, instance: si.Instance, aims_now: str | None) -> planning.Variant | None:
        """The variant asked for, or None with an error on each field that is wrong."""
        ok = self.validate()
        aims = self.aims.data if self.aims.data in AIMS and self.aims.data != aims_now else None
        day, away, seat = self._day(instance), self._away(instance), self._seat(instance)
        ok = ok and not any(f.errors for f in self)
        if ok and not (aims or day or away or seat):
            self.aims.errors = [NOTHING_VARIED]
            return None
        return planning.Variant(of_run, aims, day, away, seat) if ok else None

    def _day(self, instance: si.Instance) -> planning.DayChange | None:
        chosen = self.mandatory_day.data or ""
        if chosen and chosen not in {v for v, _ in self.mandatory_day.choices}:
            self.mandatory_day.errors = ["Select a mandatory day of this build's inspections"]
            return None
        if not chosen:
            if self.day_action.data or self.new_day.data:
                self.mandatory_day.errors = ["Select the mandatory day to move or drop"]
            return None
        ref, iso = chosen.split("|")
        ins, day = instance.inspection_by_id[ref], date.fromisoformat(iso)
        if self.day_action.data not in ("move", "drop"):
            self.day_action.errors = ["Select whether the mandatory day moves or is no longer mandatory"]
            return None
        if self.day_action.data == "drop":
            return planning.DayChange(ref, day)
        to = self.new_day.data
        if to is None:
            if not self.new_day.errors:
                self.new_day.errors = ["Enter the new date of the mandatory day"]
            return None
        if to not in ins.days:
            self.new_day.errors = [f"The new date must be one of {ref}'s days, from {long_date(ins.days[0])} to "
                                   f"{long_date(ins.days[-1])}"]
            return None
        if to in ins.mandatory_days:
            self.new_day.errors = [f"{long_date(to)} is already a mandatory day of {ref}"]
            return None
        return planning.DayChange(ref, day, to)

    def _away(self, instance: si.Instance) -> planning.Away | None:
        typed = (self.assessor.data or "").strip()
        start, end = self.away_from.data, self.away_to.data or self.away_from.data
        if not typed:
            if start or self.away_to.data:
                self.assessor.errors = ["Enter the name or reference of the assessor who is unavailable"]
            return None
        found = lookup(typed)
        if found.problem:
            self.assessor.errors = [found.problem]
        elif found.reference not in instance.assessor_by_id:
            self.assessor.errors = [f"{found.reference} is not an active assessor in this build's data"]
        if start is None and not self.away_from.errors:
            self.away_from.errors = ["Enter the first day the assessor is unavailable"]
        if self.assessor.errors or self.away_from.errors or self.away_to.errors or start is None or end is None:
            return None
        if end < start:
            self.away_to.errors = ["The last day they are unavailable must be on or after the first day"]
            return None
        horizon = instance.horizon
        if end < horizon.start or start > horizon.end:
            self.away_from.errors = [f"The days must overlap the period this build plans, from "
                                     f"{long_date(horizon.start)} to {long_date(horizon.end)}"]
            return None
        a = instance.assessor_by_id[found.reference]
        return planning.Away(a.id, a.name, start, end)

    def _seat(self, instance: si.Instance) -> planning.SeatChange | None:
        ref = self.seat_inspection.data or ""
        count_typed = (self.seat_count.data or "").strip()
        if ref and ref not in {v for v, _ in self.seat_inspection.choices}:
            self.seat_inspection.errors = ["Select one of this build's inspections"]
            return None
        if not ref:
            if self.seat_specialism.data or count_typed:
                self.seat_inspection.errors = ["Select the inspection whose seat changes"]
            return None
        if self.seat_specialism.data not in {s.value for s in Specialism}:
            self.seat_specialism.errors = ["Select the specialism of the seat"]
        if not count_typed:
            self.seat_count.errors = ["Enter the number of places"]
        elif not count_typed.isdecimal() or int(count_typed) > MAX_SEAT_PLACES:
            self.seat_count.errors = [f"The number of places must be a whole number from 0 to {MAX_SEAT_PLACES}"]
        if self.seat_specialism.errors or self.seat_count.errors:
            return None
        ins, count = instance.inspection_by_id[ref], int(count_typed)
        now = ins.seat(self.seat_specialism.data)
        if count == (now.count if now else 0):
            label = Specialism(self.seat_specialism.data).label.lower()
            self.seat_count.errors = [f"{ref} already has {count} {label} place{'s' if count != 1 else ''}: "
                                      "enter a different number"]
            return None
        return planning.SeatChange(ref, self.seat_specialism.data, count)


class CompareForm(AppForm):
    class Meta:
        csrf = False            # a question, sent with GET: changes nothing

    other = SelectField("Compare with", widget=GovSelect(), choices=[], validate_choice=False)
