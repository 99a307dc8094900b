"""queue intelligence: how many visits of the day a service's running figures hold

- services.smoothed_visits: the finished visits folded into smoothed_minutes/spread on
  smoothed_on, so the first visits of a day are averaged with the plan instead of each one
  swinging the figure by 30%.

Revision ID: a4f19c2e8b61
Revises: 7d3e1a9b4c20
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4f19c2e8b61'
down_revision = '7d3e1a9b4c20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('smoothed_visits', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('smoothed_visits')
