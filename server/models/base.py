"""Declarative base: one naming convention so every constraint has a stable name."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Float, Integer, MetaData, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now_utc():
    """Timezone-aware now in UTC; passed as a callable, never evaluated at import."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on both engines (SQLite stores no offset, so it is restored here)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


def _as_utc(_target, value, _old, _initiator):
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo is not None else value


@event.listens_for(Base, "mapper_configured", propagate=True)
def _utc_on_assignment(mapper, _class):
    """A UtcDateTime attribute holds UTC from the moment it is set, as it will when read back: an
    answer read from the objects a request has just written (database.commit_keeping) shows a
    phone's "08:00+08:00" as the API always has, "00:00+00:00". A naive value is left for
    process_bind_param to refuse."""
    for attribute in mapper.column_attrs:
        if any(isinstance(column.type, UtcDateTime) for column in attribute.columns):
            event.listen(attribute.class_attribute, "set", _as_utc, retval=True)


def created_at_column():
    return mapped_column(UtcDateTime, default=now_utc, nullable=False)


def enum_check(column, values):
    """CHECK text constraining a string column to its wire values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class days_between(FunctionElement):  # noqa: N801 (used like a SQL function)
    """(later, earlier) → days between two timestamps as a float, spelled for each engine."""

    type = Float()
    inherit_cache = True


class whole_days_between(FunctionElement):  # noqa: N801
    """days_between cut to whole days (monotone, so ordering within a bucket is global order): the
    bucket of the dashboard's close-time histogram and of its index."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM {later} - {earlier}) / 86400.0)"


@compiles(whole_days_between)
def _whole_days(element, compiler, **kw):
    floored = compiler.process(days_between(*element.clauses), **kw)
    if compiler.dialect.name == "postgresql":
        floored = f"floor({floored})"
    return f"CAST({floored} AS INTEGER)"


# Indexes on expressions: SQLite cannot reflect them and PostgreSQL reflects them in its own
# spelling, so autogenerate would always see a difference. Migrations create them by hand.
EXPRESSION_INDEXES = {"ix_hazard_close_days"}
# The full-text index (services/loop/search.py) is of each engine's own kind (FTS5 with its shadow
# tables, a GIN-indexed tsvector): its migration makes it, no model describes it.
SEARCH_TABLE_PREFIX = "hazard_search"


def include_in_autogenerate(_object, name, type_, _reflected, _compare_to):
    """Alembic's include_object hook (migrations/env.py and the models-match-migrations test)."""
    if type_ == "table" and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name in EXPRESSION_INDEXES)
