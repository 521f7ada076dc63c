"""Single sign-on through the company's identity platform (OpenID Connect, README "Single
sign-on"). Authlib's Flask client does the protocol and its checks (state, nonce, PKCE S256, the
ID token); services/accounts/sso.py decides who the claims are. Both routes are browser
navigations: every failure is a redirect to the login screen with ?sso_error=<code>."""

import logging
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app, redirect, request, session
from flask_smorest import Blueprint
from joserfc.errors import JoseError

from server.access_log import security_event
from server.api.accounts.sessions import SSO_ID_TOKEN, start_session
from server.extensions import db
from server.pages import app_path
from server.schemas.accounts.auth import SignInMethodsSchema, SsoStartSchema
from server.services.accounts import sso
from server.services.accounts.sso import SsoRefused

blp = Blueprint("sso", __name__, url_prefix="/api/v1/auth", description="Single sign-on")

CLIENT = "company"
CALLBACK_PATH = "/api/v1/auth/sso/callback"
NEXT_KEY = "sso_next"  # where the browser goes back to, kept in the session across the round trip
PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, RuntimeError, ValueError)
CANCELLED = frozenset({"access_denied"})


def register_sso(app):
    """One Authlib registry per app (tests build several apps with different providers)."""
    oauth = OAuth(app)
    sso.check_settings(app.config)
    if sso.is_configured(app.config):
        oauth.register(
            CLIENT,
            server_metadata_url=app.config["OIDC_METADATA_URL"],
            client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256"},
        )


def _client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(CLIENT)


def public_url(path):
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def back_to_login(code, next_path="/", **details):
    security_event("authn_sso_fail", reason=code, **details)
    query = {"sso_error": code, **({"next": next_path} if next_path != "/" else {})}
    return redirect("/?" + urlencode(query), 302)


@blp.route("/methods", methods=["GET"])
@blp.response(200, SignInMethodsSchema)
def methods():
    """How one may sign in here, for the login screen before anyone is signed in."""
    config = current_app.config
    if sso.cas_configured(config):
        start_path, label = "/api/v1/auth/cas/start", config["CAS_BUTTON_LABEL"]
    elif sso.is_configured(config):
        start_path, label = "/api/v1/auth/sso/start", config["OIDC_BUTTON_LABEL"]
    else:
        start_path, label = None, None
    sso_fields = {"sso": bool(start_path), "sso_label": label, "sso_start": start_path}
    return {"password": config["PASSWORD_LOGIN"], **sso_fields}


@blp.route("/sso/start", methods=["GET"])
@blp.arguments(SsoStartSchema, location="query")
@blp.response(302, description="to the identity platform, or back to the login screen (?sso_error=)")
def start(args):
    """Sign in through the identity platform, then come back to `next` (one of the app's paths)."""
    next_path = app_path(args.get("next"))
    client = _client()
    if client is None:
        return back_to_login("unavailable", next_path)
    session[NEXT_KEY] = next_path
    try:
        return client.authorize_redirect(public_url(CALLBACK_PATH))
    except PROTOCOL_ERRORS as error:  # the discovery document did not load
        return back_to_login("unavailable", next_path, error=type(error).__name__)


@blp.route("/sso/callback", methods=["GET"])
@blp.response(302, description="to the app signed in, or back to the login screen (?sso_error=)")
def callback():
    """The identity platform sends the browser back here with a code (or an error)."""
    client = _client()
    next_path = app_path(session.pop(NEXT_KEY, "/"))
    if client is None:
        return back_to_login("unavailable", next_path)
    if request.args.get("error"):  # Authlib would raise too; the provider's reason picks the message
        error = request.args["error"]
        return back_to_login("cancelled" if error in CANCELLED else "provider", next_path, error=error[:64])
    try:
        token = client.authorize_access_token()
        user = sso.account_for_claims(_claims(client, token))
    except SsoRefused as refused:
        db.session.rollback()
        return back_to_login(refused.code, next_path, **refused.details)
    except PROTOCOL_ERRORS as error:
        db.session.rollback()
        return back_to_login("failed", next_path, error=type(error).__name__)
    db.session.commit()
    start_session(user, sso_method="oidc", id_token=token.get("id_token"))
    security_event("authn_login_success", level=logging.INFO, username=user.username, method="sso")
    return redirect(next_path, 302)


def _claims(client, token):
    """The ID token's claims (verified by Authlib), completed from the UserInfo endpoint, which
    many providers answer with more of them; its `sub` must be the ID token's."""
    claims = dict(token.get("userinfo") or {})
    if not claims:
        raise SsoRefused("failed", why="no id token")
    if client.load_server_metadata().get("userinfo_endpoint"):
        more = client.userinfo(token=token)
        if more.get("sub") != claims["sub"]:
            raise SsoRefused("failed", why="userinfo sub differs")
        claims = {**more, **claims}
    return claims


def end_session_url():
    """The provider's sign-out for a session made through it (RP-initiated logout), else None."""
    id_token = session.get(SSO_ID_TOKEN)
    client = _client()
    if not id_token or client is None:
        return None
    try:
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        logout = client.create_logout_url(post_logout_redirect_uri=public_url("/"), id_token_hint=id_token)
    except PROTOCOL_ERRORS:
        return None  # the provider is unreachable: the app's own sign-out still happens
    return logout["url"]
