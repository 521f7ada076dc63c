"""Demonstration posts (示范岗): admin set-up."""

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.schemas.places.posts import PostInSchema
from server.services.accounts.admin_log import difference, record_admin_change
from server.services.places import common
from server.services.places.qr import sign_url
from server.services.platform.authz import check_in_refusal, post_actions, require_capability
from server.services.platform.csv_import import import_rows, read_csv
from server.services.platform.described import Described
from server.services.platform.errors import field_error
from server.services.platform.pagination import keyset_page


def list_posts(unit_id=None, zone_id=None, holder_id=None, active=None, limit=50, cursor=None):
    query = select(Post)
    for column, value in ((Post.unit_id, unit_id), (Post.zone_id, zone_id), (Post.holder_id, holder_id)):
        if value is not None:
            query = query.where(column == value)
    if active is not None:
        query = query.where(Post.active == active)
    return keyset_page(query, Post.id, limit, cursor, descending=False)


def get_post(post_id):
    return common.get_place(Post, post_id)


def _check(data, post=None):
    common.check_location(post, data)
    if "code" in data:
        common.check_code_free(Post, data["code"], post and post.id)
    if "unit_id" in data:
        common.check_unit(data["unit_id"])
    if data.get("zone_id") is not None and db.session.get(Zone, data["zone_id"]) is None:
        raise field_error("zone_id", "errors.unknown_zone")
    if post is None or {"holder_id", "unit_id"} & data.keys():
        holder_id, unit_id = common.merged(post, data, "holder_id", "unit_id")
        common.check_party_member("holder_id", holder_id, unit_id)


def create_post(actor, data):
    """A new post (admin); its holder is an active Party member who covers its unit."""
    require_capability(actor, "manage_places")
    post = _add_post(data)
    record_admin_change(actor, "post_created", post, {"holder_id": post.holder_id})
    return post


def import_posts(actor, raw):
    """Posts from a CSV file (admin): all rows or none."""
    require_capability(actor, "manage_places")
    return len(import_rows(read_csv(raw), PostInSchema(), _add_post))


def _members(member_ids):
    """Members who may check in besides the holder: active Party members."""
    users = db.session.scalars(select(User).where(User.id.in_(member_ids))).all()
    if len(users) != len(set(member_ids)) or not all(u.active and u.is_party_member for u in users):
        raise field_error("member_ids", "errors.members_party")
    return users


def _add_post(data):
    _check(data)
    members = _members(data.pop("member_ids", []))
    post = Post(**data, members=members)
    db.session.add(post)
    db.session.flush()
    return post


def update_post(actor, post_id, data):
    """Change a post (admin)."""
    require_capability(actor, "manage_places")
    post = get_post(post_id)
    _check(data, post)
    record_admin_change(actor, "post_changed", post, difference(post, data))
    if "member_ids" in data:
        post.members = _members(data.pop("member_ids"))
    return common.apply_changes(post, data)


def rotate_post_token(actor, post_id):
    """A new QR token (admin): the old printed sign stops working."""
    require_capability(actor, "manage_places")
    post = common.rotate_token(get_post(post_id))
    record_admin_change(actor, "token_rotated", post)
    return post


def describe_posts(actor, posts):
    return [
        Described(
            post,
            sign_url=sign_url("post", post.qr_token),
            allowed_actions=post_actions(actor, post),
            check_in_refusal=check_in_refusal(actor, post),
        )
        for post in posts
    ]
