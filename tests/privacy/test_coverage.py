"""No table that refers to a person, or holds a person's details, can be left out of subject access
and erasure: these walk the schema (SQLAlchemy metadata) and name what is not covered."""
from __future__ import annotations

import re

import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.privacy.people import HOLDINGS, NO_PERSONAL_DATA, STAFF_ONLY

PERSON_TABLES = {"assessor", "application", "user_account"}
PERSONAL_SOUNDING = re.compile(r"(^|_)(name|email|phone|contact|address|dob)($|_)")
# Text columns with a personal-sounding name that hold no one's details: organisations and places.
ORGANISATIONS = {"area.name", "employer.name", "employer.email_domains"}


def _covered_tables() -> set[str]:
    return {h.table for h in HOLDINGS}


def test_every_table_is_either_searched_for_a_person_or_declared_to_hold_no_personal_data():
    uncovered = sorted(set(db.metadata.tables) - _covered_tables() - set(NO_PERSONAL_DATA))
    assert uncovered == [], \
        f"add these tables to HOLDINGS or NO_PERSONAL_DATA in scheduler/privacy/people.py: {uncovered}"


def test_no_table_is_both_a_holding_and_declared_free_of_personal_data():
    assert sorted(_covered_tables() & set(NO_PERSONAL_DATA)) == []


def test_every_reference_to_a_person_is_in_a_table_subject_access_covers():
    uncovered = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                target = fk.column.table.name
                where = f"{table.name}.{column.name}"
                if target in PERSON_TABLES and table.name not in _covered_tables() and where not in STAFF_ONLY:
                    uncovered.append(f"{where} -> {target}")
    assert uncovered == [], f"these columns refer to a person but no holding covers their table: {uncovered}"


def test_no_column_with_a_personal_sounding_name_sits_in_a_table_declared_free_of_personal_data():
    suspicious = [f"{table.name}.{c.name}" for table in db.metadata.sorted_tables if table.name in NO_PERSONAL_DATA
                  for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)
                  and PERSONAL_SOUNDING.search(c.name) and f"{table.name}.{c.name}" not in ORGANISATIONS]
    assert suspicious == []


def test_the_walk_would_catch_a_new_table_that_refers_to_an_assessor():
    """The check above can fail: a table added to the schema with a foreign key to assessor is named."""
    extra = sa.Table("assessor_note_probe", db.metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("assessor_id", sa.ForeignKey("assessor.id")), sa.Column("text", sa.Text))
    try:
        uncovered = sorted(set(db.metadata.tables) - _covered_tables() - set(NO_PERSONAL_DATA))
        assert uncovered == ["assessor_note_probe"]
    finally:
        db.metadata.remove(extra)
