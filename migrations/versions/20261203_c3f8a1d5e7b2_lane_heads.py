"""lane heads: an index for reading each lane's first waiting tickets

- ix_tickets_lane (center_id, day, status, service_id, queued_at, id): call-next and the
  "3rd in line" check read the first tickets of each lane of a service in arrival order
  without reading the rest of the queue.

Revision ID: c3f8a1d5e7b2
Revises: c3d5e7f9a1b2
Create Date: 2026-12-03 06:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3f8a1d5e7b2'
down_revision = 'c3d5e7f9a1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_tickets_lane',
        'tickets',
        ['center_id', 'day', 'status', 'service_id', 'queued_at', 'id'],
    )


def downgrade():
    op.drop_index('ix_tickets_lane', table_name='tickets')
