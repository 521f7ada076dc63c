"""Consistent backups of the database and the photo store while the app runs.

Database first (SQLite's online backup API, or pg_dump's snapshot: a consistent copy while
writers keep going), photos second: every photo a backed-up row names was written before its row
(object first, HARDENING §2.3), so the copy has it; photos newer than the snapshot are harmless
orphans for `photos gc`. The photos are whatever store the app uses (folder or bucket), handed in
by the caller (`photos`: export_to(folder) and import_from(folder)), laid out as files under
PATH/photos either way, so a backup restores into either kind of store.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from server.extensions import db
from server.services.platform.errors import Conflict

DATABASE_FILE = {"sqlite": "safety.db", "postgresql": "safety.dump"}
PHOTOS_DIR = "photos"


def _engine():
    url = db.engine.url
    engine = url.get_backend_name()
    if engine not in DATABASE_FILE or (engine == "sqlite" and not url.database):
        raise Conflict("errors.backup_unsupported")
    return engine


def _copy_sqlite(source, target):
    """SQLite's online backup: a consistent copy, page by page, while others keep writing."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _postgresql_tool(tool, *args):
    """Run pg_dump or pg_restore on the app's database; the password goes in the environment,
    where other users' `ps` does not show it."""
    url = db.engine.url
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
            [tool, *args, f"--dbname={target}"], env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as error:
        raise Conflict("errors.backup_tool_missing", tool=tool) from error
    if done.returncode != 0:
        raise Conflict("errors.backup_tool_failed", tool=tool, detail=done.stderr.strip()[-500:])


def backup(target, photos):
    """Write the database (target/safety.db or target/safety.dump), then target/photos; returns
    the number of photo files copied (those not in target/photos already)."""
    engine = _engine()
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    if engine == "sqlite":
        _copy_sqlite(db.engine.url.database, target / DATABASE_FILE[engine])
    else:
        dump = target / DATABASE_FILE[engine]
        _postgresql_tool("pg_dump", "--format=custom", f"--file={dump}")
    return photos.export_to(target / PHOTOS_DIR)


def restore(source, photos):
    """Put a backup back (the app must be stopped): the database, then the photos; returns the
    number of photo files written."""
    engine = _engine()
    source = Path(source)
    copy = source / DATABASE_FILE[engine]
    if not copy.exists():
        raise Conflict("errors.backup_missing", file=copy.name)
    db.session.remove()
    db.engine.dispose()
    if engine == "sqlite":
        _copy_sqlite(copy, db.engine.url.database)
    else:
        # One transaction: a failed restore leaves the database as it was.
        options = ("--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error")
        _postgresql_tool("pg_restore", *options, str(copy))
    return photos.import_from(source / PHOTOS_DIR) if (source / PHOTOS_DIR).exists() else 0
