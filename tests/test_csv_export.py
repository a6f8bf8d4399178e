"""The one formula-injection guard and download response every export uses (`scheduler.csv_export`).
Each page's own tests check its export exists, is filtered and goes through this guard."""
from __future__ import annotations

import csv
import io

import pytest

from scheduler.csv_export import csv_response, safe_cell


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""), (None, ""), (7, "7"), (-2, "'-2"),
])
def test_only_cells_a_spreadsheet_would_run_as_formulas_get_a_quote(value, expected):
    assert safe_cell(value) == expected


def test_csv_response_is_an_uncached_attachment_with_every_cell_guarded(app):
    with app.test_request_context():
        response = csv_response("things-2027-04-05.csv", ["Name", "Phone"],
                                [("=HYPERLINK(\"http://evil.example\")", "+44 1382 000000"), ("Ann", None)])
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="things-2027-04-05.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "Phone"], ["'=HYPERLINK(\"http://evil.example\")", "'+44 1382 000000"], ["Ann", ""]]
