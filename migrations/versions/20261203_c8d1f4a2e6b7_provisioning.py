"""provisioning: a national agency catalogue, center settings, outcome codes, the audit log

- agencies are national (shared by every center, so rankings can span centers): the per-center
  copies of one agency code are merged into one row, agencies.center_id goes and
  agencies.code becomes unique;
- centers.public_url (the link printed on tickets) and centers.active;
- services.outcome_codes: the reason codes an operator may give when a visit ends unserved;
- users.lang: the language a staff member last chose;
- audit_log: every back-office or command-line change, who, when, before and after.

Revision ID: c8d1f4a2e6b7
Revises: b7e2c91d3f05
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8d1f4a2e6b7'
down_revision = 'b7e2c91d3f05'
branch_labels = None
depends_on = None

AGENCIES = sa.table(
    'agencies', sa.column('id'), sa.column('center_id'), sa.column('code'),
    sa.column('name', sa.JSON),
)


def upgrade():
    conn = op.get_bind()
    # One row per agency code: the oldest copy stays, services move to it.
    rows = conn.execute(sa.text('SELECT id, code FROM agencies ORDER BY id')).fetchall()
    keep = {}
    for agency_id, code in rows:
        if code not in keep:
            keep[code] = agency_id
            continue
        conn.execute(
            sa.text('UPDATE services SET agency_id = :keep WHERE agency_id = :old'),
            {'keep': keep[code], 'old': agency_id},
        )
        conn.execute(sa.text('DELETE FROM agencies WHERE id = :old'), {'old': agency_id})

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_constraint('uq_agencies_center_id_code', type_='unique')
        batch_op.drop_constraint('fk_agencies_center_id_centers', type_='foreignkey')
        batch_op.drop_column('center_id')
        batch_op.create_unique_constraint(batch_op.f('uq_agencies_code'), ['code'])

    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_url', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('outcome_codes', sa.JSON(), server_default='[]', nullable=False)
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=2), nullable=True))

    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=True),
        sa.Column('entity', sa.String(length=20), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ['center_id'], ['centers.id'], name=op.f('fk_audit_log_center_id_centers'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_center_id'), ['center_id', 'at'])


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_center_id'))
    op.drop_table('audit_log')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('lang')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('outcome_codes')
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('public_url')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_agencies_code'), type_='unique')
        batch_op.add_column(sa.Column('center_id', sa.Integer(), nullable=True))
    # Back to one copy per center: the first center using an agency keeps the row, every
    # other center gets a copy its services move to; an unused agency goes to the first center.
    conn = op.get_bind()
    first_center = conn.execute(sa.text('SELECT MIN(id) FROM centers')).scalar()
    agencies = conn.execute(
        sa.select(AGENCIES.c.id, AGENCIES.c.code, AGENCIES.c.name).order_by(AGENCIES.c.id)
    ).fetchall()
    for agency_id, code, name in agencies:
        centers = [
            r[0]
            for r in conn.execute(
                sa.text(
                    'SELECT DISTINCT center_id FROM services WHERE agency_id = :a ORDER BY center_id'
                ),
                {'a': agency_id},
            )
        ]
        if not centers:
            if first_center is None:
                conn.execute(sa.text('DELETE FROM agencies WHERE id = :a'), {'a': agency_id})
            else:
                conn.execute(
                    sa.text('UPDATE agencies SET center_id = :c WHERE id = :a'),
                    {'c': first_center, 'a': agency_id},
                )
            continue
        conn.execute(
            sa.text('UPDATE agencies SET center_id = :c WHERE id = :a'),
            {'c': centers[0], 'a': agency_id},
        )
        for center_id in centers[1:]:
            conn.execute(AGENCIES.insert().values(center_id=center_id, code=code, name=name))
            copy = conn.execute(
                sa.text('SELECT id FROM agencies WHERE center_id = :c AND code = :code'),
                {'c': center_id, 'code': code},
            ).scalar()
            conn.execute(
                sa.text('UPDATE services SET agency_id = :n WHERE agency_id = :a AND center_id = :c'),
                {'n': copy, 'a': agency_id, 'c': center_id},
            )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.alter_column('center_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            'fk_agencies_center_id_centers', 'centers', ['center_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.create_unique_constraint('uq_agencies_center_id_code', ['center_id', 'code'])
