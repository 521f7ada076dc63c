"""The identity platform for the single sign-on tests: the npm package oidc-provider (pinned in
tests/sso/package.json; `make sso-tools` installs it) run by tests/sso/provider.mjs on a free
loopback port, in its own process group, stopped by it. The people it knows are a JSON file the
test may rewrite between sign-ins."""

import json
import os
import re
import signal
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.live_server import ROOT, free_port

SSO_DIR = ROOT / "tests" / "sso"
CLIENT_ID = "safety-zones"
CLIENT_SECRET = "safety-zones-test-client-secret-0123456789"  # noqa: S105 - the test provider's
CALLBACK_PATH = "/api/v1/auth/sso/callback"


class SsoProvider:
    """`node tests/sso/provider.mjs` with one client: the app at `app_url` (which may be set
    after the app is built from app_settings(), before start)."""

    def __init__(self, directory, app_url, accounts, ttl=None):
        self.directory = Path(directory)
        self.port = free_port()  # known before start: the app's settings name the provider
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = self.directory / "accounts.json"
        self.set_accounts(accounts)
        self.ttl = ttl or {}
        self.app_url = app_url
        self.process = None

    def set_accounts(self, accounts):
        """{login: claims}: the login typed at the provider is the person's `sub`."""
        self.accounts_file.write_text(json.dumps(accounts, ensure_ascii=False))

    def app_settings(self, **more):
        """The app's OIDC_* settings for this provider."""
        return {
            "OIDC_METADATA_URL": f"{self.issuer}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **more,
        }

    def start(self):
        if not (SSO_DIR / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError("oidc-provider is not installed: run `make sso-tools` (make test does)")
        path = self.directory / "provider.json"
        app = self.app_url.rstrip("/")
        client = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [app + CALLBACK_PATH],
            "post_logout_redirect_uris": [app + "/"],
        }
        settings = {"port": self.port, "accounts_file": str(self.accounts_file), "ttl": self.ttl}
        path.write_text(json.dumps({**settings, "client": client}))
        self.log = (self.directory / "provider.log").open("w")
        command = ["node", str(SSO_DIR / "provider.mjs"), str(path)]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command
            command, cwd=SSO_DIR, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the provider exited with {self.process.returncode}: see {self.log.name}")
            try:
                if requests.get(self.app_settings()["OIDC_METADATA_URL"], timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the provider did not start in 60 s")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)
        self.log.close()


def _form(page):
    """(action, fields) of the first form of one of devInteractions' pages."""
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert action, page.text
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    return urljoin(page.url, unescape(action.group(1))), fields


def follow_at_provider(browser, url, stop_at):
    """GET url and follow the provider's redirects until one leaves for `stop_at` (the app):
    answers that URL, or the provider's page where it stopped redirecting (a form)."""
    while True:
        answer = browser.get(url, allow_redirects=False, timeout=10)
        location = answer.headers.get("Location")
        if answer.status_code not in (302, 303) or location is None:
            return answer
        url = urljoin(url, location)
        if url.startswith(stop_at):
            return url


def sign_in_at_provider(browser, page, login, stop_at):
    """Submit devInteractions' login form as `login`; answers the URL back to the app."""
    action, fields = _form(page)
    answer = browser.post(action, data={**fields, "login": login, "password": "any"}, allow_redirects=False)
    assert answer.status_code in (302, 303), answer.text
    return follow_at_provider(browser, urljoin(action, answer.headers["Location"]), stop_at)


def cancel_at_provider(browser, page, stop_at):
    """Follow the login page's cancel link: the provider answers access_denied."""
    link = re.search(r'href="([^"]*/abort)"', page.text)
    assert link, page.text
    return follow_at_provider(browser, urljoin(page.url, unescape(link.group(1))), stop_at)
