"""Dates are written for people ("5 April 2027") on every page: the checking client (tests/conftest.py)
runs `dates_in_digits` on every page the suite renders and fails on any it finds."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.visible_dates import dates_in_digits

PAGE = """<html><head><title>Due 2027-04-05</title><script>var due = "2027-01-01";</script></head><body>
<h1>Agreement</h1><div class="govuk-hint">On or after 27 11 2026</div>\
<div class="govuk-hint">For example, 5 4 2027</div>
<input name="day" value="2027-04-05"><textarea name="note">2027-04-05</textarea>
<p>Starts 5 April 2027</p><td>05/04/2027</td><!-- 2027-04-05 --><p>Phone 0131 496 0000</p></body></html>"""


def test_dates_in_digits_are_found_in_visible_text_and_the_title():
    assert dates_in_digits(BeautifulSoup(PAGE, "html5lib")) == [
        "Due 2027-04-05", "On or after 27 11 2026", "05/04/2027"]


def test_a_gov_uk_example_hint_input_values_scripts_and_comments_are_not_text_to_read():
    clean = PAGE.replace("Due 2027-04-05", "Due").replace("On or after 27 11 2026", "").replace("05/04/2027", "")
    assert dates_in_digits(BeautifulSoup(clean, "html5lib")) == []


def test_the_checking_client_fails_on_a_page_that_writes_a_date_in_digits(bare_app):
    from scheduler.access import public

    page = "<!doctype html><html lang=en><head><title>Due</title></head><body><h1>Due</h1><p>{}</p></body></html>"
    bare_app.add_url_rule("/test-iso", "test_iso", public(lambda: page.format("Due on 2027-04-05")))
    bare_app.add_url_rule("/test-words", "test_words", public(lambda: page.format("Due on 5 April 2027")))
    client = bare_app.test_client()
    assert client.get("/test-words").status_code == 200
    with pytest.raises(AssertionError, match="writes dates in digits"):
        client.get("/test-iso")


def test_a_date_the_person_typed_may_be_shown_back_but_no_other():
    soup = BeautifulSoup("<main><p>No one matches 2027-02-30</p><p>Due 2027-03-01</p></main>", "html5lib")
    assert dates_in_digits(soup, typed=["2027-02-30"]) == ["Due 2027-03-01"]
