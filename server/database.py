"""Engine settings that keep data safe under concurrent phones (DESIGN §9 Database)."""

from flask import g, has_request_context
from sqlalchemy import event

from server.extensions import db
from server.services.insight.rollup import register_rollup

SQLITE_PRAGMAS = ("journal_mode=WAL", "busy_timeout=5000", "synchronous=NORMAL", "foreign_keys=ON")


def normalise_url(url):
    """postgres:// and postgresql:// use the psycopg 3 driver that requirements.txt installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url):
    if url.startswith("postgresql"):
        # A runaway query cannot pin a worker; dropped connections are replaced.
        return {"pool_pre_ping": True, "connect_args": {"options": "-c statement_timeout=5000"}}
    return {"pool_pre_ping": True}


def _sqlite_connect(dbapi_connection, _record):
    dbapi_connection.isolation_level = None  # pysqlite must not emit its own BEGIN
    for pragma in SQLITE_PRAGMAS:
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection):
    """Writes take the lock at BEGIN: a deferred BEGIN fails at once with "database is locked"
    when another writer committed first, whatever the busy timeout (HARDENING §3)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _takes_write_lock() else "BEGIN")


def _takes_write_lock():
    """Outside a request (commands, scripts) every transaction may write. In a request, only
    after `start_writing()`, which the guard calls for unsafe requests once sign-in is checked."""
    return not has_request_context() or g.get("writing", False)


def start_writing():
    """From here on this request's transactions may write (SQLite: they begin IMMEDIATE).

    The guard's read transaction (the session's user) ends first, keeping what it loaded, so
    the write lock is taken by the view's first query: reading the body, and slow work done
    before that query (decoding a photo, hashing imported passwords), hold no lock that other
    users' writes wait for. The user stays as read a few milliseconds earlier; a revocation
    committed in between takes effect from the next request."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    g.writing = True


def register_database(app):
    register_rollup()
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
