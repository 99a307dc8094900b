"""a desk for a whole day, supervisor controls, transfer with return

- counter_events: who opened, paused, closed a counter remotely or set its services, and why.
- counters.label: a short staff label ("Cashier", "Documents").
- counters.pause_code: why a counter is paused, from a fixed list (never public).
- counters.today_service_ids / today_on: the services a supervisor set the counter to serve
  on one local day (the override lapses by itself the next day).
- tickets.call_first: a supervisor put it ahead of everyone its counters would call.
- tickets.target_counter_id: it waits for that counter only (a transfer to a counter, or a
  return to the first counter of a multi-step visit).
- tickets.return_counter_id / return_service_id: after the current step it goes back there.
- tickets.outcome / outcome_code / notes: how the visit ended (served or not, why) and the
  operator's notes (staff only).

Revision ID: c5d8e2f1a7b4
Revises: c8d1f4a2e6b7
Create Date: 2026-12-03 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5d8e2f1a7b4'
down_revision = 'c8d1f4a2e6b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'counter_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column('operation', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('counter_events', schema=None) as batch_op:
        batch_op.create_index('ix_counter_events_counter_id', ['counter_id'], unique=False)
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('pause_code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('today_service_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('today_on', sa.Date(), nullable=True))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('call_first', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('target_counter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('return_counter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('return_service_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('outcome_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.String(length=1000), nullable=True))
        batch_op.create_foreign_key(
            'fk_tickets_target_counter', 'counters', ['target_counter_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            'fk_tickets_return_counter', 'counters', ['return_counter_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            'fk_tickets_return_service', 'services', ['return_service_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint('fk_tickets_return_service', type_='foreignkey')
        batch_op.drop_constraint('fk_tickets_return_counter', type_='foreignkey')
        batch_op.drop_constraint('fk_tickets_target_counter', type_='foreignkey')
        for name in (
            'notes', 'outcome_code', 'outcome', 'return_service_id', 'return_counter_id',
            'target_counter_id', 'call_first',
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table('counters', schema=None) as batch_op:
        for name in ('today_on', 'today_service_ids', 'pause_code', 'label'):
            batch_op.drop_column(name)
    op.drop_table('counter_events')
