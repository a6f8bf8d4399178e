"""Personal data: when a person's details were erased, and notification tombstones

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 15:05:00

`erased_at` marks an assessor or application whose personal details were anonymised (on request or
by the retention schedule), so the schedule is idempotent and pages can say so. A notification an
inspector deletes at its retention review leaves a tombstone: reference, kind, area and dates.
The tombstone table is tracked by the data-version triggers (0008's pattern; 0012's function).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
OPERATIONS = ("insert", "update", "delete")


def upgrade():
    op.create_table('notification_tombstone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('area_id', sa.String(length=40), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('looked_after_death', 'learning_review_children', 'learning_review_adults', 'serious_incident_review')", name=op.f('ck_notification_tombstone_kind_allowed')),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_notification_tombstone_area_id_area')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user_account.id'], name=op.f('fk_notification_tombstone_deleted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_tombstone')),
    sa.UniqueConstraint('reference', name=op.f('uq_notification_tombstone_reference'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE '
                   'ON "notification_tombstone" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()')
    else:
        for operation in OPERATIONS:
            op.execute(f'CREATE TRIGGER "notification_tombstone_{operation}_bumps_data_version" '
                       f'AFTER {operation.upper()} ON "notification_tombstone" BEGIN {BUMP}; END')


def downgrade():
    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    op.drop_table('notification_tombstone')
