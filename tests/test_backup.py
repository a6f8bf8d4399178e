"""Backups that restore: `make backup` of a demo database, `make restore` into a fresh one, and every
record is there. PostgreSQL only (pg_dump's custom format): runs in CI's `make test-postgres`."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from config import BASE_DIR

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgresql"),
                                reason="backups are PostgreSQL dumps: set TEST_DATABASE_URL to a PostgreSQL database")


def _scratch(suffix: str) -> str:
    """A fresh, empty database named after the test database (CI: test_backup_source)."""
    url = make_url(URL)
    name = f"{url.database}_backup_{suffix}"
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    engine = sa.create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    engine.dispose()


def _run(*command: str, url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "SCHEDULER_ENV": "development"}
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        counts = {t: connection.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def test_a_backup_of_the_demo_database_restores_every_record_into_a_fresh_one(tmp_path: Path):
    flask = str(BASE_DIR / ".venv" / "bin" / "flask")
    source, target = _scratch("source"), _scratch("target")
    backup = tmp_path / "demo.dump"
    try:
        _run(flask, "db", "upgrade", url=source)
        _run(flask, "demo", "load", url=source)
        _run("make", "--no-print-directory", "backup", f"DATABASE_URL={source}", f"BACKUP={backup}", url=source)
        assert backup.stat().st_size > 0

        _run("make", "--no-print-directory", "restore", f"DATABASE_URL={target}", f"BACKUP={backup}", url=target)
        checked = _run(flask, "db", "check", url=target)

        assert "No new upgrade operations detected" in checked
        before, after = _row_counts(source), _row_counts(target)
        assert after == before
        assert min(before[t] for t in ("assessor", "inspection", "employer_agreement", "alembic_version")) > 0
    finally:
        _drop(source)
        _drop(target)
