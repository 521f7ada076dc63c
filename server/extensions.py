"""Flask extensions, created unbound; create_app binds them."""

from apispec.ext.marshmallow import MarshmallowPlugin, resolver
from flask import current_app, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from flask_wtf.csrf import CSRFProtect

from server.caller import client_address
from server.models.base import Base
from server.schemas.platform.common import ProblemSchema


class ProblemApi(Api):
    """flask-smorest documenting problem+json as the error body (handlers in server.problems)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """The error responses flask-smorest documents carry problem+json, as they are sent."""
        self.DEFAULT_RESPONSE_CONTENT_TYPE = "application/problem+json"
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE


class HeaderCsrfProtect(CSRFProtect):
    """The token comes from the X-CSRF-Token header only. Flask-WTF looks through the form
    fields first, and a multipart part without a readable name made that a 500 (schemathesis)."""

    def _get_csrf_token(self):
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            if token := request.headers.get(header):
                return token
        return None


class AppSession(Session):
    """The class of db.session's sessions, ours alone: the hooks create_app registers on db.session
    (register_session_hooks) reach these sessions and no other, not a script's own Session(engine)."""


db = SQLAlchemy(model_class=Base, session_options={"class_": AppSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = HeaderCsrfProtect()
limiter = Limiter(key_func=client_address)


def _schema_name(schema):
    """PATCH bodies reuse the create schema with partial=True; name them apart in OpenAPI."""
    name = resolver(schema)
    return name + "Patch" if getattr(schema, "partial", False) is True else name


api = ProblemApi(spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})
