"""Hazard numbers YH-<year>-<seq>: a counter row bumped inside the creating transaction.

max()+1 collided 60/800 (SQLite) and 599/800 (PostgreSQL) times under concurrent reports;
an upsert … RETURNING on one row serialises the writers instead (DESIGN §9 Database).
"""

from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models.platform.counters import NamedCounter

# INSERT with ON CONFLICT, by engine kind (both have it, spelled in two modules).
INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


@cache
def bump_statement(dialect_name):
    """Add one to the counter :name (a new one starts at 1) and return its value. Built once per
    engine kind: building an upsert costs more CPU than sending it."""
    insert = INSERTS[dialect_name](NamedCounter).values(name=bindparam("name"), value=1)
    bump = insert.on_conflict_do_update(
        index_elements=[NamedCounter.name], set_={"value": NamedCounter.value + 1}
    )
    return bump.returning(NamedCounter.value)


def next_value(name):
    """The counter's next value, 1 for a new counter: one INSERT … ON CONFLICT DO UPDATE …
    RETURNING, which locks the row as the UPDATE did (the counter used to take two statements)."""
    statement = bump_statement(db.session.get_bind().dialect.name)
    return db.session.execute(statement, {"name": name}).scalar_one()


def next_hazard_number(year):
    return f"YH-{year}-{next_value(f'YH-{year}'):06d}"
