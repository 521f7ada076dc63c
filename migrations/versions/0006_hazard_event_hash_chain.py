"""hazard_event hash chain: prev_hash and hash, backfilled for the history already recorded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 00:55:00

The append-only triggers refuse the backfill's UPDATEs, so they are lifted for it and restored.
"""

import hashlib
import importlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

initial = importlib.import_module("migrations.versions.0001_initial_schema")


def canonical(row):
    """Frozen copy of services/audit.canonical at the time of this migration."""
    created_at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    content = {
        "hazard_id": row.hazard_id,
        "actor_id": row.actor_id,
        "action": row.action,
        "from_status": row.from_status,
        "to_status": row.to_status,
        "comment": row.comment,
        "changes": row.changes or {},
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def backfill():
    event = sa.table(
        "hazard_event",
        *(sa.column(name, sa.Integer()) for name in ("id", "hazard_id", "actor_id")),
        *(sa.column(name, sa.String()) for name in ("action", "from_status", "to_status", "comment")),
        sa.column("changes", sa.JSON()),
        sa.column("created_at", sa.DateTime()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    bind = op.get_bind()
    previous = {}
    rows = bind.execute(sa.select(event).order_by(event.c.hazard_id, event.c.id)).all()
    for row in rows:
        prev = previous.get(row.hazard_id)
        digest = hashlib.sha256(((prev or "") + canonical(row)).encode()).hexdigest()
        bind.execute(sa.update(event).where(event.c.id == row.id).values(prev_hash=prev, hash=digest))
        previous[row.hazard_id] = digest


def upgrade():
    initial.drop_append_only_triggers()
    with op.batch_alter_table("hazard_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    backfill()
    with op.batch_alter_table("hazard_event", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    initial.create_append_only_triggers()


def downgrade():
    initial.drop_append_only_triggers()
    with op.batch_alter_table("hazard_event", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    initial.create_append_only_triggers()
