"""the queue tells the truth: the center's day, opening hours, honest ETAs

- day_closures: one row per (center, local day) the server has closed (its key makes the
  closing happen once across processes);
- centers: close_grace_minutes, last_ticket_minutes; services: smoothed_spread,
  last_ticket_time; counters: state_since;
- tickets: the quote given at issue (people ahead, ETA range), and the queue index leads
  with the local day, since every queue read is one center's day.

Revision ID: 7d3e1a9b4c20
Revises: 50c4cae0700c
Create Date: 2026-12-02 07:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e1a9b4c20'
down_revision = '50c4cae0700c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'day_closures',
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tickets_expired', sa.Integer(), nullable=False),
        sa.Column('bookings_missed', sa.Integer(), nullable=False),
        sa.Column('counters_closed', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['center_id'], ['centers.id'],
            name=op.f('fk_day_closures_center_id_centers'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('center_id', 'day', name=op.f('pk_day_closures')),
    )
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('close_grace_minutes', sa.Integer(), nullable=False, server_default='30')
        )
        batch_op.add_column(sa.Column('last_ticket_minutes', sa.Integer(), nullable=True))
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('smoothed_spread', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('last_ticket_time', sa.Time(), nullable=True))
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_since', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quoted_eta_low', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quoted_eta_high', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issued_ahead', sa.Integer(), nullable=True))
        batch_op.drop_index('ix_tickets_queue')
        batch_op.create_index(
            'ix_tickets_queue', ['center_id', 'day', 'status', 'service_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_queue')
        batch_op.create_index('ix_tickets_queue', ['center_id', 'status', 'service_id'], unique=False)
        batch_op.drop_column('issued_ahead')
        batch_op.drop_column('quoted_eta_high')
        batch_op.drop_column('quoted_eta_low')
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_column('state_since')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('last_ticket_time')
        batch_op.drop_column('smoothed_spread')
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_column('last_ticket_minutes')
        batch_op.drop_column('close_grace_minutes')
    op.drop_table('day_closures')
