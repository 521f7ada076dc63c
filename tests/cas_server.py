"""The CAS server for the CAS sign-on tests: django-cas-server (pinned in requirements-dev.txt)
run by tests/cas/serve.py under Django's runserver on a free loopback port, in its own process
group, stopped by it. Its people are Django users with a password; the app's callback is its one
service pattern, which releases the `name` and `unit` attributes."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.live_server import ROOT, free_port

CALLBACK_PATH = "/api/v1/auth/cas/callback"
PASSWORD = "cas-test-password"  # noqa: S105 - every test person's, at the test server only


class CasServer:
    """`python -m tests.cas.serve` knowing `people` ({login: {"name", "unit"}}) and allowing the
    app at `app_url` as a service."""

    def __init__(self, directory, app_url, people):
        self.directory = Path(directory)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/cas/"
        self.app_url = app_url.rstrip("/")
        self.people = people
        self.process = None

    def app_settings(self, **more):
        """The app's CAS_* settings for this server."""
        return {"CAS_SERVER_URL": self.url, **more}

    def start(self):
        path = self.directory / "cas.json"
        settings = {
            "database": str(self.directory / "cas.sqlite"),
            "port": self.port,
            "service_pattern": "^" + re.escape(self.app_url + CALLBACK_PATH) + r"(\?.*)?$",
            "people": {login: {**person, "password": PASSWORD} for login, person in self.people.items()},
        }
        path.write_text(json.dumps(settings, ensure_ascii=False))
        self.log = (self.directory / "cas.log").open("w")
        command = [sys.executable, "-m", "tests.cas.serve", str(path)]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command
            command, cwd=ROOT, start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the CAS server exited ({self.process.returncode}): see {self.log.name}")
            try:
                if requests.get(self.url + "login", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the CAS server did not start in 60 s")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)
        self.log.close()


def _login_form(page):
    """The hidden fields of the CAS login page: Django's csrfmiddlewaretoken, CAS's lt (login
    ticket) and the service; the form posts back to the page's own URL."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?', page.text)
    assert any(name == "lt" for name, _ in fields), page.text
    return {name: unescape(value) for name, value in fields}


def sign_in_at_cas(browser, login_url, login, password=PASSWORD):
    """The browser at the CAS login page, signing in as `login`: answers the Location the CAS
    server sends it to (the app's callback with a ticket), or its page when it stays (a refusal)."""
    page = browser.get(login_url, timeout=10)
    assert page.status_code == 200, page.text
    data = {**_login_form(page), "username": login, "password": password}
    # Django's CSRF check wants the Referer of a form posted over HTTPS; harmless over HTTP.
    headers = {"Referer": page.url}
    answer = browser.post(page.url, data=data, headers=headers, allow_redirects=False, timeout=10)
    if answer.status_code in (302, 303):
        return urljoin(page.url, answer.headers["Location"])
    return answer
