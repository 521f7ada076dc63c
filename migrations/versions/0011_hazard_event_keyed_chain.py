"""hazard_event keyed chain: every event sealed with HMAC-SHA256 under the audit key, and new
events carry the hazard's audited fields as they leave them (`state`)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 09:00:00

The history already recorded is re-sealed in place (the append-only triggers are lifted for it
and restored), but only after its unkeyed chain (0006) has been checked link by link: a broken
link stops the upgrade before anything changes and names the hazard and event, so the key never
vouches for an edit made while the chain was unkeyed. Why one keyed scheme rather than two side
by side: services/loop/event_chain.py. The downgrade does the reverse, checking the keyed chain first.
Run it through `flask db upgrade`: the key comes from the app's configuration (FLASK_AUDIT_KEY).
"""

import hashlib
import hmac
import importlib
import json
import logging
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from server.services.loop.event_chain import audit_key

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

initial = importlib.import_module("migrations.versions.0001_initial_schema")
log = logging.getLogger("alembic.runtime.migration")


def canonical(row, with_state):
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
    state = getattr(row, "state", None) if with_state else None
    if state is not None:
        content["state"] = state
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def unkeyed(prev, row):
    return hashlib.sha256(((prev or "") + canonical(row, False)).encode()).hexdigest()


def keyed(key):
    def link(prev, row):
        message = ((prev or "") + canonical(row, True)).encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    return link


def event_table(with_state):
    return sa.table(
        "hazard_event",
        *(sa.column(name, sa.Integer()) for name in ("id", "hazard_id", "actor_id")),
        *(sa.column(name, sa.String()) for name in ("action", "from_status", "to_status", "comment")),
        sa.column("changes", sa.JSON()),
        sa.column("created_at", sa.DateTime()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
        *([sa.column("state", sa.JSON())] if with_state else []),
    )


def check(rows, link):
    """Refuse to re-seal a chain that does not verify under its own scheme."""
    previous = {}
    for row in rows:
        prev = previous.get(row.hazard_id)
        if row.prev_hash != prev or row.hash != link(prev, row):
            raise RuntimeError(
                f"hazard_event {row.id} (hazard {row.hazard_id}) breaks its hash chain: the history was "
                "altered before this migration; nothing was changed. Restore a backup or investigate first."
            )
        previous[row.hazard_id] = row.hash


def reseal(rows, link):
    """Seal every event again with link, keeping each hazard's order; returns the hazard count."""
    event = event_table(with_state=False)
    previous, values = {}, []
    for row in rows:
        prev = previous.get(row.hazard_id)
        previous[row.hazard_id] = digest = link(prev, row)
        values.append({"row_id": row.id, "new_prev": prev, "new_hash": digest})
    if values:
        statement = (
            sa.update(event)
            .where(event.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash"))
        )
        op.get_bind().execute(statement, values)
    log.info("re-sealed %d hazard events of %d hazards", len(values), len(previous))


def history(with_state):
    event = event_table(with_state)
    return op.get_bind().execute(sa.select(event).order_by(event.c.hazard_id, event.c.id)).all()


def upgrade():
    rows = history(with_state=False)
    check(rows, unkeyed)  # before any change: SQLite's DDL would not roll back
    link = keyed(audit_key())
    initial.drop_append_only_triggers()
    op.add_column("hazard_event", sa.Column("state", sa.JSON(), nullable=True))
    reseal(rows, link)  # read before the column existed: sealed without a state
    initial.create_append_only_triggers()


def downgrade():
    rows = history(with_state=True)
    check(rows, keyed(audit_key()))
    initial.drop_append_only_triggers()
    reseal(rows, unkeyed)  # the states go with their column
    # Plain ALTER (SQLite 3.35+): batch mode would rebuild the table, reflecting its neighbours.
    op.execute("ALTER TABLE hazard_event DROP COLUMN state")
    initial.create_append_only_triggers()
