"""Photo objects: random names outside any static folder, one interface over two backends.

PHOTO_STORE picks the backend: "local", a folder (the default), or "s3", an S3-compatible bucket
(services/field/photo_bucket.py). Both hold the same names, `<2 hex>/<key>.<rendition>.jpg`, so
a backup of one restores into the other. Object first, row second (HARDENING §2.3): a crash
leaves at most an orphan object, swept by `flask photos gc`, never a row without its object.
The folder writes tmp-<random>, fsyncs and renames; a bucket's PUT is atomic by itself.
"""

import contextlib
import errno
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from server.services.platform.errors import DomainError

RENDITIONS = ("full", "thumb")
BACKENDS = ("local", "s3")
SERVE_MODES = ("stream", "redirect")


class StorageFull(DomainError):
    status = 507
    slug = "storage-full"


class StoreUnavailable(DomainError):
    """The object store did not answer: the phone's outbox retries (503), nothing is recorded."""

    status = 503
    slug = "photo-store-unavailable"

    def __init__(self):
        super().__init__("errors.photo_store_unavailable", headers={"Retry-After": "30"})


class Missing(Exception):
    """No object under that name."""


@dataclass(frozen=True)
class Stored:
    """An object's bytes, as a stream to send on, and its length."""

    stream: object
    length: int


def name_for(key, rendition):
    return f"{key[:2]}/{key}.{rendition}.jpg"


class LocalFolder:
    """The default backend: a folder (shared by every app host when there are several)."""

    def __init__(self, root):
        self.root = Path(root)

    def write(self, name, data):
        path = self.root / name
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

    def open(self, name):
        try:
            file = open(self.root / name, "rb")  # noqa: SIM115 - the response closes it
        except FileNotFoundError as error:
            raise Missing(name) from error
        return Stored(file, os.fstat(file.fileno()).st_size)

    def url(self, name, download_name, seconds):
        raise RuntimeError("a folder has no presigned URLs (PHOTO_SERVE=redirect needs PHOTO_STORE=s3)")

    def delete(self, name):
        (self.root / name).unlink(missing_ok=True)

    def listing(self):
        """(name, modified as a Unix time) of every object, abandoned tmp files included."""
        if not self.root.exists():
            return
        for path in self.root.glob("*/*"):
            yield f"{path.parent.name}/{path.name}", path.stat().st_mtime

    def check(self):
        self.root.mkdir(parents=True, exist_ok=True)
        return os.access(self.root, os.W_OK)


def build_store(config):
    """The backend the configuration names (register_photo_store keeps one per app)."""
    if config["PHOTO_STORE"] not in BACKENDS or config["PHOTO_SERVE"] not in SERVE_MODES:
        raise RuntimeError(f"PHOTO_STORE is one of {BACKENDS}, PHOTO_SERVE one of {SERVE_MODES}")
    if config["PHOTO_STORE"] == "local":
        if config["PHOTO_SERVE"] == "redirect":
            raise RuntimeError("PHOTO_SERVE=redirect needs PHOTO_STORE=s3")
        return LocalFolder(config["PHOTO_DIR"])
    from server.services.field.photo_bucket import S3Bucket  # boto3 only when a bucket is used

    return S3Bucket.from_config(config)


def register_photo_store(app):
    app.extensions["photo_store"] = build_store(app.config)


def redirect_origin(app):
    """The bucket's origin when photos are redirected to it (PHOTO_SERVE=redirect), for the CSP."""
    if app.config["PHOTO_SERVE"] != "redirect":
        return None
    return app.extensions["photo_store"].origin()


def backend():
    return current_app.extensions["photo_store"]


def save(renditions):
    """Store {rendition: bytes} under one new random key and return the key."""
    key = secrets.token_hex(16)
    try:
        for rendition, data in renditions.items():
            backend().write(name_for(key, rendition), data)
    except Exception:
        with contextlib.suppress(OSError, StoreUnavailable):  # what is left is an orphan for gc
            remove(key)
        raise
    return key


def open_rendition(key, rendition):
    """Stored(stream, length) of a rendition; Missing when its object is gone."""
    return backend().open(name_for(key, rendition))


def rendition_url(key, rendition, download_name):
    """A short-lived presigned URL of a rendition (PHOTO_SERVE=redirect); Missing when gone."""
    return backend().url(name_for(key, rendition), download_name, current_app.config["PHOTO_URL_SECONDS"])


def remove(key):
    for rendition in RENDITIONS:
        backend().delete(name_for(key, rendition))


def delete(name):
    backend().delete(name)


def names():
    return {name for name, _ in backend().listing()}


def keys_missing(keys):
    """The keys of which some rendition has no object (a restore without the photo store).
    List the store after reading the keys: objects are written before their rows."""
    present = names()
    return {key for key in keys if any(name_for(key, r) not in present for r in RENDITIONS)}


def stray_names(known_keys, older_than_seconds):
    """Objects no row names (and abandoned tmp files), older than the grace period."""
    cutoff = time.time() - older_than_seconds
    strays = []
    for name, modified in backend().listing():
        base = name.rsplit("/", 1)[-1]
        if modified < cutoff and (base.startswith("tmp-") or base.split(".", 1)[0] not in known_keys):
            strays.append(name)
    return strays


def export_to(folder):
    """Copy every photo object into folder/<name> that is not there yet; the count copied."""
    folder, copied = Path(folder), 0
    for name, _ in backend().listing():
        destination = folder / name
        if name.endswith(".jpg") and not destination.exists():
            stored = backend().open(name)
            try:
                data = stored.stream.read()
            finally:
                stored.stream.close()
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)
            copied += 1
    return copied


def import_from(folder):
    """Write every photo file of folder (as export_to laid it out) into the store."""
    count = 0
    for path in sorted(Path(folder).glob("*/*.jpg")):
        backend().write(f"{path.parent.name}/{path.name}", path.read_bytes())
        count += 1
    return count


def check():
    """Whether the store answers and takes writes (for /health)."""
    try:
        return backend().check()
    except (OSError, StoreUnavailable, Missing):  # Missing: the bucket itself is gone
        return False
