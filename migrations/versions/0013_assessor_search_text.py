"""Assessor search: a folded search column (name, reference, email), trigram-indexed on PostgreSQL

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 15:10:00

The column is filled here for existing assessors with the same folding the model uses
(scheduler.text.fold). Adding a column is an ALTER on SQLite too (no table rebuild), so the
data-version triggers stay in place.
"""
from alembic import op
import sqlalchemy as sa

from scheduler.text import fold


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=400), server_default='', nullable=False))
    assessor = sa.table('assessor', sa.column('id'), sa.column('name'), sa.column('reference'),
                        sa.column('email'), sa.column('search_text'))
    rows = bind.execute(sa.select(assessor.c.id, assessor.c.name, assessor.c.reference, assessor.c.email)).all()
    if rows:
        bind.execute(assessor.update().where(assessor.c.id == sa.bindparam('row_id'))
                     .values(search_text=sa.bindparam('text')),
                     [{"row_id": r.id, "text": fold(f"{r.name} {r.reference} {r.email}")} for r in rows])
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index('ix_assessor_search_text', 'assessor', ['search_text'], unique=False,
                        postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    else:
        with op.batch_alter_table('assessor', schema=None) as batch_op:
            batch_op.create_index('ix_assessor_search_text', ['search_text'], unique=False)


def downgrade():
    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.drop_index('ix_assessor_search_text')
        batch_op.drop_column('search_text')
