"""Hazard numbers YH-<year>-<seq>: a counter row bumped inside the creating transaction.

max()+1 collided 60/800 (SQLite) and 599/800 (PostgreSQL) times under concurrent reports;
UPDATE … RETURNING on one row serialises the writers instead (DESIGN §9 Database).
"""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models.platform.counters import NamedCounter


def dialect_insert(bind):
    """INSERT with ON CONFLICT for the engine at hand (both have it, spelled in two modules)."""
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[bind.dialect.name]


def next_value(name):
    insert = dialect_insert(db.session.get_bind())
    db.session.execute(insert(NamedCounter).values(name=name, value=0).on_conflict_do_nothing())
    return db.session.execute(
        update(NamedCounter)
        .where(NamedCounter.name == name)
        .values(value=NamedCounter.value + 1)
        .returning(NamedCounter.value)
    ).scalar_one()


def next_hazard_number(year):
    return f"YH-{year}-{next_value(f'YH-{year}'):06d}"
