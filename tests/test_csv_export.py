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


# Each export and the test that parses it and checks it is in words (tests/csv_words.py).
IN_WORDS = {
    "notifications.export": "tests/notifications/test_export.py::test_the_export_is_in_words",
    "assessors.export": "tests/assessors/test_csv.py::test_the_export_is_in_words_and_imports_back",
    "teams.teams_csv": "tests/teams/test_result_and_publish.py::test_the_teams_csv_is_in_words",
}


def test_every_csv_export_has_a_test_that_it_is_in_words(app):
    from pathlib import Path

    exports = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.endswith(".csv")}
    assert exports == set(IN_WORDS)
    for test in IN_WORDS.values():
        path, name = test.split("::")
        assert f"def {name}(" in Path(path).read_text(), test
