"""Data version without a hot row: on PostgreSQL each connection bumps its own row; solve runs can be interrupted

Revision ID: 0012
Revises: 0009
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

A solve run may now be "interrupted" (its process shut down under it). On SQLite the new CHECK
rebuilds solve_run, which drops its triggers: they are installed again as 0008 made them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0009'
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


STATUSES = ("queued", "running", "finished", "cancelled", "failed")
# As 0008: a change to only these columns (a running solve's heartbeat) does not count.
HEARTBEAT = ("heartbeat_at", "progress")


def _statuses(statuses: tuple[str, ...]) -> None:
    with op.batch_alter_table("solve_run") as batch:
        batch.drop_constraint(op.f("ck_solve_run_status_allowed"), type_="check")
        batch.create_check_constraint(op.f("ck_solve_run_status_allowed"), "status IN ({})".format(", ".join(f"'{s}'" for s in statuses)))
    if op.get_bind().dialect.name == "sqlite":
        columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("solve_run") if c["name"] not in HEARTBEAT]
        for operation, event in (("insert", "INSERT"), ("update", f"UPDATE OF {', '.join(columns)}"),
                                 ("delete", "DELETE")):
            op.execute(f'DROP TRIGGER IF EXISTS "solve_run_{operation}_bumps_data_version"')
            op.execute(f'CREATE TRIGGER "solve_run_{operation}_bumps_data_version" AFTER {event} ON "solve_run" '
                       f'BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END')


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PER_CONNECTION)
    _statuses(STATUSES + ("interrupted",))


def downgrade():
    op.execute("UPDATE solve_run SET status = 'failed' WHERE status = 'interrupted'")
    _statuses(STATUSES)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE data_version SET version = (SELECT sum(version) FROM data_version) WHERE id = 1")
        op.execute("DELETE FROM data_version WHERE id <> 1")
        op.execute(ONE_ROW)
