"""Engine settings that keep data safe under concurrent phones (DESIGN §9 Database)."""

from sqlalchemy import event

from server.extensions import db

SQLITE_PRAGMAS = ("journal_mode=WAL", "busy_timeout=5000", "synchronous=NORMAL", "foreign_keys=ON")
WRITES = "sqlite_writes"  # a session's execution option: False = its transactions only read


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
    when another writer committed first, whatever the busy timeout (HARDENING §3). The session
    says which it needs, in its WRITES execution option; a connection without it may write."""
    writes = connection.get_execution_options().get(WRITES, True)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _set_writes(session, writes):
    """Applies from the session's next transaction (to the connection it procures): SQLAlchemy
    2.1 passes a Session's execution_options to its connections. Were that to stop, every
    transaction would begin IMMEDIATE (safe, slower); tests/platform/test_session_wiring.py
    checks the BEGINs a GET and a POST send."""
    session.execution_options = session.execution_options.union({WRITES: writes})


def read_until_writing():
    """Before each request (create_app registers it ahead of the request guard): this request's
    transactions only read until the guard calls `start_writing()`, so a GET takes no write lock.
    Outside a request (commands, scripts, migrations) every transaction may write."""
    _set_writes(db.session(), False)


def start_writing():
    """From here on this request's transactions may write (SQLite: they begin IMMEDIATE). The
    request guard (server/security.py) calls it for unsafe methods, once sign-in is checked.

    The guard's read transaction (the session's user) ends first, keeping what it loaded, so
    the write lock is taken by the view's first query: reading the body, and slow work done
    before that query (decoding a photo, hashing imported passwords), hold no lock that other
    users' writes wait for. The user stays as read a few milliseconds earlier; a revocation
    committed in between takes effect from the next request."""
    commit_keeping()
    _set_writes(db.session(), True)


def commit_keeping():
    """Commit, keeping what the session has loaded and written as it is, for the answer to be
    read from it: a report's answer read after a plain commit loaded every expired row again
    in a new transaction (on SQLite a second BEGIN IMMEDIATE: the write lock taken again to
    read back what was just written). What the database filled in itself still loads on use."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def register_database(app):
    """SQLite: the pragmas on each connection, and the BEGIN each session's WRITES option asks for."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
