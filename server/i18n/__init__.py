"""Server-side message catalogs (zh-CN default, English): error details and printed pages."""

import json
from functools import cache
from pathlib import Path

LOCALES = ("zh-CN", "en")
_DIR = Path(__file__).parent


@cache
def catalog(locale):
    return json.loads((_DIR / f"{locale}.json").read_text(encoding="utf-8"))


def translate(key, locale, **params):
    """The catalog text for a dotted key in a locale (zh-CN as the fallback); else the key itself."""
    for candidate in (locale, "zh-CN"):
        node = catalog(candidate)
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            return node.format(**params) if params else node
    return key
