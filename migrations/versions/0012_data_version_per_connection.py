"""Data version without a hot row: on PostgreSQL each connection bumps its own row

Revision ID: 0012
Revises: 0008
Create Date: 2026-11-27 15:40:00

0008's triggers all updated the one row data_version(id=1), so every writing transaction queued
on it and two transactions touching rows in different orders could deadlock through it. Now, on
PostgreSQL, the trigger function bumps the row keyed by the writer's backend process id (inserted
on its first write), once per transaction: a connection runs one transaction at a time, so no
two writers ever wait on the same row. The version is the sum of the rows, committed with the
data it stands for and visible to the next request like the data (scheduler.data_cache). Only the
function changes: every trigger calls it by name, so the triggers 0008 installed, and those any
later migration adds with 0008's pattern, use it as they are. SQLite runs one writer at a time:
its row-level triggers keep bumping row 1.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None

PER_CONNECTION = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- once per transaction: the setting is local to it and reads '' once it has ended
    IF coalesce(current_setting('scheduler.data_version_bumped', true), '') = '' THEN
        INSERT INTO data_version (id, version) VALUES (pg_backend_pid(), 1)
            ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1;
        PERFORM set_config('scheduler.data_version_bumped', 'yes', true);
    END IF;
    RETURN NULL;
END $$
"""
ONE_ROW = ("CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
           "$$ BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PER_CONNECTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE data_version SET version = (SELECT sum(version) FROM data_version) WHERE id = 1")
        op.execute("DELETE FROM data_version WHERE id <> 1")
        op.execute(ONE_ROW)
