"""Check-ins at demonstration posts (党员示范岗打卡), with a geofence and a monthly calendar."""

from calendar import monthrange
from datetime import datetime, time, timedelta

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.places.posts import Post
from server.services.field.geofence import where_checked_in
from server.services.field.photos import take_photos
from server.services.places.common import get_place
from server.services.platform.authz import checkin_scope, checkins_seen_at, why_not_check_in
from server.services.platform.clock import site_zone
from server.services.platform.errors import Conflict, Forbidden
from server.services.platform.idempotency import create_once, request_hash
from server.services.platform.pagination import keyset_page


def create_checkin(actor, data):
    """(check-in, created): idempotent by client_uuid; the server computes the fence."""
    payload_hash = request_hash(data)
    post = get_place(Post, data["post_id"])

    def build():
        if not post.active:
            raise Conflict("errors.post_inactive")
        refusal = why_not_check_in(actor, post)
        if refusal is not None:
            raise Forbidden(refusal)
        position = where_checked_in(post, data, required=post.geofence_policy == "require")
        checkin = CheckIn(
            user_id=actor.id,
            post_id=post.id,
            client_uuid=data["client_uuid"],
            request_hash=payload_hash,
            client_at=data.get("client_at"),
            note=data.get("note"),
            **position,
        )
        db.session.add(checkin)
        db.session.flush()
        if data.get("photo_id") is not None:
            take_photos(actor, [data["photo_id"]], field="photo_id", checkin_id=checkin.id)
        return checkin

    return create_once(CheckIn, CheckIn.user_id, actor.id, data["client_uuid"], payload_hash, build)


def list_checkins(actor, post_id=None, user_id=None, since=None, until=None, limit=50, cursor=None):
    """Own check-ins; a supervisor's subtree; everything for an admin."""
    query = select(CheckIn).where(checkin_scope(actor))
    for column, value in ((CheckIn.post_id, post_id), (CheckIn.user_id, user_id)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(CheckIn.created_at >= since)
    if until is not None:
        query = query.where(CheckIn.created_at < until)
    return keyset_page(query, CheckIn.id, limit, cursor)


def month_stats(actor, post_id, month):
    """Who checked in on which day of a month (site time), for the post's calendar. The holder
    sees everyone at the post; others only the check-ins their scope allows (their own)."""
    post = get_place(Post, post_id)
    scope = checkins_seen_at(actor, post)
    year, number = month
    zone = site_zone()
    start = datetime.combine(datetime(year, number, 1).date(), time(), zone)
    end = start + timedelta(days=monthrange(year, number)[1])
    rows = db.session.execute(
        select(CheckIn.created_at, User.id, User.name)
        .join(User, User.id == CheckIn.user_id)
        .where(CheckIn.post_id == post.id, CheckIn.created_at >= start, CheckIn.created_at < end, scope)
        .order_by(CheckIn.created_at)
    ).all()
    days, people = {}, {}
    for created_at, user_id, name in rows:
        day = created_at.astimezone(zone).date().isoformat()
        days.setdefault(day, {})[user_id] = name
        people.setdefault(user_id, {"id": user_id, "name": name, "days": set()})["days"].add(day)
    return {
        "post_id": post.id,
        "month": f"{year:04d}-{number:02d}",
        "days": [
            {"date": day, "count": len(users), "users": [{"id": i, "name": n} for i, n in users.items()]}
            for day, users in sorted(days.items())
        ],
        "people": [
            {"id": p["id"], "name": p["name"], "days_checked_in": len(p["days"])}
            for p in sorted(people.values(), key=lambda p: p["id"])
        ],
        "days_checked_in": len(days),
    }


def post_days(units, since, until):
    """(post-days with a check-in, active posts × days) in the period: the dashboard's check-in rate."""
    posts = select(Post.id).where(Post.active)
    if units is not None:
        posts = posts.where(Post.unit_id.in_(units))
    post_ids = db.session.scalars(posts).all()
    if not post_ids:
        return 0, 0
    days = max(1, round((until - since).total_seconds() / 86400))
    return len(checked_days(post_ids, since, until)), len(post_ids) * days


def checked_days(post_ids, since, until):
    """{(post id, site day)} with at least one check-in at the post in [since, until)."""
    zone = site_zone()
    moments = db.session.execute(
        select(CheckIn.post_id, CheckIn.created_at).where(
            CheckIn.post_id.in_(post_ids), CheckIn.created_at >= since, CheckIn.created_at < until
        )
    ).all()
    return {(post_id, moment.astimezone(zone).date()) for post_id, moment in moments}
