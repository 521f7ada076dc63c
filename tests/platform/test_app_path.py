"""Where a sign-in may send the browser back (server/pages.py app_path): the app's own screens
on this origin, path and query kept; anything else is the home screen."""

import pytest

from server.pages import app_path


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/inbox", "/inbox"),
        ("/inbox?unread=1", "/inbox?unread=1"),
        ("/hazards/12", "/hazards/12"),
        ("/zones/3/report", "/zones/3/report"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("inbox", "/"),  # relative
        ("//evil.example/inbox", "/"),  # another host, scheme-relative
        ("https://evil.example/inbox", "/"),
        ("/\\evil.example", "/"),  # some browsers read a backslash as a slash
        ("/inbox\r\nSet-Cookie: x=1", "/"),  # no header splitting
        ("/api/v1/auth/me", "/"),  # not a screen
        ("/no-such-screen", "/"),
        ("/hazards/not-a-number", "/hazards/not-a-number"),  # a screen's pattern: the app says 404 itself
    ],
)
def test_only_the_apps_own_screens_come_back(app, given, expected):
    with app.app_context():
        assert app_path(given) == expected


def test_a_just_in_time_admin_is_refused_at_start(make_app):
    with pytest.raises(RuntimeError, match="OIDC_DEFAULT_ROLE"):
        make_app(OIDC_DEFAULT_ROLE="admin")
