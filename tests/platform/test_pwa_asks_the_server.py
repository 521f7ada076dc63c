"""The PWA shows what the server says the caller may do (DESIGN §4, STYLE 15): no view decides
by role. Its answers are `may` in /auth/me and `allowed_actions` on hazards, zones, posts and
Party days; a role is only shown (its name) or picks the home screen's layout."""

import re
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[2] / "pwa" / "src"
# The signed-in user is `user` in every view (useStore); filtering a list of people by role is fine.
ROLE_TEST = re.compile(r"\buser\.role\s*[!=]==|[!=]==\s*user\.role\b|includes\(\s*user\.role\s*\)")


def test_no_view_decides_by_role():
    found = [
        f"{path.relative_to(SOURCES)}:{number}: {line.strip()}"
        for path in sorted(SOURCES.rglob("*.js"))
        if "generated" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_TEST.search(line)
    ]
    assert not found, "ask the server (may, allowed_actions) instead:\n" + "\n".join(found)


def test_the_rule_would_catch_a_role_check():
    assert ROLE_TEST.search("const mayPatrol = user.role === 'supervisor';")
    assert ROLE_TEST.search("ORGANIZERS.includes(user.role)")
    assert not ROLE_TEST.search("t(`role.${user.role}`)")
    assert not ROLE_TEST.search("candidates.filter((u) => u.role === role)")
