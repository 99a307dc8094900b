"""history and supervision: daily rollups, the fair-queue audit, hall devices, indexes

- daily_stats: one closed day's figures per (center, service, counter, operator), counts
  and minute histograms in `figures` (reports read these, not every past ticket).
- call_audits: each call that passed over a ticket waiting longer, with the policy's tier,
  ratio and slot as fields.
- devices: hall displays and kiosks by the name they give, with when they were last seen.
- tickets(counter_id, day, status) and ticket_events(at): a counter's visit in progress,
  a desk's served-today count and the hall's recent calls stop scanning history.

Revision ID: c3d5e7f9a1b2
Revises: c5d8e2f1a7b4
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c3d5e7f9a1b2'
down_revision = 'c5d8e2f1a7b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'daily_stats',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=True),
        sa.Column('agency_code', sa.String(length=20), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=True),
        sa.Column('operator_id', sa.Integer(), nullable=True),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_daily_stats_center_id_centers'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_daily_stats_counter_id_counters'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_daily_stats_operator_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_daily_stats_service_id_services'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_stats')),
    )
    op.create_index('ix_daily_stats_center_day', 'daily_stats', ['center_id', 'day'], unique=False)
    op.create_table(
        'call_audits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('counter_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tier', sa.String(length=12), nullable=False),
        sa.Column('ratio', sa.Float(), nullable=True),
        sa.Column('slot_start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('waited_minutes', sa.Integer(), nullable=False),
        sa.Column('passed_over', sa.Integer(), nullable=False),
        sa.Column('longest_waited_minutes', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_call_audits_center_id_centers'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_call_audits_counter_id_counters'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_call_audits_ticket_id_tickets'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_audits')),
    )
    op.create_index('ix_call_audits_center_at', 'call_audits', ['center_id', 'at'], unique=False)
    op.create_table(
        'devices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('connected', sa.Boolean(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_devices_center_id_centers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    )
    op.create_index('uq_devices_center_kind_name', 'devices', ['center_id', 'kind', 'name'], unique=True)
    op.create_index('ix_tickets_counter_day', 'tickets', ['counter_id', 'day', 'status'], unique=False)
    op.create_index(op.f('ix_ticket_events_at'), 'ticket_events', ['at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_ticket_events_at'), table_name='ticket_events')
    op.drop_index('ix_tickets_counter_day', table_name='tickets')
    op.drop_index('uq_devices_center_kind_name', table_name='devices')
    op.drop_table('devices')
    op.drop_index('ix_call_audits_center_at', table_name='call_audits')
    op.drop_table('call_audits')
    op.drop_index('ix_daily_stats_center_day', table_name='daily_stats')
    op.drop_table('daily_stats')
