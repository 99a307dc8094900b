"""break rota: each counter's planned breaks of a working day

- counters.break_rota: [{"at": "HH:MM", "minutes": N}, ...] in the center's local time; the
  ETA projection expects the counter to pause for them (issue 12).

Revision ID: c3a8d6f2e914
Revises: c3d5e7f9a1b2
Create Date: 2026-12-03 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a8d6f2e914'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('break_rota', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_column('break_rota')
