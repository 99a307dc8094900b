"""catalog version: centers.catalog_version, bumped with every change of a center's catalogue

- centers.catalog_version: incremented in the same transaction as any change of the center,
  its hours, closed days or services (or an agency), so every server process can check its
  cached copy of the catalogue with one small read (services/catalog_cache.py, issue 14).

Revision ID: d4e6f8a0b2c1
Revises: c3a8d6f2e914
Create Date: 2026-12-03 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e6f8a0b2c1'
down_revision = 'c3a8d6f2e914'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('catalog_version', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_column('catalog_version')
