"""Browser tests wait for the state they need, never for a time (issue 13): a fixed pause passes
on a fast machine and fails one run in twenty on a busy one, and Playwright's wait_for_function
evaluates its predicate with eval(), which the app's CSP refuses whenever it is not already true."""

import re
from pathlib import Path

E2E = Path(__file__).resolve().parents[1] / "e2e"
# The one polling helper (conftest.wait_for_js) and the soak's deliberately random pauses.
ALLOWED = {("conftest.py", "page.wait_for_timeout(100)"), ("test_soak.py", "wait_for_timeout(rng.randint")}
TIMED = re.compile(r"wait_for_timeout\(|wait_for_function\(|time\.sleep\(|asyncio\.sleep\(")


def test_no_browser_test_waits_for_a_fixed_time():
    found = []
    for path in sorted(E2E.glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if TIMED.search(code) and not any(path.name == name and part in code for name, part in ALLOWED):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "wait for a selector or use wait_for_js instead:\n" + "\n".join(found)
