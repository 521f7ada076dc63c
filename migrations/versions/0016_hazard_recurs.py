"""hazard recurs: a repeat hazard (the same zone and category within 90 days), counted by the
dashboard's rollup

Marks the hazards already filed (services/loop/recurrence.py) and rebuilds the rollup with its
new measure.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 15:20:00

"""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

from server.services.insight.rollup import rebuild_rollup
from server.services.loop import recurrence

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # Outside batch mode: SQLite's batch reflection cannot read the index on an expression (0010).
    op.add_column('hazard', sa.Column('recurs', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index('ix_hazard_zone_id_category_created_at', 'hazard', ['zone_id', 'category', 'created_at'])
    with op.batch_alter_table('dashboard_day', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repeats', sa.Integer(), server_default='0', nullable=False))
    connection = op.get_bind()
    recurrence.mark_all(connection)
    # The whole rollup, in the site's time zone (the app's TIMEZONE through `flask db upgrade`).
    zone = current_app.config["TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    rebuild_rollup(connection, ZoneInfo(zone))


def downgrade():
    with op.batch_alter_table('dashboard_day', schema=None) as batch_op:
        batch_op.drop_column('repeats')
    op.drop_index('ix_hazard_zone_id_category_created_at', table_name='hazard')
    op.drop_column('hazard', 'recurs')
