"""Who is on the other end of the request: the peer's address and language."""

from flask import current_app, has_request_context, request

from server.i18n import LOCALES


def client_address():
    """The client's address as Werkzeug sees it (after ProxyFix when configured)."""
    return request.remote_addr or "unknown"


def current_locale():
    """The user's language from Accept-Language (the PWA sends its setting), else the default."""
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    return request.accept_languages.best_match(LOCALES, default=default)
