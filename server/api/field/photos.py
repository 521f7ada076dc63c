"""Photos: idempotent upload, and access-checked renditions."""

from flask import current_app, redirect, request
from flask_login import current_user
from flask_smorest import Blueprint
from werkzeug.wsgi import wrap_file

from server.api.platform.uploads import read_upload
from server.database import commit_keeping
from server.schemas.field.photos import PhotoFileSchema, PhotoFormSchema, PhotoSchema
from server.services.field import photos

blp = Blueprint("photos", __name__, url_prefix="/api/v1/photos", description="Hazard and field photos")

PHOTO_CACHING = "private, max-age=31536000, immutable"
# Served only to those who may see it; the browser must never run or sniff it as anything else.
PHOTO_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


@blp.route("", methods=["POST"])
@blp.arguments(PhotoFormSchema, location="form")
@blp.arguments(PhotoFileSchema, location="files")
@blp.response(201, PhotoSchema)
@blp.alt_response(200, schema=PhotoSchema, description="A replay of the same client_uuid")
def upload_photo(form, files):
    """Upload a JPEG, PNG, WebP or HEIC photo; stored as a stripped JPEG and a thumbnail."""
    client_uuid = form.pop("client_uuid")
    photo, created = photos.upload_photo(current_user, client_uuid, read_upload(files), form)
    commit_keeping()
    return photo, 201 if created else 200


@blp.route("/<int:photo_id>/<any(full, thumb):rendition>.jpg", methods=["GET"])
@blp.response(200, content_type="image/jpeg")
@blp.alt_response(302, description="PHOTO_SERVE=redirect: to a short-lived presigned URL")
def photo_rendition(photo_id, rendition):
    """A photo rendition, for those who may see what it is attached to."""
    photo, name = photos.photo_file(current_user, photo_id, rendition)
    etag = f"{photo.sha256[:32]}-{rendition}"
    if request.if_none_match.contains(etag):  # a 304 carries the caching of the 200 it confirms
        headers = {"ETag": f'"{etag}"', "Cache-Control": PHOTO_CACHING, **PHOTO_HEADERS}
        return current_app.response_class(status=304, headers=headers)
    stored = photos.photo_object(photo, rendition, name)
    if isinstance(stored, str):  # the browser may keep the redirect for half the URL's life
        response = redirect(stored, 302)
        response.headers["Cache-Control"] = f"private, max-age={current_app.config['PHOTO_URL_SECONDS'] // 2}"
        return response
    body = wrap_file(request.environ, stored.stream)
    response = current_app.response_class(body, mimetype="image/jpeg", direct_passthrough=True)
    response.content_length = stored.length
    response.set_etag(etag)
    response.headers.update(PHOTO_HEADERS)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = PHOTO_CACHING
    return response
