"""Assessors' preferences ("I'd like to join" or "I'd rather not" an inspection) and the order of the aims

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 19:31:02

One row per assessor and inspection (no row: no preference). Tracked by the data-version
triggers (0008's pattern; 0012's function), as the planner's instance reads it. The planning
policy gains ``aims``: a named preset of the order the solver's levels are optimised in.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"
OPERATIONS = ("insert", "update", "delete")


def _sqlite_policy_triggers() -> None:
    """SQLite's batch mode rebuilds planning_policy, which drops its data-version triggers: put them back."""
    if op.get_bind().dialect.name == "sqlite":
        for operation in OPERATIONS:
            op.execute(f'DROP TRIGGER IF EXISTS "planning_policy_{operation}_bumps_data_version"')
            op.execute(f'CREATE TRIGGER "planning_policy_{operation}_bumps_data_version" '
                       f'AFTER {operation.upper()} ON "planning_policy" BEGIN {BUMP}; END')


def upgrade():
    op.create_table('preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('keen', 'rather_not')", name=op.f('ck_preference_kind_allowed')),
    sa.ForeignKeyConstraint(['assessor_id'], ['assessor.id'], name=op.f('fk_preference_assessor_id_assessor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_preference_inspection_id_inspection'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_preference_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preference')),
    sa.UniqueConstraint('assessor_id', 'inspection_id', name='one_per_assessor_and_inspection')
    )
    with op.batch_alter_table('preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preference_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preference_inspection_id'), ['inspection_id'], unique=False)

    with op.batch_alter_table('planning_policy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aims', sa.String(length=40), server_default='seats_days_spread_travel',
                                      nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_planning_policy_aims_allowed'),
            "aims IN ('seats_days_spread_travel', 'with_wishes', 'with_wishes_and_partnerships')")
    _sqlite_policy_triggers()

    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE '
                   'ON "preference" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()')
    else:
        for operation in OPERATIONS:
            op.execute(f'CREATE TRIGGER "preference_{operation}_bumps_data_version" '
                       f'AFTER {operation.upper()} ON "preference" BEGIN {BUMP}; END')


def downgrade():
    with op.batch_alter_table('planning_policy', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_planning_policy_aims_allowed'), type_='check')
        batch_op.drop_column('aims')
    _sqlite_policy_triggers()

    with op.batch_alter_table('preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preference_inspection_id'))
        batch_op.drop_index(batch_op.f('ix_preference_assessor_id'))

    op.drop_table('preference')