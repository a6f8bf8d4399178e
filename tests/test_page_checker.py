"""The page checker (tests/pages.py) refuses a question without a question: a group of inputs with no
legend, and an error message on a field nobody can see the name of. Every page the suite renders
passes through it, so these pages show it fails when it should, and passes GOV.UK's own markup."""
from __future__ import annotations

import pytest
from flask import render_template_string
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField

from scheduler.fields import DateRequired, GovDateField
from scheduler.forms import AppForm
from tests.pages import PageProblem, check_page


def page(body: str) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Question</title></head><body>
    <h1>Question</h1><form method="get" action="/answer">{body}</form></body></html>"""


def problems(body: str) -> str:
    try:
        check_page(page(body))
    except PageProblem as problem:
        return str(problem)
    return ""


DATE_BOXES = """<div class="govuk-date-input" id="starts_on-date">
  <div class="govuk-date-input__item"><label for="starts_on">Day</label><input id="starts_on" name="starts_on"></div>
  <div class="govuk-date-input__item"><label for="starts_on-month">Month</label>\
<input id="starts_on-month" name="starts_on"></div>
  <div class="govuk-date-input__item"><label for="starts_on-year">Year</label>\
<input id="starts_on-year" name="starts_on"></div>
</div>"""
RADIOS = """<div class="govuk-radios">
  <input type="radio" id="answer" name="answer" value="accept"><label for="answer">Yes, I accept it</label>
  <input type="radio" id="answer-2" name="answer" value="decline"><label for="answer-2">No, I have to decline it</label>
</div>"""
CHECKBOXES = """<div class="govuk-checkboxes">
  <input type="checkbox" id="specialisms" name="specialisms" value="children"><label for="specialisms">Children</label>
  <input type="checkbox" id="specialisms-2" name="specialisms" value="adults"><label for="specialisms-2">Adults</label>
