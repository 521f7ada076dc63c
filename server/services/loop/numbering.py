"""Hazard numbers YH-<year>-<seq>: a counter row bumped inside the creating transaction.

max()+1 collided 60/800 (SQLite) and 599/800 (PostgreSQL) times under concurrent reports;
an upsert … RETURNING on one row serialises the writers instead (DESIGN §9 Database).
"""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models.platform.counters import NamedCounter


def dialect_insert(bind):
    """INSERT with ON CONFLICT for the engine at hand (both have it, spelled in two modules)."""
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[bind.dialect.name]


def next_value(name):
    """The counter's next value, 1 for a new counter: one INSERT … ON CONFLICT DO UPDATE …
    RETURNING, which locks the row as the UPDATE did (the counter used to take two statements)."""
    insert = dialect_insert(db.session.get_bind())(NamedCounter)
    bump = insert.values(name=name, value=1).on_conflict_do_update(
        index_elements=[NamedCounter.name], set_={"value": NamedCounter.value + 1}
    )
    return db.session.execute(bump.returning(NamedCounter.value)).scalar_one()


def next_hazard_number(year):
    return f"YH-{year}-{next_value(f'YH-{year}'):06d}"
