"""What each write touched: a small log, for work that redoes only what a change concerns

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28 00:40:00

After every write the team builder's "must change" flags were worked out again for every published
deployment (issue 14). Triggers on the tables those flags read now note, in the same
transaction, the assessor and inspection each changed row concerns (0 for none; both 0: it
concerns every deployment, e.g. an employer's name or the planning policy), under the writer's
data-version row and the version the transaction gives it (migration 0012). A reader that knows the
data-version rows its last result was worked out from finds exactly the changes committed since
(scheduler.planning.flags). On PostgreSQL the transaction's version is bumped by whichever trigger
fires first and kept in a transaction-local setting (0012 kept only "bumped"); on SQLite, one writer
at a time, a row notes the version after its own bump or one more, either way newer than anything a
reader saw before the write. ``at`` (Unix seconds) lets old rows be pruned.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# table -> (its assessor column, its inspection column); '' for none
LOGGED = {"deployment": ("assessor_id", "inspection_id"), "preference": ("assessor_id", "inspection_id"),
          "assessor": ("id", ""), "unavailability": ("assessor_id", ""), "employer_agreement": ("assessor_id", ""),
          "inspection": ("", "id"), "inspection_day": ("", "inspection_id"), "seat": ("", "inspection_id"),
          "inspection_excluded_employer": ("", "inspection_id"),
          "employer": ("", ""), "employer_area": ("", ""), "area": ("", ""), "planning_policy": ("", "")}

TRANSACTION_VERSION = """
CREATE OR REPLACE FUNCTION transaction_data_version() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    bumped bigint := nullif(current_setting('scheduler.data_version_bumped', true), '')::bigint;
BEGIN
    -- once per transaction: the setting is local to it and reads '' once it has ended
    IF bumped IS NULL THEN
        INSERT INTO data_version (id, version) VALUES (pg_backend_pid(), 1)
            ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1
            RETURNING version INTO bumped;
        PERFORM set_config('scheduler.data_version_bumped', bumped::text, true);
    END IF;
    RETURN bumped;
END $$
"""
BUMP = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM transaction_data_version();
    RETURN NULL;
END $$
"""
# One statement-level trigger per event (PostgreSQL allows transition tables only so): the rows a
# statement changed are noted with one INSERT ... SELECT DISTINCT, not a function call per row.
LOG = """
CREATE OR REPLACE FUNCTION log_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    assessor text := coalesce(nullif(TG_ARGV[0], ''), '0');
    inspection text := coalesce(nullif(TG_ARGV[1], ''), '0');
    note text := 'INSERT INTO data_change (writer, version, assessor_id, inspection_id, at) '
                 'SELECT DISTINCT pg_backend_pid(), transaction_data_version(), %s, %s, '
                 'extract(epoch FROM clock_timestamp())::bigint FROM %I ON CONFLICT DO NOTHING';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO data_change (writer, version, assessor_id, inspection_id, at)
        VALUES (pg_backend_pid(), transaction_data_version(), 0, 0, extract(epoch FROM clock_timestamp())::bigint)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format(note, assessor, inspection, 'old_rows');
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format(note, assessor, inspection, 'new_rows');
    END IF;
    RETURN NULL;
END $$
"""
# the transition tables each event has
REFERENCING = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "DELETE": "OLD TABLE AS old_rows"}
ONCE_PER_TRANSACTION = """
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('scheduler.data_version_bumped', true), '') = '' THEN
        INSERT INTO data_version (id, version) VALUES (pg_backend_pid(), 1)
            ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1;
        PERFORM set_config('scheduler.data_version_bumped', 'yes', true);
    END IF;
    RETURN NULL;
END $$
"""


def _sqlite_note(row: str, assessor: str, inspection: str) -> str:
    return ("INSERT OR IGNORE INTO data_change (writer, version, assessor_id, inspection_id, at) "
            f"SELECT 1, version + 1, {f'{row}.{assessor}' if assessor else 0}, "
            f"{f'{row}.{inspection}' if inspection else 0}, CAST(strftime('%s', 'now') AS INTEGER) "
            "FROM data_version WHERE id = 1;")


def upgrade():
    op.create_table(
        'data_change',
        sa.Column('writer', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('assessor_id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('writer', 'version', 'assessor_id', 'inspection_id', name=op.f('pk_data_change')),
    )
    if op.get_bind().dialect.name == "postgresql":
        for sql in (TRANSACTION_VERSION, BUMP, LOG):
            op.execute(sql)
        for table, (assessor, inspection) in LOGGED.items():
            for event, tables in REFERENCING.items():
                op.execute(f'CREATE TRIGGER log_data_change_{event.lower()} AFTER {event} ON "{table}" '
                           f"REFERENCING {tables} FOR EACH STATEMENT "
                           f"EXECUTE FUNCTION log_data_change('{assessor}', '{inspection}')")
            op.execute(f'CREATE TRIGGER log_data_change_truncate AFTER TRUNCATE ON "{table}" '
                       f"FOR EACH STATEMENT EXECUTE FUNCTION log_data_change()")
        return
    for table, (assessor, inspection) in LOGGED.items():
        for operation, rows in (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",))):
            notes = " ".join(_sqlite_note(row, assessor, inspection) for row in rows)
            op.execute(f'CREATE TRIGGER "{table}_{operation}_logs_data_change" AFTER {operation.upper()} '
                       f'ON "{table}" BEGIN {notes} END')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in LOGGED:
            for event in (*REFERENCING, "TRUNCATE"):
                op.execute(f'DROP TRIGGER log_data_change_{event.lower()} ON "{table}"')
        op.execute(ONCE_PER_TRANSACTION)
        op.execute("DROP FUNCTION log_data_change()")
        op.execute("DROP FUNCTION transaction_data_version()")
    else:
        for table in LOGGED:
            for operation in ("insert", "update", "delete"):
                op.execute(f'DROP TRIGGER "{table}_{operation}_logs_data_change"')
    op.drop_table('data_change')
