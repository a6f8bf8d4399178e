"""Planning policy: the year's cap on deployments per assessor, set by an admin

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 15:05:00

One row at most (id 1); without it the solver's default (2) applies. The table is tracked by the
data version like every other (see 0008): the team builder's cached pages depend on the policy.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLE = "planning_policy"
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
OPERATIONS = ("insert", "update", "delete")


def upgrade():
    op.create_table(
        TABLE,
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('max_deployments_per_assessor', sa.Integer(), server_default='2', nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_planning_policy_one_row')),
        sa.CheckConstraint('max_deployments_per_assessor BETWEEN 1 AND 4',
                           name=op.f('ck_planning_policy_max_deployments_per_assessor_range')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_policy')),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE '
                   f'ON "{TABLE}" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()')
    else:
        for operation in OPERATIONS:
            op.execute(f'CREATE TRIGGER "{TABLE}_{operation}_bumps_data_version" AFTER {operation.upper()} '
                       f'ON "{TABLE}" BEGIN {BUMP}; END')


def downgrade():
    op.drop_table(TABLE)
