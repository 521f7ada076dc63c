"""hazard search characters: the index holds each Chinese character alone (it held each run's last
character, and a one-character query was a prefix of every piece); built again in one pass

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 22:00:00

"""
from alembic import op

from server.services.loop import search_index

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    search_index.rebuild(op.get_bind())


def downgrade():
    # The new entries hold every term the earlier ones did: the earlier search finds as before.
    pass
