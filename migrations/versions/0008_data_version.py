"""Data version: a counter bumped by triggers on every write to a tracked table

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 10:45:00

The pages' cache (scheduler.data_cache) keys what it keeps on this counter, so it must change in
the same transaction as any write to the data those pages show, whoever writes. PostgreSQL: one
statement-level trigger per table (and on TRUNCATE). SQLite: row-level triggers for insert, update
and delete (it has no statement-level ones). Every table is tracked except those written on page
views (scheduler.models.data_version.UNTRACKED_TABLES), and updates that touch only
UNTRACKED_COLUMNS (a running solve's heartbeat, a user's last sign-in). A later migration
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
           "notification", "partner_link", "seat", "solve_run", "specialism_change_request", "unavailability",
           "user_account")
# Columns written so often that a change to them alone does not count (nothing cached shows them):
# a running solve's heartbeat and progress, every few seconds; a user's last sign-in.
UNTRACKED_COLUMNS = {"solve_run": ("heartbeat_at", "progress"), "user_account": ("last_sign_in_at",)}
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
OPERATIONS = ("insert", "update", "delete")


def _update_of(table: str) -> str:
    """UPDATE, or UPDATE OF the table's columns but the untracked ones (as they are at this revision)."""
    if table not in UNTRACKED_COLUMNS:
        return "UPDATE"
    columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)
               if c["name"] not in UNTRACKED_COLUMNS[table]]
    return f"UPDATE OF {', '.join(columns)}"


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
            op.execute(f'CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE OR {_update_of(table)} '
                       f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()')
    else:
        for table in TRACKED:
            for operation in OPERATIONS:
                event = _update_of(table) if operation == "update" else operation.upper()
                op.execute(f'CREATE TRIGGER "{table}_{operation}_bumps_data_version" AFTER {event} '
                           f'ON "{table}" BEGIN {BUMP}; END')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f'DROP TRIGGER bump_data_version ON "{table}"')
        op.execute("DROP FUNCTION bump_data_version()")
    else:
        for table in TRACKED:
            for operation in OPERATIONS:
                op.execute(f'DROP TRIGGER "{table}_{operation}_bumps_data_version"')
    op.drop_table('data_version')
