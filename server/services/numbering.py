"""Hazard numbers YH-<year>-<seq>: a counter row bumped inside the creating transaction.

max()+1 collided 60/800 (SQLite) and 599/800 (PostgreSQL) times under concurrent reports;
UPDATE … RETURNING on one row serialises the writers instead (DESIGN §9 Database).
"""

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import Counter


def dialect_insert(bind):
    """INSERT with ON CONFLICT for the engine at hand (both have it, spelled in two modules)."""
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[bind.dialect.name]


def next_value(name):
    insert = dialect_insert(db.session.get_bind())
    db.session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing())
    return db.session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()


def next_hazard_number(year):
    return f"YH-{year}-{next_value(f'YH-{year}'):06d}"
