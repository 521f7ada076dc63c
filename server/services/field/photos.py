"""Photos: idempotent upload through the image pipeline, access-checked serving, attachment, GC."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, delete, func, select

from server.extensions import db
from server.models.base import now_utc
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard
from server.services.field import photo_store
from server.services.field.images import process_image
from server.services.platform.authz import photo_visible
from server.services.platform.clock import site_zone
from server.services.platform.errors import NotFound, TooManyRequests, Unprocessable
from server.services.platform.idempotency import create_once

log = logging.getLogger(__name__)
UNATTACHED_GRACE = timedelta(days=7)
STRAY_FILE_GRACE = timedelta(hours=24)


@cache
def _uploaded_since():
    """How many photos :uploader_id uploaded since :start; built once (building cost more than
    running it, on every upload)."""
    return select(func.count()).where(
        Photo.uploader_id == bindparam("uploader_id"), Photo.created_at >= bindparam("start")
    )


def _check_quota(actor):
    start = now_utc() - timedelta(days=1)
    count = db.session.scalar(_uploaded_since(), {"uploader_id": actor.id, "start": start})
    if count >= current_app.config["PHOTO_DAILY_QUOTA"]:
        raise TooManyRequests("errors.photo_quota", headers={"Retry-After": "3600"})


@dataclass(frozen=True)
class Prepared:
    """A decoded, stripped and stored photo, not yet recorded."""

    sha256: str
    processed: object
    key: str


def prepare_photo(data):
    """Decode, strip and store the renditions: the slow part, so it runs before any query (on
    SQLite a write request's first query takes the lock every other writer waits for)."""
    processed = process_image(data, site_zone())
    key = photo_store.save({"full": processed.full, "thumb": processed.thumb})
    return Prepared(hashlib.sha256(data).hexdigest(), processed, key)


def discard_prepared(prepared):
    for each in prepared:
        photo_store.remove(each.key)


def upload_photo(actor, client_uuid, data, client_meta, quota=True):
    """(photo, created): decode, strip and store once per client UUID; a replay returns the first."""
    return record_photo(actor, client_uuid, prepare_photo(data), client_meta, quota)


def record_photo(actor, client_uuid, prepared, client_meta, quota=True):
    """(photo, created) for a prepared photo; a replay of the client UUID returns the first and
    drops this copy. Guests' photos skip the per-user quota: their limits are per address and zone."""
    processed = prepared.processed

    def build():
        if quota:
            _check_quota(actor)  # a photo not yet recorded: a replay is never refused
        return Photo(
            uploader_id=actor.id,
            client_uuid=client_uuid,
            storage_key=prepared.key,
            sha256=prepared.sha256,
            width=processed.width,
            height=processed.height,
            bytes=len(processed.full),
            **_metadata(processed, client_meta),
        )

    try:
        photo, created = create_once(
            Photo, Photo.uploader_id, actor.id, client_uuid, prepared.sha256, build, "sha256"
        )
    except Exception:
        discard_prepared([prepared])
        raise
    if not created:
        discard_prepared([prepared])  # a replay, or a concurrent twin stored the same photo first
    return photo, created


def _metadata(processed, client_meta):
    """EXIF read here wins; the phone's values (read before its canvas dropped EXIF) fill in."""
    found = {"taken_at": None, "taken_at_source": None, "lat": None, "lng": None, "gps_source": None}
    if processed.taken_at is not None:
        found.update(taken_at=processed.taken_at, taken_at_source="exif")
    elif client_meta.get("taken_at") is not None:
        found.update(taken_at=client_meta["taken_at"], taken_at_source="client")
    if processed.lat is not None:
        found.update(lat=processed.lat, lng=processed.lng, gps_source="exif")
    elif client_meta.get("lat") is not None and client_meta.get("lng") is not None:
        found.update(lat=client_meta["lat"], lng=client_meta["lng"], gps_source="client")
    return found


def photo_file(actor, photo_id, rendition):
    """(photo, download name) of a rendition the actor may see; 404 otherwise."""
    photo = photo_visible(actor, photo_id)
    name = f"photo-{photo.id}"
    if photo.hazard_id is not None:
        number = db.session.scalar(select(Hazard.number).where(Hazard.id == photo.hazard_id))
        name = f"{number}-{photo.id}"
    suffix = "" if rendition == "full" else "-thumb"
    return photo, f"{name}{suffix}.jpg"


def photo_object(photo, rendition, download_name):
    """The rendition as PHOTO_SERVE says: Stored (its bytes, streamed) or a presigned URL (str).
    A row whose object is gone is a 404 (restored without the photo store, say), never a 500."""
    try:
        if current_app.config["PHOTO_SERVE"] == "redirect":
            return photo_store.rendition_url(photo.storage_key, rendition, download_name)
        return photo_store.open_rendition(photo.storage_key, rendition)
    except photo_store.Missing as error:
        log.error("photo %s has no %s object: see `flask photos gc`", photo.id, rendition)
        raise NotFound("errors.photo_file_missing") from error


def take_photos(actor, photo_ids, field="photo_ids", **attachment):
    """Attach the actor's own unattached photos to one record (hazard and stage, check-in or patrol)."""
    if len(set(photo_ids)) != len(photo_ids):
        raise Unprocessable("errors.invalid_fields", errors={field: ["errors.photo_duplicate"]})
    photos = db.session.scalars(select(Photo).where(Photo.id.in_(photo_ids)).with_for_update()).all()
    usable = {
        p.id: p
        for p in photos
        if p.uploader_id == actor.id and p.hazard_id is None and p.checkin_id is None and p.patrol_id is None
    }
    if len(usable) != len(photo_ids):
        raise Unprocessable("errors.invalid_fields", errors={field: ["errors.photo_not_usable"]})
    for photo_id in photo_ids:
        for key, value in attachment.items():
            setattr(usable[photo_id], key, value)
    return [usable[photo_id] for photo_id in photo_ids]


def photos_without_files():
    """(photo id, hazard number or None) of each row whose stored objects are gone: reported by
    `photos gc`, never removed, since the row is evidence the audit trail points at."""
    rows = db.session.execute(
        select(Photo.id, Photo.storage_key, Hazard.number).outerjoin(Hazard, Hazard.id == Photo.hazard_id)
    ).all()
    gone = photo_store.keys_missing({key for _, key, _ in rows})
    return [(photo_id, number) for photo_id, key, number in rows if key in gone]


def collect_garbage():
    """Remove unattached photos older than 7 days (rows), and list their keys and stray objects.

    One DELETE … RETURNING re-checks "unattached" at delete time, so a photo attached meanwhile
    is never removed."""
    cutoff = now_utc() - UNATTACHED_GRACE
    stale_keys = db.session.scalars(
        delete(Photo)
        .where(
            Photo.created_at < cutoff,
            Photo.hazard_id.is_(None),
            Photo.checkin_id.is_(None),
            Photo.patrol_id.is_(None),
        )
        .returning(Photo.storage_key)
    ).all()
    known = set(db.session.scalars(select(Photo.storage_key)))
    strays = photo_store.stray_names(known | set(stale_keys), STRAY_FILE_GRACE.total_seconds())
    return stale_keys, strays
