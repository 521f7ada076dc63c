"""The `slow` rule holds: every browser, kill, slow-client and fuzz test carries the marker, so
`make test-fast` (-m "not slow") never needs chromium or granian."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLOW_PLACES = (
    "tests/e2e",
    "tests/loop/test_kill_mid_sync.py",
    "tests/platform/test_slow_clients.py",
    "tests/platform/test_api_fuzz.py",
)


# Our addopts say -q already: reset them, so that one -q lists node ids.
COLLECT = ("-o", "addopts=", "-p", "no:cacheprovider", "--collect-only", "-q")


def _collected(*args):
    done = subprocess.run(  # noqa: S603 (pytest on our own tests)
        [sys.executable, "-m", "pytest", *COLLECT, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_browser_server_and_fuzz_tests_are_all_slow():
    """Of these places only the EXIF module's fixed cases are fast; its Hypothesis tests are not."""
    fast = _collected("-m", "not slow", *SLOW_PLACES, "tests/field/test_exif_fuzz.py")
    assert fast and all(test.startswith("tests/field/test_exif_fuzz.py::") for test in fast)
    assert not [test for test in fast if "::test_any_exif_block" in test]  # the @given ones
