"""Responsibility letters: what an admin issues, a signature, and the letter as shown."""

from marshmallow import fields, validate

from server.schemas.platform.common import Choice, Id, Schema, Text, UserRefSchema
from server.vocabulary import LETTER_LAYERS


class LetterInSchema(Schema):
    title = Text(100, required=True)
    year = fields.Integer(strict=True, required=True, validate=validate.Range(2000, 2100))
    layer = Choice(LETTER_LAYERS, required=True)
    body = Text(20_000, required=True)
    unit_id = Id(required=True)
    recipient_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=2000))


class SignatureInSchema(Schema):
    signature = Text(100, required=True, metadata={"description": "the signer's full name, typed"})
    body_hash = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$"),
        metadata={"description": "sha256 of the text the signer read"},
    )


class RecipientSchema(Schema):
    id = fields.Integer()
    user = fields.Nested(UserRefSchema)
    signed_at = fields.DateTime(allow_none=True)
    signature = fields.String(allow_none=True)
    signed_hash = fields.String(allow_none=True)


class LetterSummarySchema(Schema):
    """A letter in the list: no text and no recipients (the letter itself has them)."""

    id = fields.Integer()
    title = fields.String()
    year = fields.Integer()
    layer = fields.String()
    body_hash = fields.String()
    unit_id = fields.Integer()
    issued_by = fields.Nested(UserRefSchema)
    created_at = fields.DateTime()
    mine = fields.Nested(RecipientSchema, allow_none=True)
    recipient_count = fields.Integer()
    signed_count = fields.Integer()
    may_follow = fields.Boolean(metadata={"description": "the caller sees who signed (the authz policy)"})


class LetterSchema(LetterSummarySchema):
    body = fields.String()
    recipients = fields.List(fields.Nested(RecipientSchema), allow_none=True)


class LetterListSchema(Schema):
    items = fields.List(fields.Nested(LetterSummarySchema))


class LetterQuerySchema(Schema):
    year = fields.Integer(validate=validate.Range(2000, 2100))
    unsigned = fields.Boolean(metadata={"description": "only letters waiting for the caller's signature"})
