"""dashboard rollup: hazard counts per site day and zone; a close-time histogram and its index
(the exact median); an index for list pages by status

The rollup is filled from the hazard table by the newest migration that changes its shape (0016,
`rebuild_rollup`): the rollup's code always writes the newest set of measures.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 02:10:00

"""


import sqlalchemy as sa
from alembic import op

from server.models.base import whole_days_between
# The measures as this revision made them (0016 adds "repeats"), written out: a later status,
# level or category is a later migration's column.
_CATEGORIES = ("electrical", "height", "fire", "equipment", "tools_ppe", "traffic", "environment", "violation", "other")
MEASURES = (
    "reported",
    *(f"status_{status}" for status in ("reported", "rejected", "rectifying", "verifying", "closed")),
    *(f"level_{level}" for level in ("general", "major")),
    *(f"category_{category}" for category in _CATEGORIES),
    "closed_on_time",
    "closed",
)

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dashboard_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), server_default="0", nullable=False) for name in MEASURES),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name=op.f("fk_dashboard_day_zone_id_zone")),
        sa.PrimaryKeyConstraint("day", "zone_id", name=op.f("pk_dashboard_day")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "dashboard_close_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], name=op.f("fk_dashboard_close_days_zone_id_zone")),
        sa.PrimaryKeyConstraint("day", "zone_id", "days", name=op.f("pk_dashboard_close_days")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hazard_status_zone_id_id", ["status", "zone_id", "id", "deadline"], unique=False
        )
        batch_op.drop_index("ix_hazard_closed_at")
        batch_op.create_index("ix_hazard_closed_at_zone_id", ["closed_at", "zone_id"], unique=False)
    # Outside batch mode: SQLite's batch reflection cannot read an index on an expression.
    op.create_index(
        "ix_hazard_close_days",
        "hazard",
        [
            whole_days_between(sa.text("closed_at"), sa.text("created_at")),
            sa.text("created_at"),
            sa.text("zone_id"),
            sa.text("closed_at"),
        ],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_hazard_close_days", table_name="hazard")
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.drop_index("ix_hazard_status_zone_id_id")
        batch_op.drop_index("ix_hazard_closed_at_zone_id")
        batch_op.create_index("ix_hazard_closed_at", ["closed_at"], unique=False)
    op.drop_table("dashboard_close_days")
    op.drop_table("dashboard_day")
