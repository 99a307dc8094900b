"""hardening: sessions that end on logout

- users.session_version: part of every desk session's id; logging out or changing the
  password bumps it, so every older session cookie of that user is refused.

Revision ID: b7e2c91d3f05
Revises: a4f19c2e8b61
Create Date: 2026-12-02 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c91d3f05'
down_revision = 'a4f19c2e8b61'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
