"""What every CSV export is: words a person reads, not the service's codes. Each export's tests parse
it and pass the rows here; tests/test_csv_export.py checks that every export has such a test."""
from __future__ import annotations

import csv
import io
import re

from scheduler.models.choices import LabelledEnum
from scheduler.notifications.forms import CHOICE_LABELS

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _all(cls: type) -> list[type]:
    return [cls, *[c for sub in cls.__subclasses__() for c in _all(sub)]]


def known_codes() -> set[str]:
    """Every code the service stores for a closed vocabulary, and the bare booleans."""
    import scheduler.models  # noqa: F401  (every vocabulary defined)

    codes = {m.value for enum in _all(LabelledEnum) for m in enum}
    codes |= {code for choices in CHOICE_LABELS.values() for code in choices}
    return codes | {"yes", "no", "none", "true", "false"}


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def assert_in_words(rows: list[list[str]]) -> None:
    """No header or value is a code (alone or in a list), no date is ISO, and headers are words."""
    codes = known_codes()
    header, *body = rows
    assert body, "an export with no rows proves nothing"
    for name in header:
        assert "_" not in name and name[:1].isupper(), name
    for row in rows:
        for cell in row:
            parts = [p.strip() for p in re.split(r"[;,]", cell)]
            assert not codes & {cell, *parts}, (cell, row)
            assert not ISO_DATE.search(cell), (cell, row)
