"""Keeps the dashboard rollup (models/insight/rollup.py) equal to the hazard table, in the writing
transaction, and rebuilds it.

One place for every writer: events on the app's session (db.session; create_app registers them)
see each hazard the ORM inserts, changes or deletes through it (the services, the demo seed, bulk
statements, test fixtures) and add the difference to the rollup before the transaction commits.
The same events note that something a dashboard figure reads has changed; the commit then bumps
the "dashboard" counter that keys the summary cache. A session of its own (`Session(engine)`)
is not followed: what it writes to hazards needs `flask dashboard rebuild-rollup` afterwards.
"""

from collections import Counter, defaultdict
from functools import cache
from itertools import chain

from sqlalchemy import delete, event, inspect, literal, select, text

from server.models.accounts.users import User
from server.models.base import UtcDateTime, now_utc, whole_days_between
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.insight.rollup import MEASURES, dashboard_close_days, dashboard_day
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.models.platform.counters import NamedCounter
from server.services.loop.numbering import INSERTS, bump_statement
from server.services.platform.clock import site_zone

TRACKED = ("zone_id", "created_at", "status", "level", "category", "closed_late", "closed_at", "recurs")
WATCHED = (Hazard, Patrol, CheckIn, Zone, Post, Unit, User)  # what any dashboard figure reads
WATCHED_TABLES = {model.__tablename__ for model in WATCHED}
VERSION = "dashboard"  # the NamedCounter row, and the session.info flag
CHUNK = 5000


class Deltas(defaultdict):
    """{(site day, zone_id): Counter of measure changes}, and in .close_days
    {(site day, zone_id, whole days to close): change} for closed hazards."""

    def __init__(self, zone, connection=None):
        super().__init__(Counter)
        self.zone, self.connection, self.close_days = zone, connection, Counter()

    def add(self, row, sign):
        """Count one hazard state (a mapping of TRACKED, and close_days when read from the table)
        in, or out with sign -1."""
        created = row.get("created_at") or now_utc()
        key = (created.astimezone(self.zone).date(), row["zone_id"])
        if row["status"] == "closed" and row.get("closed_at") is not None:
            self.close_days[(*key, self._close_days(row, created))] += sign
        for measure in (
            "reported",
            f"status_{row['status']}",
            f"level_{row['level']}",
            f"category_{row['category']}",
        ):
            self[key][measure] += sign
        if row["status"] == "closed" and row.get("closed_late") is not None and not row["closed_late"]:
            self[key]["closed_on_time"] += sign
        if row.get("recurs") and row["status"] != "rejected":
            self[key]["repeats"] += sign
        if row.get("closed_at") is not None:
            self[(row["closed_at"].astimezone(self.zone).date(), row["zone_id"])]["closed"] += sign

    def _close_days(self, row, created):
        """The database's own whole days (its float arithmetic, not Python's, so that the bucket
        matches the index the median reads)."""
        if "close_days" in row:
            return row["close_days"]
        later, earlier = (literal(moment, UtcDateTime()) for moment in (row["closed_at"], created))
        return self.connection.execute(select(whole_days_between(later, earlier))).scalar_one()

    def rows(self):
        """Rows for the table, in key order (writers lock rollup rows in one order)."""
        return [
            {"day": day, "zone_id": zone_id, **{m: tally.get(m, 0) for m in MEASURES}}
            for (day, zone_id), tally in sorted(self.items())
            if any(tally.values())
        ]

    def close_day_rows(self):
        return [
            {"day": day, "zone_id": zone_id, "days": days, "closed": change}
            for (day, zone_id, days), change in sorted(self.close_days.items())
            if change
        ]


@cache
def _upsert_statement(dialect_name, table, keys):
    """Built once per engine kind and table: building it (a column for each measure of the
    excluded row) cost more CPU than sending it, on every flush that touched a hazard."""
    insert = INSERTS[dialect_name](table)
    counts = [column.name for column in table.columns if column.name not in keys]
    return insert.on_conflict_do_update(
        index_elements=keys, set_={name: table.c[name] + insert.excluded[name] for name in counts}
    )


