"""Demo field activity for `flask seed-demo`: patrols, check-ins, Party days and a letter."""

import hashlib
import uuid
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models.base import now_utc
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.party.letters import Letter, LetterRecipient
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.posts import Post
from server.services.demo.data import LETTER
from server.services.party.letters import body_hash
from server.services.platform.clock import site_today


def client_fields(rng, payload):
    """A repeatable client UUID and request hash, as a phone would have sent them."""
    return {
        "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "request_hash": hashlib.sha256(repr(payload).encode()).hexdigest(),
    }


def seed_patrols(rng, zones):
    """Weekly patrols of every zone by its head over the last nine weeks."""
    for zone in zones.values():
        for weeks_ago in range(9):  # the latest within the interval, older ones before it
            at = now_utc() - timedelta(days=7 * weeks_ago + rng.randint(1, 5))
            checklist = [{"item": c, "ok": rng.random() > 0.2} for c in ("electrical", "fire", "tools_ppe")]
            db.session.add(
                Patrol(
                    user=zone.head,
                    zone=zone,
                    created_at=at,
                    client_at=at,
                    checklist=checklist,
                    note="例行巡查",
                    **client_fields(rng, (zone.code, weeks_ago)),
                )
            )


def seed_checkins(rng):
    """Every other day's check-in by each post's holder over the last twenty days."""
    for post in db.session.scalars(select(Post)):
        for days_ago in range(0, 20, 2):
            at = now_utc() - timedelta(days=days_ago, hours=rng.randint(0, 3))
            db.session.add(
                CheckIn(
                    user=post.holder,
                    post=post,
                    created_at=at,
                    client_at=at,
                    lat=post.lat,
                    lng=post.lng,
                    accuracy_m=15,
                    distance_m=12.0,
                    within_geofence=True,
                    **client_fields(rng, (post.code, days_ago)),
                )
            )


def seed_party_building(rng, units, users):
    """A Party day going on now and one a month ago, and this year's letter to the zone heads."""
    now = now_utc()
    for theme, kind, start, who in (
        ("反违章·查隐患现场主题党日", "site_check", now - timedelta(minutes=20), ()),
        ("安全生产警示教育", "warning", now - timedelta(days=30), ("zhang", "li", "chen")),
    ):
        day = PartyDay(
            theme=theme,
            kind=kind,
            unit=units["BDZ"],
            branch="变电党支部",
            place="城东变电站会议室",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            organizer=users["zhang"],
        )
        db.session.add(day)
        db.session.flush()
        for username in who:
            db.session.add(
                Attendance(
                    party_day_id=day.id,
                    user=users[username],
                    created_at=start,
                    **client_fields(rng, (theme, username)),
                )
            )
    title, body = LETTER
    letter = Letter(
        title=title,
        year=site_today().year,
        layer="zone_head",
        body=body,
        unit=units["GD"],
        issued_by=users["admin"],
        body_hash=body_hash(body),
    )
    letter.recipients = [LetterRecipient(user=users[u]) for u in ("zhang", "li", "wang", "zhao")]
    signed = letter.recipients[0]
    signed.signature, signed.signed_hash, signed.signed_at = (
        "张建国",
        letter.body_hash,
        now - timedelta(days=3),
    )
    db.session.add(letter)
