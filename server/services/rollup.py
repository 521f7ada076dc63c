"""Keeps the dashboard rollup (models/dashboard.py) equal to the hazard table, in the writing
transaction, and rebuilds it.

One place for every writer: session events see each hazard the ORM inserts, changes or deletes
(the services, the demo seed, bulk statements, test fixtures) and add the difference to the
rollup before the transaction commits. The same events note that something a dashboard figure
reads has changed; the commit then bumps the "dashboard" counter that keys the summary cache.
"""

from collections import Counter as Tally
from collections import defaultdict
from itertools import chain

from sqlalchemy import delete, event, inspect, select, text
from sqlalchemy.orm import Session

from server.models import CheckIn, Counter, Hazard, Patrol, Post, Unit, User, Zone, dashboard_day
from server.models.base import now_utc
from server.models.dashboard import MEASURES
from server.services.clock import site_zone
from server.services.numbering import dialect_insert

TRACKED = ("zone_id", "created_at", "status", "level", "category", "closed_late", "closed_at")
WATCHED = (Hazard, Patrol, CheckIn, Zone, Post, Unit, User)  # what any dashboard figure reads
WATCHED_TABLES = {model.__tablename__ for model in WATCHED}
VERSION = "dashboard"  # the Counter row, and the session.info flag
CHUNK = 5000


class Deltas(defaultdict):
    """{(site day, zone_id): Tally of measure changes}."""

    def __init__(self, zone):
        super().__init__(Tally)
        self.zone = zone

    def add(self, row, sign):
        """Count one hazard state (a mapping of TRACKED) in, or out with sign -1."""
        created = row.get("created_at") or now_utc()
        key = (created.astimezone(self.zone).date(), row["zone_id"])
        for measure in (
            "reported",
            f"status_{row['status']}",
            f"level_{row['level']}",
            f"category_{row['category']}",
        ):
            self[key][measure] += sign
        if row["status"] == "closed" and row.get("closed_late") is not None and not row["closed_late"]:
            self[key]["closed_on_time"] += sign
        if row.get("closed_at") is not None:
            self[(row["closed_at"].astimezone(self.zone).date(), row["zone_id"])]["closed"] += sign

    def rows(self):
        """Rows for the table, in key order (writers lock rollup rows in one order)."""
        return [
            {"day": day, "zone_id": zone_id, **{m: tally.get(m, 0) for m in MEASURES}}
            for (day, zone_id), tally in sorted(self.items())
            if any(tally.values())
        ]


def _apply(connection, deltas):
    rows = deltas.rows()
    if not rows:
        return
    insert = dialect_insert(connection)(dashboard_day)
    upsert = insert.on_conflict_do_update(
        index_elements=["day", "zone_id"],
        set_={m: dashboard_day.c[m] + insert.excluded[m] for m in MEASURES},
    )
    for start in range(0, len(rows), CHUNK):
        connection.execute(upsert, rows[start : start + CHUNK])


def _current(hazard):
    return {name: getattr(hazard, name) for name in TRACKED}


def _previous(hazard):
    """The values the database holds (the tracked columns load their old value when set)."""
    attrs = inspect(hazard).attrs
    return {
        name: (attrs[name].history.deleted or attrs[name].history.unchanged or [None])[0] for name in TRACKED
    }


def _after_flush(session, _context):
    deltas = Deltas(site_zone())
    for hazard in (obj for obj in session.new if isinstance(obj, Hazard)):
        deltas.add(_current(hazard), 1)
    for hazard in (obj for obj in session.dirty if isinstance(obj, Hazard)):
        if any(inspect(hazard).attrs[name].history.has_changes() for name in TRACKED):
            deltas.add(_previous(hazard), -1)
            deltas.add(_current(hazard), 1)
    for hazard in (obj for obj in session.deleted if isinstance(obj, Hazard)):
        deltas.add(_previous(hazard), -1)
    _apply(session.connection(), deltas)
    if any(isinstance(obj, WATCHED) for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[VERSION] = True


def _tracked_rows(connection, condition):
    columns = [Hazard.__table__.c[name] for name in ("id", *TRACKED)]
    return connection.execute(select(*columns).where(condition)).mappings().all()


def _on_orm_execute(state):
    """Bulk INSERT/UPDATE/DELETE statements on hazards bypass the flush: count them here."""
    statement = state.statement
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table_name = getattr(statement.table, "name", None)
    if table_name in WATCHED_TABLES:
        state.session.info[VERSION] = True
    if table_name != Hazard.__tablename__:
        return None
    connection = state.session.connection()
    deltas = Deltas(site_zone())
    params = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    if state.is_insert:
        result = state.invoke_statement()
        for row in params:
            deltas.add({name: row.get(name) for name in TRACKED}, 1)
        _apply(connection, deltas)
        return result
    table = Hazard.__table__
    if all("id" in row for row in params) and params[0]:
        condition = table.c.id.in_([row["id"] for row in params])  # bulk update by primary key
    else:
        condition = statement.whereclause if statement.whereclause is not None else table.c.id.isnot(None)
    before = _tracked_rows(connection, condition)
    result = state.invoke_statement()
    ids = [row["id"] for row in before]
    after = (
        []
        if state.is_delete
        else list(
            chain.from_iterable(
                _tracked_rows(connection, table.c.id.in_(ids[i : i + CHUNK]))
                for i in range(0, len(ids), CHUNK)
            )
        )
    )
    for rows, sign in ((before, -1), (after, 1)):
        for row in rows:
            deltas.add(row, sign)
    _apply(connection, deltas)
    return result


def _before_commit(session):
    session.flush()
    if session.info.pop(VERSION, False):
        insert = dialect_insert(session.connection())(Counter.__table__)
        session.connection().execute(
            insert.values(name=VERSION, value=1).on_conflict_do_update(
                index_elements=["name"], set_={"value": Counter.__table__.c.value + 1}
            )
        )


def _after_rollback(session, *_):
    session.info.pop(VERSION, None)


def register_rollup():
    """Listen on every ORM session (once per process, whatever the number of apps)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_orm_execute),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def version(connection):
    """The number the commit of any change to a dashboard input bumps."""
    return connection.execute(select(Counter.value).where(Counter.name == VERSION)).scalar() or 0


def rebuild_rollup(connection, zone):
    """Recompute the whole rollup from the hazard table; returns the number of hazards counted.
    On PostgreSQL writers wait for it (their deltas land after it); SQLite writes are serial."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE dashboard_day IN EXCLUSIVE MODE"))
    connection.execute(delete(dashboard_day))
    deltas, count = Deltas(zone), 0
    columns = [Hazard.__table__.c[name] for name in TRACKED]
    for row in connection.execute(select(*columns).execution_options(yield_per=20_000)).mappings():
        deltas.add(row, 1)
        count += 1
    rows = deltas.rows()
    for start in range(0, len(rows), CHUNK):
        connection.execute(dashboard_day.insert(), rows[start : start + CHUNK])
    return count
