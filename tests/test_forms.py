"""Every form refuses control characters in text, with a message naming the field: one validator,
put on every field by the forms' base, so a field added later cannot forget it."""
from __future__ import annotations

import inspect
from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from wtforms import HiddenField, StringField, TextAreaField

from scheduler.forms import AppForm

# What the forms that need it are made with (their keyword-only arguments).
CONTEXT = {"today": date(2027, 1, 11), "current_employer_id": 1, "own_email": "morag@test.example", "areas": [],
           "employers": [], "event_date": date(2027, 1, 4), "event_label": "Date of death",
           "current_due_on": date(2027, 2, 1)}


def _context(cls) -> dict:
    wanted = inspect.signature(cls.__init__).parameters.values()
    return {p.name: CONTEXT[p.name] for p in wanted if p.kind is p.KEYWORD_ONLY and p.default is p.empty}


def _all_subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def _form_classes(app) -> list[type]:
    """Every form class: create_app imported every blueprint's forms; the notification forms made
    per request (inspector's and partner's) are made here too."""
    from scheduler.notifications.forms import KIND_FORMS, inspector_form, partner_form

    with app.test_request_context():
        made = [type(f(kind)) for kind in KIND_FORMS for f in (partner_form, lambda k: inspector_form(k, []))]
    known = [c for c in _all_subclasses(FlaskForm) if c.__module__.startswith("scheduler.")]
    return [*known, *[c for c in made if c not in known]]


def test_every_form_is_built_on_the_base_that_refuses_control_characters(app):
    classes = _form_classes(app)
    assert len(classes) > 40
    assert [c.__qualname__ for c in classes if not issubclass(c, AppForm)] == []


@pytest.mark.parametrize("typed", ["Morag\r\nBcc: all@evil.example", "Morag\nLyle", "Morag\x00", "Mo\x1brag",
                                   "Morag\x85", "Morag\u2028Lyle", "Mo\trag"])
def test_every_single_line_text_field_refuses_line_breaks_and_control_characters(app, typed):
    checked = 0
    with app.test_request_context():
        for cls in _form_classes(app):
            form = cls(formdata=MultiDict(), meta={"csrf": False}, **_context(cls))
            for field in form:
                if isinstance(field, HiddenField):  # what the page sent, altered: refused outright
                    field.process(MultiDict({field.name: typed}))
                    with pytest.raises(BadRequest):
                        field.validate(form)
                elif isinstance(field, StringField) and not isinstance(field, TextAreaField):
                    field.process(MultiDict({field.name: typed}))
                    assert not field.validate(form)
                    noun = getattr(field, "noun", None) or field.label.text
                    assert field.errors == [f"{noun} must not contain line breaks or control characters"], (
                        cls.__qualname__, field.name)
                    checked += 1
    assert checked > 60


def test_a_text_area_keeps_its_line_breaks_but_refuses_other_control_characters(app):
    from scheduler.recruitment.forms import ExperienceForm

    with app.test_request_context():
        fine = ExperienceForm(formdata=MultiDict({"strategic_experience": "Led a service.\r\n\r\nChaired a board.\t"}),
                              meta={"csrf": False})
        fine.validate()
        assert fine.strategic_experience.errors == []
        bad = ExperienceForm(formdata=MultiDict({"strategic_experience": "Led a\x00 service."}), meta={"csrf": False})
        bad.validate()
        assert bad.strategic_experience.errors == [
            "Describe your strategic experience must not contain control characters"]


def test_a_name_with_a_line_break_is_refused_on_the_contact_page_naming_the_field(client, db, make_user, sign_in):
    from tests import factories

    user = make_user("assessor")
    factories.AssessorFactory(user=user, name="Morag Lyle")
    sign_in(user)
    page = client.post("/my/profile/contact", data={"name": "Morag\r\nLyle", "email": "m@test.example",
                                                    "phone": "01382 1"})
    assert page.status_code == 200
    assert "Full name must not contain line breaks or control characters" in page.soup.select_one(
        ".govuk-error-summary").get_text(" ")
    assert page.soup.find(id="name")["value"].split() == ["Morag", "Lyle"]  # kept as typed (HTML reads CR LF as LF)
