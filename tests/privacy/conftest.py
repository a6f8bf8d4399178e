"""Helpers for the personal-data tests: where a value appears in the whole database."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from scheduler.extensions import db as _db


def places_holding(*values: str) -> list[str]:
    """Every "table.column" whose text or JSON (as written) contains one of the values, case-insensitive.
    Reads every row of every table: an oracle independent of the code under test."""
    needles = [v.lower() for v in values]
    found = set()
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
        if not columns:
            continue
        for row in _db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)).lower()
                if any(n in text for n in needles):
                    found.add(f"{table.name}.{column.name}")
    return sorted(found)


@pytest.fixture()
def admin(sign_in):
    return sign_in("admin")
