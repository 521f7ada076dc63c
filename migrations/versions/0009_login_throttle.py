"""login throttle: failed sign-ins per account and per address, shared by every app process

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 01:40:00

"""
from alembic import op
import sqlalchemy as sa

from server.models.base import UtcDateTime


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )


def downgrade():
    op.drop_table('login_throttle')