def _upsert(connection, table, keys, rows):
    if not rows:
        return
    upsert = _upsert_statement(connection.dialect.name, table, keys)
    for start in range(0, len(rows), CHUNK):
        connection.execute(upsert, rows[start : start + CHUNK])


def _apply(connection, deltas):
    _upsert(connection, dashboard_day, ("day", "zone_id"), deltas.rows())
    _upsert(connection, dashboard_close_days, ("day", "zone_id", "days"), deltas.close_day_rows())


def _current(hazard):
    return {name: getattr(hazard, name) for name in TRACKED}


def _previous(hazard):
    """The values the database holds (the tracked columns load their old value when set)."""
    attrs = inspect(hazard).attrs
    return {
        name: (attrs[name].history.deleted or attrs[name].history.unchanged or [None])[0] for name in TRACKED
    }


def _after_flush(session, _context):
    deltas = Deltas(site_zone(), session.connection())
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


def _tracked_columns():
    table = Hazard.__table__
    close_days = whole_days_between(table.c.closed_at, table.c.created_at).label("close_days")
    return [table.c[name] for name in ("id", *TRACKED)] + [close_days]


def _tracked_rows(connection, condition):
    return connection.execute(select(*_tracked_columns()).where(condition)).mappings().all()


def _rows_by_id(connection, ids):
    table = Hazard.__table__
    chunks = (
        _tracked_rows(connection, table.c.id.in_(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)
    )
    return list(chain.from_iterable(chunks))


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
    deltas = Deltas(site_zone(), connection)
    params = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    table = Hazard.__table__
    if state.is_insert:
        result = state.invoke_statement()
        if all(row.get("id") for row in params):  # bulk loads give ids: read the rows back
            params = _rows_by_id(connection, [row["id"] for row in params])
        for row in params:
            deltas.add(row if "close_days" in row else {name: row.get(name) for name in TRACKED}, 1)
        _apply(connection, deltas)
        return result
    if all("id" in row for row in params) and params[0]:
        condition = table.c.id.in_([row["id"] for row in params])  # bulk update by primary key
    else:
        condition = statement.whereclause if statement.whereclause is not None else table.c.id.isnot(None)
    before = _tracked_rows(connection, condition)
    result = state.invoke_statement()
    after = [] if state.is_delete else _rows_by_id(connection, [row["id"] for row in before])
    for rows, sign in ((before, -1), (after, 1)):
        for row in rows:
            deltas.add(row, sign)
    _apply(connection, deltas)
    return result


def _before_commit(session):
    session.flush()
    if session.info.pop(VERSION, False):
        connection = session.connection()
        connection.execute(bump_statement(connection.dialect.name), {"name": VERSION})


def _after_rollback(session, previous):
    """A whole transaction rolled back changed nothing; a savepoint's rollback leaves what was
    flushed before it to be committed, and the summary cache must hear of it."""
    if not previous.nested:
        session.info.pop(VERSION, None)


def register_rollup(sessions):
    """Keep the rollup in the transactions of `sessions` (a session class, sessionmaker or scoped
    session: create_app passes db.session). Listeners live on the class, so once per process,
    whatever the number of apps."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_orm_execute),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _after_rollback),
    ):
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)


def version(connection):
    """The number the commit of any change to a dashboard input bumps."""
    return connection.execute(select(NamedCounter.value).where(NamedCounter.name == VERSION)).scalar() or 0


def rebuild_rollup(connection, zone):
    """Recompute the whole rollup from the hazard table; returns the number of hazards counted.
    On PostgreSQL writers wait for it (their deltas land after it); SQLite writes are serial."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE dashboard_day, dashboard_close_days IN EXCLUSIVE MODE"))
    connection.execute(delete(dashboard_day))
    connection.execute(delete(dashboard_close_days))
    deltas, count = Deltas(zone), 0
    for row in connection.execute(select(*_tracked_columns()).execution_options(yield_per=20_000)).mappings():
        deltas.add(row, 1)
        count += 1
    for table, rows in ((dashboard_day, deltas.rows()), (dashboard_close_days, deltas.close_day_rows())):
        for start in range(0, len(rows), CHUNK):
            connection.execute(table.insert(), rows[start : start + CHUNK])
    return count
