"""rate limit: Flask-Limiter's fixed-window counters, shared by every app process

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from server.models.base import UtcDateTime


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit'))
    )


def downgrade():
    op.drop_table('rate_limit')
