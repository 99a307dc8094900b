"""priority index: today's priority tickets of a center without scanning the day's tickets

- ix_tickets_priority_day: (center_id, day) of the tickets with a priority (a partial index,
  on SQLite and PostgreSQL alike). Every queue build counts today's priority arrivals for the
  projection (services/queue.py expected_of); at a busy center that read filtered a day's
  1,600 tickets (1 ms on PostgreSQL at 633) and now reads the few with a priority.

Revision ID: e7b3c9d1f5a2
Revises: d4e6f8a0b2c1
Create Date: 2026-12-04 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3c9d1f5a2'
down_revision = 'd4e6f8a0b2c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(
            'ix_tickets_priority_day',
            ['center_id', 'day'],
            unique=False,
            sqlite_where=sa.text('priority IS NOT NULL'),
            postgresql_where=sa.text('priority IS NOT NULL'),
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_priority_day')
