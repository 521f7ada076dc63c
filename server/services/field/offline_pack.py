"""The offline pack (离线数据, DESIGN §6): in one answer, what a phone needs with no signal.

The zones and posts the user may scan (with their sign tokens and codes, so that a QR deep link or
a typed code opens offline), the user's open tasks, and the Party days they may attend. Which
zones and posts is the policy's to say (authz.pack_zone_scope); the hazard categories and the
checklist words are in the PWA's generated vocabulary already. The phone asks again with the ETag
it has; an unchanged pack is a 304 with no body.
"""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from server.extensions import db
from server.models.base import now_utc
from server.models.loop.hazards import Hazard
from server.models.party.party_days import PartyDay
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.loop.hazards import describe_hazards
from server.services.places.zones import zone_figures
from server.services.platform.authz import (
    attendable_party_days,
    pack_post_scope,
    pack_zone_scope,
    party_day_scope,
    post_actions,
    supervised_units,
    task_scope,
    zone_actions,
)
from server.services.platform.described import Described
from server.vocabulary import OPEN_STATUSES

MAX_TASKS = 100  # newest first; older ones open online (and most users have a handful)
TASK_BATCH = 200  # candidates read at a time: most have a step to take, a few only comments
MAX_PARTY_DAYS = 50


def build_pack(user):
    """The pack as the schema dumps it: zones, posts, tasks, Party days and when it was built."""
    zone_scope = pack_zone_scope(user)
    return {
        "user_id": user.id,
        "generated_at": now_utc(),
        "zones": pack_zones(user, zone_scope),
        "posts": pack_posts(user, zone_scope),
        "tasks": pack_tasks(user),
        "party_days": pack_party_days(user),
    }


def pack_zones(user, zone_scope):
    """Active zones in the pack's scope with head, unit, figures (open and overdue counts, the last
    patrol: the phone tells a patrol due from it and the interval) and what the user may do there:
    three queries (the zones with their unit and head, the counts, the last patrols)."""
    zones = db.session.scalars(
        select(Zone)
        .options(joinedload(Zone.unit), joinedload(Zone.head))
        .where(Zone.active, zone_scope)
        .order_by(Zone.code)
    ).all()
    figures, supervised = zone_figures(zones), supervised_units(user)
    return [
        Described(zone, allowed_actions=zone_actions(user, zone, supervised), **figures[zone.id])
        for zone in zones
    ]


def pack_posts(user, zone_scope):
    """Active posts in the pack's scope, with their members loaded in one more query (who may
    check in is the holder or a member: authz.post_actions)."""
    posts = db.session.scalars(
        select(Post)
        .options(joinedload(Post.unit), joinedload(Post.holder), selectinload(Post.members))
        .where(Post.active, pack_post_scope(user, zone_scope))
        .order_by(Post.code)
    ).all()
    return [Described(post, allowed_actions=post_actions(user, post)) for post in posts]


def pack_tasks(user):
    """The user's open hazards with a step of the loop to take (an allowed action other than a
    comment), newest first, at most MAX_TASKS, each as the hazard list shows it."""
    query = (
        select(Hazard)
        .options(selectinload(Hazard.zone), selectinload(Hazard.reporter), selectinload(Hazard.assignee))
        .where(Hazard.status.in_(OPEN_STATUSES), task_scope(user))
        .order_by(Hazard.id.desc())
        .limit(TASK_BATCH)
    )
    tasks, before = [], None
    while len(tasks) < MAX_TASKS:
        batch = db.session.scalars(query if before is None else query.where(Hazard.id < before)).all()
        tasks += [h for h in describe_hazards(user, batch) if set(h.allowed_actions) - {"comment"}]
        if len(batch) < TASK_BATCH:
            break
        before = batch[-1].id
    return tasks[:MAX_TASKS]


def pack_party_days(user):
    """Party days of the user's scope that have not ended, soonest first, with "attend" for those
    the user may check in at (authz.attendable_party_days, the list form of may_attend)."""
    rows = db.session.execute(
        select(PartyDay, attendable_party_days(user).label("attendable"))
        .options(joinedload(PartyDay.organizer))
        .where(party_day_scope(user), PartyDay.ends_at >= now_utc())
        .order_by(PartyDay.starts_at, PartyDay.id)
        .limit(MAX_PARTY_DAYS)
    ).all()
    return [Described(day, allowed_actions=["attend"] if attendable else []) for day, attendable in rows]


def pack_etag(content):
    """A strong validator of the pack: SHA-256 of its canonical JSON without `generated_at` (the
    build time alone is no change); the same user with the same data gets the same tag."""
    unchanged = {key: value for key, value in content.items() if key != "generated_at"}
    text = json.dumps(unchanged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:40]
