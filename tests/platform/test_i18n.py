"""The server's message catalogs: the same keys in both languages, and every key used exists."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {
    locale: json.loads((ROOT / "server/i18n" / f"{locale}.json").read_text()) for locale in ("zh-CN", "en")
}


def _keys(node, prefix=""):
    if isinstance(node, str):
        return {prefix}
    return set().union(*(_keys(value, f"{prefix}.{key}" if prefix else key) for key, value in node.items()))


def test_both_catalogs_have_the_same_keys():
    assert _keys(CATALOGS["zh-CN"]) == _keys(CATALOGS["en"])


def test_every_errors_key_in_the_code_is_in_the_catalogs():
    used = set()
    for path in (ROOT / "server").rglob("*.py"):
        used |= set(re.findall(r'"(errors\.[a-z_]+)"', path.read_text()))
    for path in (ROOT / "server/templates").glob("*.html"):
        used |= {f"{a}.{b}" for a, b in re.findall(r't\("([a-z_]+)\.([a-z_]+)"', path.read_text())}
    missing = used - _keys(CATALOGS["zh-CN"])
    assert not missing, missing
