"""Outbox delivery state, application drafts kept server-side, an assessor's pending contact email

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 15:02:28

Messages already in the outbox were tried once when their transaction committed: those with an
error are failed (with it), the rest sent. application_draft is written by applicants on every
page of the form and read by nothing cached, so it has no data-version triggers
(scheduler.models.data_version.UNTRACKED_TABLES). Adding a column to assessor does not rebuild it
on SQLite, so its triggers stay.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_draft',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_application_draft_campaign_id_campaign'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_draft'))
    )
    with op.batch_alter_table('application_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_draft_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('assessor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_email', sa.String(length=254), nullable=True))

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_next_attempt_at'), ['next_attempt_at'], unique=False)
    op.execute("UPDATE outbox_message SET status = CASE WHEN error IS NULL THEN 'sent' ELSE 'failed' END, "
               "sent_at = CASE WHEN error IS NULL THEN created_at END")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('attempts', existing_type=sa.Integer(), server_default=None)
        batch_op.create_check_constraint('status_allowed', "status IN ('pending', 'retrying', 'sent', 'failed')")
        batch_op.create_check_constraint('retry_is_scheduled', "status <> 'retrying' OR next_attempt_at IS NOT NULL")
        batch_op.create_check_constraint('failure_has_reason', "status <> 'failed' OR error IS NOT NULL")
        batch_op.create_check_constraint('sent_has_time', "status <> 'sent' OR sent_at IS NOT NULL")


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint('sent_has_time', type_='check')
        batch_op.drop_constraint('failure_has_reason', type_='check')
        batch_op.drop_constraint('retry_is_scheduled', type_='check')
        batch_op.drop_constraint('status_allowed', type_='check')
        batch_op.drop_index(batch_op.f('ix_outbox_message_next_attempt_at'))
        batch_op.drop_column('sent_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('status')

    # Not in batch mode: a batch would rebuild assessor on SQLite and drop its data-version triggers.
    op.drop_column('assessor', 'pending_email')

    with op.batch_alter_table('application_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_draft_updated_at'))

    op.drop_table('application_draft')
