"""hazard due notified on: the day a hazard's assignee and zone head were reminded that it is
due tomorrow (once per deadline)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # Outside batch mode: SQLite's batch reflection cannot read the index on an expression (0010).
    op.add_column('hazard', sa.Column('due_notified_on', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('hazard', 'due_notified_on')
