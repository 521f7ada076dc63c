"""Demonstration posts: every signed-in user reads them; admins set them up."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.places.signs import sign_image
from server.api.platform.capability import needs
from server.api.platform.csv_files import add_import_routes
from server.extensions import db
from server.schemas.field.checkins import MonthQuerySchema, PostMonthSchema
from server.schemas.places.common import ImportCountSchema
from server.schemas.places.posts import PostInSchema, PostPageSchema, PostQuerySchema, PostSchema
from server.services.field import checkins
from server.services.places import posts
from server.services.platform.pagination import page

blp = Blueprint("posts", __name__, url_prefix="/api/v1/posts", description="Party member demonstration posts")


def _one(post):
    return posts.describe_posts(current_user, [post])[0]


@blp.route("", methods=["GET"])
@blp.arguments(PostQuerySchema, location="query")
@blp.response(200, PostPageSchema)
def list_posts(args):
    """Posts with their holder and commitment."""
    rows, next_cursor = posts.list_posts(**args)
    return page(posts.describe_posts(current_user, rows), next_cursor)


@blp.route("/<int:post_id>", methods=["GET"])
@blp.response(200, PostSchema)
def get_post(post_id):
    """One post."""
    return _one(posts.get_post(post_id))


@blp.route("/<int:post_id>/stats", methods=["GET"])
@blp.arguments(MonthQuerySchema, location="query")
@blp.response(200, PostMonthSchema)
def month_stats(args, post_id):
    """Who checked in on which day of a month (site time), for the post's calendar."""
    year, month = (int(part) for part in args["month"].split("-"))
    return checkins.month_stats(current_user, post_id, (year, month))


@blp.route("", methods=["POST"])
@needs("manage_places")
@blp.arguments(PostInSchema)
@blp.response(201, PostSchema)
def create_post(data):
    """Add a post (admin)."""
    post = posts.create_post(current_user, data)
    db.session.commit()
    return _one(post)


@blp.route("/<int:post_id>", methods=["PATCH"])
@needs("manage_places")
@blp.arguments(PostInSchema(partial=True))
@blp.response(200, PostSchema)
def update_post(data, post_id):
    """Change or deactivate a post (admin)."""
    post = posts.update_post(current_user, post_id, data)
    db.session.commit()
    return _one(post)


@blp.route("/<int:post_id>/rotate-token", methods=["POST"])
@needs("manage_places")
@blp.response(200, PostSchema)
def rotate_token(post_id):
    """Issue a new QR token (admin); signs printed before stop working."""
    post = posts.rotate_post_token(current_user, post_id)
    db.session.commit()
    return _one(post)


@blp.route("/<int:post_id>/qr.<any(svg, png):image_format>", methods=["GET"])
@blp.response(200, content_type="image/svg+xml")
def qr_image(post_id, image_format):
    """The post's QR sign as SVG or PNG."""
    return sign_image("post", posts.get_post(post_id), image_format)


add_import_routes(
    blp,
    "posts",
    "manage_places",
    lambda actor, raw, dry_run: {"created": posts.import_posts(actor, raw)},
    ImportCountSchema,
    "Posts",
)
