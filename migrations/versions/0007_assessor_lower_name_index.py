"""Assessor directory: index on lower(name), id, the directory's default order

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 08:16:30

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.create_index('ix_assessor_lower_name', [sa.literal_column('lower(name)'), 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.drop_index('ix_assessor_lower_name')
