"""Photo files: random names outside any static folder, written disk-first and atomically.

Write tmp-<random>, fsync, os.replace, and only then insert the row (HARDENING §2.3): a crash
leaves at most an orphan file, swept by `flask photos gc`, never a row without its file.
"""

import errno
import os
import secrets
import time
from pathlib import Path

from flask import current_app

from server.services.platform.errors import DomainError

RENDITIONS = ("full", "thumb")


class StorageFull(DomainError):
    status = 507
    slug = "storage-full"


def root():
    return Path(current_app.config["PHOTO_DIR"])


def path_for(key, rendition):
    return root() / key[:2] / f"{key}.{rendition}.jpg"


def _write_atomic(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"tmp-{secrets.token_hex(8)}"
    try:
        with open(tmp, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull("errors.storage_full", headers={"Retry-After": "60"}) from error
        raise


def save(renditions):
    """Store {rendition: bytes} under one new random key and return the key."""
    key = secrets.token_hex(16)
    try:
        for rendition, data in renditions.items():
            _write_atomic(path_for(key, rendition), data)
    except Exception:
        remove(key)
        raise
    return key


def missing(key):
    """The renditions of a key whose files are gone (a restore without the photo store)."""
    return [rendition for rendition in RENDITIONS if not path_for(key, rendition).is_file()]


def remove(key):
    for rendition in RENDITIONS:
        path_for(key, rendition).unlink(missing_ok=True)


def stray_files(known_keys, older_than_seconds):
    """Files no row names (and abandoned tmp files), older than the grace period."""
    cutoff = time.time() - older_than_seconds
    if not root().exists():
        return []
    strays = []
    for path in root().glob("*/*"):
        key = path.name.split(".", 1)[0]
        if path.stat().st_mtime < cutoff and (path.name.startswith("tmp-") or key not in known_keys):
            strays.append(path)
    return strays
