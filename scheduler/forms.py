"""The base of every form: text is plain text, whichever field it arrives in.

A line break in a name ends up in an email header; other control characters (C0, DEL, C1, the
Unicode line and paragraph separators) have no business in any record. `AppForm` puts
`PlainText` first on every field of every form, so a field added later cannot forget it: a
textarea (`TextAreaField`) may hold line breaks and tabs, nothing else may; a hidden field that
breaks the rule was altered on its way, so the request is refused (400) rather than shown an
error on a field nobody can see. The CSV import checks its cells with the same rule (`text_problem`)."""
from __future__ import annotations

import re

from flask import abort
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import StopValidation

from scheduler.logs import security_event

SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def text_problem(noun: str, text: str, *, multiline: bool = False) -> str | None:
    """The message for text that is not plain text ('Name must not contain ...'), else None."""
    if multiline:
        return f"{noun} must not contain control characters" if MULTI_LINE.search(text) else None
    return f"{noun} must not contain line breaks or control characters" if SINGLE_LINE.search(text) else None


class PlainText:
    """Refuses control characters in what was typed (every value sent, before it is parsed)."""

    def __call__(self, form, field):
        noun = getattr(field, "noun", None) or field.label.text
        for value in field.raw_data or ():
            problem = isinstance(value, str) and text_problem(noun, value,
                                                              multiline=isinstance(field, TextAreaField))
            if problem and isinstance(field, HiddenField):
                # Nobody typed it and nobody can see it to correct it: the request was altered.
                security_event("altered_hidden_field", field=field.name)
                abort(400)
            if problem:
                security_event("control_characters_refused", field=field.name)
                raise StopValidation(problem)


PLAIN_TEXT = PlainText()


class AppForm(FlaskForm):
    """Every form's base (a test checks that no form is built on FlaskForm directly)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            field.validators = [PLAIN_TEXT, *field.validators]
            return field
