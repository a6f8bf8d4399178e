"""Data version: a counter bumped by triggers on every write to a tracked table

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:45:00

The pages' cache (scheduler.data_cache) keys what it keeps on this counter, so it must change in
the same transaction as any write to the data those pages show, whoever writes. PostgreSQL: one
statement-level trigger per table (and on TRUNCATE). SQLite: row-level triggers for insert, update
and delete (it has no statement-level ones). Every table is tracked except those written on page
views (scheduler.models.data_version.UNTRACKED_TABLES); of solve_run, every column but the
heartbeat and progress a running solve writes every few seconds. A later migration
that rebuilds a table on SQLite (batch "move and copy") drops its triggers and must add them again;
tests/test_data_cache.py checks that every table has them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TRACKED = ("application", "area", "assessor", "campaign", "deployment", "employer", "employer_agreement",
           "employer_area", "extension", "feedback", "inspection", "inspection_day", "inspection_excluded_employer",
           "notification", "partner_link", "seat", "specialism_change_request", "unavailability", "user_account")
# A running solve writes its heartbeat and progress every few seconds: those columns alone do not
# count as a change (the team builder's list of builds shows neither).
SOLVE_RUN_TRACKED_COLUMNS = ("status", "scope", "objective", "bound", "instance", "plan", "error", "started_by_id",
                             "started_at", "finished_at", "published_at", "created_at", "cancel_requested",
                             "adjustments", "version")
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
OPERATIONS = ("insert", "update", "delete")


def upgrade():
    op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {BUMP}; RETURN NULL; END $$")
        for table in TRACKED:
            op.execute(f'CREATE TRIGGER bump_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                       f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")
        op.execute("CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE "
                   f"OR UPDATE OF {', '.join(SOLVE_RUN_TRACKED_COLUMNS)} ON solve_run "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()")
    else:
        for table in TRACKED:
            for operation in OPERATIONS:
                op.execute(f'CREATE TRIGGER "{table}_{operation}_bumps_data_version" AFTER {operation.upper()} '
                           f'ON "{table}" BEGIN {BUMP}; END')
        for operation in ("insert", "delete", f"update of {', '.join(SOLVE_RUN_TRACKED_COLUMNS)}"):
            op.execute(f'CREATE TRIGGER "solve_run_{operation.split()[0]}_bumps_data_version" '
                       f"AFTER {operation.upper()} ON solve_run BEGIN {BUMP}; END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in (*TRACKED, "solve_run"):
            op.execute(f'DROP TRIGGER bump_data_version ON "{table}"')
        op.execute("DROP FUNCTION bump_data_version()")
    else:
        for table in (*TRACKED, "solve_run"):
            for operation in OPERATIONS:
                op.execute(f'DROP TRIGGER "{table}_{operation}_bumps_data_version"')
    op.drop_table('data_version')
