"""Consistent backups of the SQLite database and the photo store while the app runs.

Database first (SQLite's online backup API: a consistent snapshot, writers keep going), photos
second: every photo a backed-up row names was written before its row (disk first, HARDENING
§2.3), so the copy has it; photos newer than the snapshot are harmless orphans for `photos gc`.
PostgreSQL is backed up with pg_dump (README, "Backups").
"""

import shutil
import sqlite3
from pathlib import Path

from flask import current_app

from server.extensions import db
from server.services.platform.errors import Conflict

DATABASE_FILE = "safety.db"
PHOTOS_DIR = "photos"


def _sqlite_path():
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise Conflict("errors.backup_sqlite_only")
    return Path(url.database)


def _copy_database(source, target):
    """SQLite's online backup: a consistent copy, page by page, while others keep writing."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def backup(target):
    """Write target/safety.db and target/photos; returns the number of photo files copied."""
    source = _sqlite_path()
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    _copy_database(source, target / DATABASE_FILE)
    photos = Path(current_app.config["PHOTO_DIR"])
    copied = 0
    for path in photos.glob("*/*.jpg") if photos.exists() else ():
        destination = target / PHOTOS_DIR / path.parent.name / path.name
        if not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied += 1
    return copied


def restore(source):
    """Put a backup back (the app must be stopped): the database file, then the photos."""
    target = _sqlite_path()
    source = Path(source)
    if not (source / DATABASE_FILE).exists():
        raise Conflict("errors.backup_missing")
    db.engine.dispose()
    _copy_database(source / DATABASE_FILE, target)
    photos = Path(current_app.config["PHOTO_DIR"])
    if (source / PHOTOS_DIR).exists():
        shutil.copytree(source / PHOTOS_DIR, photos, dirs_exist_ok=True)
