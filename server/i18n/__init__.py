"""Server-side message catalogs (zh-CN default, English): error details and printed pages."""

import json
from functools import cache
from pathlib import Path

from flask import current_app, has_request_context, request

LOCALES = ("zh-CN", "en")
_DIR = Path(__file__).parent


@cache
def catalog(locale):
    return json.loads((_DIR / f"{locale}.json").read_text(encoding="utf-8"))


def current_locale():
    """The user's language from Accept-Language (the PWA sends its setting), else the default."""
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    return request.accept_languages.best_match(LOCALES, default=default)


def translate(key, locale=None, **params):
    """The catalog text for a dotted key; the key itself when no catalog has it."""
    locale = locale or current_locale()
    for candidate in (locale, "zh-CN"):
        node = catalog(candidate)
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            return node.format(**params) if params else node
    return key
