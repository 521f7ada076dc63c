"""Users (admin): what an admin sends and sees; passwords and session nonces never go out."""

from marshmallow import fields, validate

from server.schemas.platform.common import Choice, Id, PageArgs, QueryId, Schema, Text, UnitRefSchema, page_of
from server.vocabulary import ROLES


class UserFieldsSchema(Schema):
    username = Text(64, required=True, word=True)
    name = Text(100, required=True)
    role = Choice(ROLES, required=True)
    unit_id = Id(required=True)
    is_party_member = fields.Boolean()
    party_branch = Text(100)
    phone = Text(32)


class UserInSchema(UserFieldsSchema):
    is_party_member = fields.Boolean(load_default=False)
    password = fields.String(required=True, validate=validate.Length(max=1024))
    must_change_password = fields.Boolean(load_default=True)


class UserPatchSchema(UserFieldsSchema):
    """Loaded with partial=True: only the fields sent change."""

    active = fields.Boolean()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    role = fields.String()
    unit = fields.Nested(UnitRefSchema)
    is_party_member = fields.Boolean()
    party_branch = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    active = fields.Boolean()
    must_change_password = fields.Boolean()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime(allow_none=True)


UserPageSchema = page_of(UserSchema)


class UserQuerySchema(PageArgs):
    unit_id = QueryId()
    role = Choice(ROLES)
    active = fields.Boolean()
    q = Text(100)


class OneTimePasswordSchema(Schema):
    username = fields.String()
    one_time_password = fields.String()


class ImportResultSchema(Schema):
    created = fields.Integer(metadata={"description": "rows created, or that would be on a dry run"})
    dry_run = fields.Boolean()
    passwords = fields.List(fields.Nested(OneTimePasswordSchema))
