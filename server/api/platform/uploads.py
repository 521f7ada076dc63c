"""A file uploaded as multipart form data: the CSV imports' and the photos'."""

from marshmallow import fields

from server.schemas.platform.common import Schema
from server.services.platform.errors import field_error


class CsvFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


def read_upload(files):
    """The uploaded file's bytes; the request size is already capped by MAX_CONTENT_LENGTH."""
    upload = files["file"]
    if not hasattr(upload, "read"):
        raise field_error("file", "errors.file_required")
    return upload.read()