</div>"""
GROUPS = {"date": DATE_BOXES, "radios": RADIOS, "checkboxes": CHECKBOXES}


@pytest.mark.parametrize("kind", GROUPS)
def test_a_group_of_inputs_outside_a_fieldset_fails(kind):
    assert "that is not in one <fieldset>" in problems(GROUPS[kind])


@pytest.mark.parametrize("kind", GROUPS)
@pytest.mark.parametrize("legend", ["", "<legend></legend>", "<legend class='govuk-fieldset__legend'>  </legend>"])
def test_a_group_of_inputs_whose_fieldset_has_no_legend_text_fails(kind, legend):
    assert "whose fieldset has no legend asking its question" in problems(
        f"<fieldset>{legend}{GROUPS[kind]}</fieldset>")


def test_a_radio_group_split_over_two_fieldsets_fails():
    first, second = RADIOS.split("<input", 2)[1:]
    body = (f"<fieldset><legend>Can you do it?</legend><input{first}</fieldset>"
            f"<fieldset><legend>Or?</legend><input{second}</fieldset>")
    assert "'answer' that is not in one <fieldset>" in problems(body)


def test_a_legend_that_is_not_the_fieldsets_first_child_is_no_legend():
    body = f"<fieldset><p>For example, 5 4 2027</p><legend>Start</legend>{DATE_BOXES}</fieldset>"
    assert "no legend asking its question" in problems(body)


@pytest.mark.parametrize("kind", GROUPS)
def test_a_group_in_a_fieldset_whose_legend_asks_the_question_passes(kind):
    assert problems(f"<fieldset><legend>What is the answer?</legend>{GROUPS[kind]}</fieldset>") == ""


def test_a_page_heading_legend_passes():
    html = f"""<!DOCTYPE html><html lang="en"><head><title>Can you do this deployment?</title></head><body>
    <form method="get" action="/answer"><fieldset><legend class="govuk-fieldset__legend--l">
    <h1 class="govuk-fieldset__heading">Can you do this deployment?</h1></legend>{RADIOS}</fieldset></form>
    </body></html>"""
    check_page(html)


def test_a_lone_checkbox_is_named_by_its_label():
    body = ('<div class="govuk-checkboxes"><input type="checkbox" id="agree" name="agree">'
            '<label for="agree">I have read the privacy notice</label></div>')
    assert problems(body) == ""


def error_page(field: str, summary_target: str, message: str = "Enter your name") -> str:
    return f"""<div class="govuk-error-summary"><ul class="govuk-error-summary__list">
      <li><a href="#{summary_target}">{message}</a></li></ul></div>
      <div class="govuk-form-group govuk-form-group--error">{field}</div>"""


ERROR = '<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your name</p>'


def test_an_error_on_a_field_with_a_visible_label_passes():
    field = f'<label class="govuk-label" for="name">Full name</label>{ERROR}<input id="name" name="name">'
    assert problems(error_page(field, "name")) == ""


@pytest.mark.parametrize("label", [
    '<label class="govuk-label govuk-visually-hidden" for="name">Full name</label>',
    '<label class="govuk-label" for="name"><span class="govuk-visually-hidden">Full name</span></label>',
])
def test_an_error_on_a_field_whose_label_is_hidden_fails(label):
    found = problems(error_page(f'{label}{ERROR}<input id="name" name="name">', "name"))
    assert "has an error message 'Error: Enter your name' on a field with no visible label or legend" in found
    assert "has an error summary link 'Enter your name' to a field with no visible label or legend" in found


def test_an_error_on_a_field_named_only_by_aria_label_fails():
    found = problems(error_page(f'{ERROR}<input id="name" name="name" aria-label="Full name">', "name"))
    assert "on a field with no visible label or legend" in found


@pytest.mark.parametrize("legend", [
    '<legend class="govuk-fieldset__legend govuk-visually-hidden">When does it start?</legend>',
    '<legend class="govuk-fieldset__legend"></legend>',
])
def test_an_error_on_a_date_whose_legend_is_not_visible_fails(legend):
    field = f'<fieldset>{legend}{ERROR}{DATE_BOXES}</fieldset>'
    found = problems(error_page(field, "starts_on"))
    assert "has an error message 'Error: Enter your name' on a field with no visible label or legend" in found
    # the day box's own label ("Day") does not name the date
    assert "has an error summary link 'Enter your name' to a field with no visible label or legend" in found


def test_an_error_on_radios_is_named_by_the_legend_not_an_options_label():
    field = f'<fieldset><legend class="govuk-visually-hidden">Can you do it?</legend>{ERROR}{RADIOS}</fieldset>'
    assert "on a field with no visible label or legend" in problems(error_page(field, "answer"))
    shown = field.replace(' class="govuk-visually-hidden"', "")
    assert problems(error_page(shown, "answer")) == ""


def test_an_error_summary_link_to_nothing_fails():
    field = f'<label class="govuk-label" for="name">Full name</label>{ERROR}<input id="name" name="name">'
    assert "to #full-name, which is not on the page" in problems(error_page(field, "full-name"))


def test_an_error_summary_link_to_a_section_of_the_page_is_not_a_field():
    body = ('<div class="govuk-error-summary"><ul><li><a href="#conflict">Check what is saved now</a></li></ul></div>'
            '<h2 id="conflict">What is saved now</h2>')
    assert problems(body) == ""


def test_an_error_message_that_belongs_to_no_field_fails():
    assert "that belongs to no field" in problems(ERROR)


# -- The service's own widgets, through the GOV.UK macros: the ways a question loses its legend.

class Questions(AppForm):
    class Meta:
        csrf = False

    starts_on = GovDateField("When is the first day you are unavailable?",
                             [DateRequired("Enter the first day you are unavailable")])
    answer = RadioField("Can you do this deployment?", choices=[("accept", "Yes"), ("decline", "No")])
    specialisms = SelectMultipleField("Which specialisms do you hold?",
                                      choices=[("children", "Children"), ("adults", "Adults")])
    agree = BooleanField("I understand this cannot be undone")
    name = StringField("Full name")


def render(app, body: str, data: dict | None = None) -> str:
    from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovCheckboxInput, GovRadioInput, GovTextInput

    with app.test_request_context(method="POST" if data else "GET", data=data or {}):
        form = Questions()
        form.answer.widget, form.specialisms.widget = GovRadioInput(), GovCheckboxesInput()
        form.agree.widget, form.name.widget = GovCheckboxInput(), GovTextInput()
        if data:
            form.validate()
        return render_template_string("<h1>Question</h1><form method='get' action='/answer'>" + body + "</form>",
                                      form=form).replace("<h1>", "<title>Question</title><h1>", 1)


@pytest.mark.parametrize("field", ["starts_on", "answer", "specialisms"])
def test_a_legend_given_only_classes_renders_an_empty_legend_and_fails(app, field):
    html = render(app, f'{{{{ form.{field}(params={{"fieldset": {{"legend": '
                       '{"classes": "govuk-fieldset__legend--m"}}}) }}')
    with pytest.raises(PageProblem, match="whose fieldset has no legend asking its question"):
        check_page(html)


@pytest.mark.parametrize("field", ["starts_on", "answer", "specialisms"])
def test_a_legend_given_the_question_passes_with_its_error(app, field):
    html = render(app, f'{{{{ form.{field}(params={{"fieldset": {{"legend": {{"text": form.{field}.label.text, '
                       f'"classes": "govuk-fieldset__legend--m"}}}}}}) }}}}', data={"starts_on": ["", "", ""]})
    soup = check_page(html)
    assert soup.legend.get_text(strip=True) == {"starts_on": "When is the first day you are unavailable?",
                                                "answer": "Can you do this deployment?",
                                                "specialisms": "Which specialisms do you hold?"}[field]
    if field == "starts_on":
        assert soup.select_one(".govuk-error-message") is not None


def test_a_lone_checkbox_and_a_text_field_rendered_by_the_widgets_pass(app):
    check_page(render(app, "{{ form.agree }}{{ form.name }}"))
