"""The page checker's reflow rule: a data table sits in a labelled, focusable scroll region."""
from __future__ import annotations

import pytest

from tests.pages import PageProblem, check_page

PAGE = "<html><head><title>Tables</title></head><body><h1>Tables</h1>{}</body></html>"
TABLE = "<table class='govuk-table'><caption>Assessors</caption><tr><td>A</td></tr></table>"


def test_a_table_in_a_labelled_focusable_scroll_region_passes():
    check_page(PAGE.format("<div class='app-table-scroll' role='region' aria-label='Assessors' tabindex='0'>"
                           f"{TABLE}</div>"))


def test_a_months_calendar_fits_a_phone_without_a_region():
    check_page(PAGE.format("<table class='govuk-table app-calendar__table'><tr><td>1</td></tr></table>"))


@pytest.mark.parametrize("wrapper", [
    "{}",
    "<div class='app-table-scroll' role='region' tabindex='0'>{}</div>",
    "<div class='app-table-scroll' role='region' aria-label='Assessors'>{}</div>",
    "<div class='app-table-scroll' aria-label='Assessors' tabindex='0'>{}</div>",
])
def test_a_table_outside_a_labelled_focusable_scroll_region_is_refused(wrapper):
    with pytest.raises(PageProblem, match="table \\('Assessors'\\) outside a labelled, focusable scroll region"):
        check_page(PAGE.format(wrapper.format(TABLE)))
