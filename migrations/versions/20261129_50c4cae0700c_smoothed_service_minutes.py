"""smoothed service minutes

Today's running figure per service, folded in at each finish (replaces a query over the
day's finished tickets on every ETA).

Revision ID: 50c4cae0700c
Revises: 51c566af925a
Create Date: 2026-11-29 13:05:33.924729

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '50c4cae0700c'
down_revision = '51c566af925a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('smoothed_minutes', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('smoothed_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('smoothed_on')
        batch_op.drop_column('smoothed_minutes')

