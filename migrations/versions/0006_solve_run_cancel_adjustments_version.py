"""Team builder: cancel flag, coordinators' adjustments and plan version on solve runs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('solve_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_requested', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('adjustments', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('solve_run', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('adjustments')
        batch_op.drop_column('cancel_requested')
