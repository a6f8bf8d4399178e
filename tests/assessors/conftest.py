from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event


@pytest.fixture()
def coordinator(db, sign_in):
    return sign_in("coordinator")


@pytest.fixture()
def count_queries(db):
    """with count_queries() as statements: ...  -> the SQL statements run inside the block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting
