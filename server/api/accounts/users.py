"""Users (admin): accounts, password resets, sign-outs and CSV import."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.api.platform.capability import needs
from server.api.platform.csv_files import add_import_routes
from server.extensions import db
from server.schemas.accounts.users import (
    ImportResultSchema,
    OneTimePasswordSchema,
    UserInSchema,
    UserPageSchema,
    UserPatchSchema,
    UserQuerySchema,
    UserSchema,
)
from server.services.accounts import users
from server.services.platform.pagination import page

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Accounts (admin)")


@blp.route("", methods=["GET"])
@needs("manage_accounts")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserPageSchema)
def list_users(args):
    """Accounts, filtered by unit, role, active or a search text."""
    return page(*users.list_users(current_user, **args))


@blp.route("", methods=["POST"])
@needs("manage_accounts")
@blp.arguments(UserInSchema)
@blp.response(201, UserSchema)
def create_user(data):
    """Add an account."""
    user = users.create_user(current_user, data)
    db.session.commit()
    return user


@blp.route("/<int:user_id>", methods=["GET"])
@needs("manage_accounts")
@blp.response(200, UserSchema)
def get_user(user_id):
    """One account."""
    return users.get_user(current_user, user_id)


@blp.route("/<int:user_id>", methods=["PATCH"])
@needs("manage_accounts")
@blp.arguments(UserPatchSchema(partial=True))
@blp.response(200, UserSchema)
def update_user(data, user_id):
    """Change an account; active=false signs the user out everywhere."""
    user = users.update_user(current_user, user_id, data)
    db.session.commit()
    return user


@blp.route("/<int:user_id>/reset-password", methods=["POST"])
@needs("manage_accounts")
@blp.response(200, OneTimePasswordSchema)
def reset_password(user_id):
    """A one-time password to hand over; the user must change it at sign-in."""
    result = users.reset_password(current_user, user_id)
    db.session.commit()
    return result


@blp.route("/<int:user_id>/sessions/revoke", methods=["POST"])
@needs("manage_accounts")
@blp.response(204)
def revoke_sessions(user_id):
    """Sign the user out on every device."""
    users.revoke_sessions(current_user, user_id)
    db.session.commit()


add_import_routes(
    blp,
    "users",
    "manage_accounts",
    users.import_users,
    ImportResultSchema,
    "Accounts, each with a one-time password,",
)
