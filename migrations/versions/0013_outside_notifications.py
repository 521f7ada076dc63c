"""outside notifications: channels per unit and durable deliveries

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 11:40:00

"""
from alembic import op
import sqlalchemy as sa

from server.models.base import UtcDateTime


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notify_channel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=True),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('digest_at', sa.String(length=5), nullable=True),
    sa.Column('digest_on', sa.Date(), nullable=True),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('wecom', 'dingtalk', 'feishu', 'email', 'webhook')", name=op.f('ck_notify_channel_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_notify_channel_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_channel'))
    )
    op.create_index(op.f('ix_notify_channel_unit_id'), 'notify_channel', ['unit_id'], unique=False)
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('hazard_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', UtcDateTime(timezone=True), nullable=True),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name=op.f('ck_delivery_status')),
    sa.ForeignKeyConstraint(['channel_id'], ['notify_channel.id'], name=op.f('fk_delivery_channel_id_notify_channel')),
    sa.ForeignKeyConstraint(['hazard_id'], ['hazard.id'], name=op.f('fk_delivery_hazard_id_hazard')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('event_id', name=op.f('uq_delivery_event_id'))
    )
    op.create_index(op.f('ix_delivery_channel_id'), 'delivery', ['channel_id'], unique=False)
    op.create_index('ix_delivery_status_next_attempt_at', 'delivery', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    op.drop_index('ix_delivery_status_next_attempt_at', table_name='delivery')
    op.drop_index(op.f('ix_delivery_channel_id'), table_name='delivery')
    op.drop_table('delivery')
    op.drop_index(op.f('ix_notify_channel_unit_id'), table_name='notify_channel')
    op.drop_table('notify_channel')
