"""Deployments keep the assessor's acceptance: `accepted_at`

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 18:50:00

Accepting a deployment leaves its status "proposed" (the employer has still to confirm), so lists
went on saying "Proposed" after the assessor said yes. The column records the answer; it is filled
here from the audit trail (the last "deployment.accepted" event, unless the days changed or the
assessor declined after it) for deployments still proposed or since confirmed. Adding a column is an ALTER on SQLite too, so the data-version triggers stay.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(), nullable=True))
    deployment = sa.table('deployment', sa.column('id', sa.Integer), sa.column('status', sa.String),
                          sa.column('accepted_at', sa.DateTime))
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                     sa.column('action', sa.String), sa.column('object_type', sa.String),
                     sa.column('object_id', sa.String))
    bind = op.get_bind()
    answered = {}  # deployment id -> when it was last accepted, unless its days changed since
    for row in bind.execute(sa.select(audit.c.object_id, audit.c.action, audit.c.at)
                            .where(audit.c.object_type == 'deployment',
                                   audit.c.action.in_(('deployment.accepted', 'deployment.changed',
                                                       'deployment.assessor_declined')))
                            .order_by(audit.c.at, audit.c.id)):
        answered[row.object_id] = row.at if row.action == 'deployment.accepted' else None
    still_on = set(bind.scalars(sa.select(deployment.c.id).where(
        deployment.c.status.in_(('proposed', 'employer_confirmed', 'completed')))))
    rows = [{"row_id": int(key), "at": at} for key, at in answered.items()
            if at is not None and key.isdecimal() and int(key) in still_on]
    if rows:
        bind.execute(deployment.update().where(deployment.c.id == sa.bindparam('row_id'))
                     .values(accepted_at=sa.bindparam('at')), rows)


def downgrade():
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.drop_column('accepted_at')
