"""Flask-Limiter's counters in the app's own database (`RATELIMIT_STORAGE_URI = "database://"`), so
that every process of the default deployment (granian workers on one SQLite file, or hosts on one
PostgreSQL) enforces one limit; `memory://` counted per process. Redis (`redis://…`) stays the
choice for a large scale-out.

Fixed window only, the strategy the app uses (Flask-Limiter's default): one `rate_limit` row per
key holds its window's count and end, and a hit is one atomic statement on an autocommit
connection of the store's own engine, `INSERT … ON CONFLICT (key) DO UPDATE … RETURNING count`
(SQLite ≥ 3.35 and PostgreSQL), so concurrent hits from any process never lose a count. The
moving and sliding windows would need a row per hit: their methods are absent, so `limits`
refuses them, and `storage_uri` refuses them before that, at start-up.

A failing store fails open: the hit is let through with a logged warning, never a 500 or a 503.
The limits bound abuse of the public sign (board reads, guest reports); they guard no safety rule.
When the database itself is down, the view that follows fails on its own and answers 503
(server/problems.py); when only the counter failed (its lock wait ran past busy_timeout, a
statement timeout), refusing an honest guest's hazard report would cost more than a few requests
past the bound. A missing table (migrations not run yet) fails open the same way.
"""

import hashlib
import logging
import time
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlparse

from limits.errors import ConfigurationError
from limits.storage import Storage
from sqlalchemy import case, create_engine, delete, event, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from server.database import SQLITE_PRAGMAS, engine_options
from server.models.base import UtcDateTime
from server.models.platform.rate_limits import RateLimit

SCHEME = "database"
SWEEP_SECONDS = 60  # expired rows are deleted at most this often per process
log = logging.getLogger(__name__)
table = RateLimit.__table__


def storage_uri(config):
    """RATELIMIT_STORAGE_URI, with `database://` pointed at the app's database.

    The URL travels in the URI, not in RATELIMIT_STORAGE_OPTIONS: Flask-Limiter merges those
    options into its one module-level limiter at every init_app, so an app built later in the
    same process on redis:// would pass them on to the Redis client."""
    uri = config["RATELIMIT_STORAGE_URI"]
    if urlparse(uri).scheme != SCHEME:
        return uri
    strategy = config.get("RATELIMIT_STRATEGY") or "fixed-window"
    if strategy != "fixed-window":
        raise RuntimeError(f"the database rate-limit store counts fixed windows only, not {strategy}")
    if uri == f"{SCHEME}://":
        uri = f"{SCHEME}://?url=" + quote(config["SQLALCHEMY_DATABASE_URI"], safe="")
    return uri


def _utc(epoch):
    return datetime.fromtimestamp(epoch, UTC)


def _stored_key(key):
    """Part of a key comes from the URL (a zone's token): one too long for the column, or with a
    NUL that PostgreSQL refuses, is stored as its hash instead of failing the hit."""
    if len(key) <= table.c.key.type.length and "\x00" not in key:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _sqlite_connect(dbapi_connection, _record):
    for pragma in SQLITE_PRAGMAS:  # busy_timeout above all: wait for the lock, never fail at once
        dbapi_connection.execute(f"PRAGMA {pragma}")


class DatabaseStorage(Storage):
    """A `limits` storage on a SQLAlchemy URL: `database://?url=<percent-encoded URL>`."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        prefix = f"{SCHEME}://?url="
        if not uri.startswith(prefix):
            raise ConfigurationError(f"the database store needs {prefix}<database URL>")
        url = unquote(uri[len(prefix) :])
        # Its own engine in autocommit: each statement is its own transaction, whatever the
        # request's session is doing, and a hit is counted even when the request fails. No
        # pre-ping: a dropped connection costs one hit let through (the pool is then renewed),
        # not a round trip before every hit.
        options = {**engine_options(url), "pool_pre_ping": False}
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT", **options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_connect)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        self._next_sweep = 0.0

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key, expiry, amount=1):
        """Count a hit; the key's window (re)starts now if it has none or its window has ended."""
        now = time.time()
        window_end = literal(_utc(now + expiry), UtcDateTime())
        ended = table.c.expires_at <= _utc(now)
        statement = (
            self._insert(table)
            .values(key=_stored_key(key), count=amount, expires_at=_utc(now + expiry))
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "count": case((ended, amount), else_=table.c.count + amount),
                    "expires_at": case((ended, window_end), else_=table.c.expires_at),
                },
            )
            .returning(table.c.count)
        )
        try:
            with self.engine.connect() as connection:
                count = connection.execute(statement).scalar_one()
                if now >= self._next_sweep:
                    self._sweep(connection, now)
        except SQLAlchemyError as error:
            _let_through(error)
            return 0
        return count

    def _sweep(self, connection, now):
        """Delete ended windows, at most once a minute per process: one short statement, and the
        table keeps little more than the keys of the current windows."""
        self._next_sweep = now + SWEEP_SECONDS
        connection.execute(delete(table).where(table.c.expires_at <= _utc(now)))

    def _current(self, key):
        """(count, expires_at) of the key's current window, or None."""
        query = select(table.c.count, table.c.expires_at).where(
            table.c.key == _stored_key(key), table.c.expires_at > _utc(time.time())
        )
        try:
            with self.engine.connect() as connection:
                return connection.execute(query).first()
        except SQLAlchemyError as error:
            _let_through(error)
            return None

    def get(self, key):
        row = self._current(key)
        return row.count if row else 0

    def get_expiry(self, key):
        row = self._current(key)
        return row.expires_at.timestamp() if row else time.time()

    def check(self):
        try:
            with self.engine.connect() as connection:
                connection.execute(select(table.c.key).limit(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self):
        with self.engine.connect() as connection:
            return connection.execute(delete(table)).rowcount

    def clear(self, key):
        with self.engine.connect() as connection:
            connection.execute(delete(table).where(table.c.key == _stored_key(key)))


def _let_through(error):
    """Fail open (module docstring), with the reason in the log; never the key or the SQL."""
    first_line = (str(getattr(error, "orig", None) or error).splitlines() or [""])[0]
    reason = f"{type(error).__name__}: {first_line}"
    log.warning(
        "rate limit store failed, request let through (%s)",
        reason,
        extra={"event": "rate_limit_store_failed", "context": {"error": reason}},
    )
