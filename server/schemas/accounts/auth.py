"""Sign-in and the signed-in user."""

from marshmallow import fields, validate

from server.schemas.platform.common import Schema, Text, UnitRefSchema


class LoginSchema(Schema):
    username = Text(64, required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(required=True, validate=validate.Length(max=1024))


class MeUserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    role = fields.String()
    is_party_member = fields.Boolean()
    party_branch = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    unit = fields.Nested(UnitRefSchema)
    zone_ids = fields.List(fields.Integer())
    may = fields.List(fields.String(), metadata={"description": "the caller's capabilities (authz.MAY)"})
    must_change_password = fields.Boolean()


class SessionSchema(Schema):
    user = fields.Nested(MeUserSchema)
    csrf_token = fields.String()
    sso = fields.Boolean(metadata={"description": "the session came through single sign-on"})


class SsoStartSchema(Schema):
    next = fields.String(
        load_default=None,
        validate=validate.Length(max=2048),
        metadata={"description": "the app's path to come back to; anything else comes back to /"},
    )


class CasCallbackSchema(SsoStartSchema):
    ticket = fields.String(
        load_default=None, validate=validate.Length(max=2048), metadata={"description": "CAS ticket"}
    )


class SignInMethodsSchema(Schema):
    password = fields.Boolean(metadata={"description": "false: only admins sign in with a password"})
    sso = fields.Boolean(metadata={"description": "single sign-on is configured"})
    sso_label = fields.String(allow_none=True, metadata={"description": "the button's text; null: the app's"})
    sso_start = fields.String(
        allow_none=True, metadata={"description": "the button's target (OIDC or CAS); null: none"}
    )


class SignOutSchema(Schema):
    end_session_url = fields.String(metadata={"description": "the identity platform's sign-out page"})
