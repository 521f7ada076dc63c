"""Single sign-on through a CAS 2/3 server (README "Single sign-on"), beside OpenID Connect and
never with it. python-cas builds the login URL and validates the ticket at the server (which
spends it: a ticket works once, for the one service URL it was issued to); services/accounts/
sso.py decides who the CAS user is, as for OpenID Connect. Both routes are browser navigations:
every failure is a redirect to the login screen with ?sso_error=<code>."""

import logging
from urllib.parse import urlencode
from xml.etree.ElementTree import ParseError

import requests
from cas import CASClient
from flask import current_app, redirect, session
from flask_smorest import Blueprint

from server.access_log import security_event
from server.api.accounts.sessions import SSO_METHOD, start_session
from server.api.accounts.sso import back_to_login, public_url
from server.extensions import db
from server.pages import app_path
from server.schemas.accounts.auth import CasCallbackSchema, SsoStartSchema
from server.services.accounts import sso
from server.services.accounts.sso import CAS_SUBJECT_PREFIX, SsoRefused

blp = Blueprint("cas", __name__, url_prefix="/api/v1/auth/cas", description="Single sign-on (CAS)")

CALLBACK_PATH = "/api/v1/auth/cas/callback"
TIMEOUT_SECONDS = 10
# What a broken answer of the server raises in python-cas's parsing: not XML, an empty document,
# a success without its <cas:user>.
ANSWER_ERRORS = (ParseError, IndexError, AttributeError)


class _TimedSession(requests.Session):
    """python-cas asks without a timeout; a CAS server that hangs must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def _client(next_path):
    """The client for one round trip: the service URL carries `next`, so the ticket validates
    only for the `next` it was issued with (a `next` changed on the way back is refused)."""
    config = current_app.config
    query = f"?{urlencode({'next': next_path})}" if next_path != "/" else ""
    return CASClient(
        version=config["CAS_VERSION"],
        service_url=public_url(CALLBACK_PATH + query),
        server_url=config["CAS_SERVER_URL"],
        session=_TimedSession(),
    )


@blp.route("/start", methods=["GET"])
@blp.arguments(SsoStartSchema, location="query")
@blp.response(302, description="to the CAS server's login, or back to the login screen (?sso_error=)")
def start(args):
    """Sign in at the CAS server, then come back to `next` (one of the app's paths)."""
    next_path = app_path(args.get("next"))
    if not sso.cas_configured(current_app.config):
        return back_to_login("unavailable", next_path)
    return redirect(_client(next_path).get_login_url(), 302)


@blp.route("/callback", methods=["GET"])
@blp.arguments(CasCallbackSchema, location="query")
@blp.response(302, description="to the app signed in, or back to the login screen (?sso_error=)")
def callback(args):
    """The CAS server sends the browser back here with a ticket, which the app validates there."""
    next_path = app_path(args.get("next"))
    if not sso.cas_configured(current_app.config):
        return back_to_login("unavailable", next_path)
    if not args.get("ticket"):
        return back_to_login("failed", next_path, why="no ticket")
    # The service URL as it was sent: an unchecked `next` fails the validation, not a redirect.
    try:
        cas_user, attributes, _ = _client(args.get("next") or "/").verify_ticket(args["ticket"])
    except requests.RequestException as error:
        return back_to_login("unavailable", next_path, error=type(error).__name__)
    except ANSWER_ERRORS as error:
        return back_to_login("failed", next_path, error=type(error).__name__)
    if not cas_user:  # an invalid, spent or foreign ticket: the server's authenticationFailure
        return back_to_login("failed", next_path, why="ticket not validated")
    try:
        user = sso.account_for_claims(_claims(cas_user, attributes or {}))
    except SsoRefused as refused:
        db.session.rollback()
        return back_to_login(refused.code, next_path, **refused.details)
    db.session.commit()
    start_session(user, sso_method="cas")
    security_event("authn_login_success", level=logging.INFO, username=user.username, method="cas")
    return redirect(next_path, 302)


def _claims(cas_user, attributes):
    """The CAS answer as the claims services/accounts/sso.py matches (sso.matching names them)."""
    config = current_app.config

    def attribute(name):
        value = attributes.get(name) if name else None
        return value[0] if isinstance(value, list) and value else value

    return {
        "sub": CAS_SUBJECT_PREFIX + cas_user.strip(),
        "username": cas_user,
        "name": attribute(config["CAS_NAME_ATTRIBUTE"]),
        "unit": attribute(config["CAS_UNIT_ATTRIBUTE"]),
    }


def logout_url():
    """The CAS server's sign-out for a session made through it (it comes back to the app), else None."""
    config = current_app.config
    if session.get(SSO_METHOD) != "cas" or not sso.cas_configured(config):
        return None
    return _client("/").get_logout_url(public_url("/"))
