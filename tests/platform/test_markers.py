"""The `slow` rule holds for whatever this session collected: every browser, kill, slow-client and
fuzz test carries the marker, so `make test-fast` (-m "not slow") never needs chromium or granian."""

SLOW_PLACES = (
    "tests/e2e/",
    "tests/loop/test_kill_mid_sync.py",
    "tests/platform/test_slow_clients.py",
    "tests/platform/test_api_fuzz.py",
)


def _must_be_slow(item):
    hypothesis = getattr(getattr(item, "function", None), "is_hypothesis_test", False)
    return item.nodeid.startswith(SLOW_PLACES) or hypothesis


def test_browser_server_and_fuzz_tests_are_marked_slow(request):
    items = request.session.items
    assert not [item.nodeid for item in items if _must_be_slow(item) and not item.get_closest_marker("slow")]
