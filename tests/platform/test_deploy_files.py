"""The deployment files in deploy/ (README, "Deployment") stay true: every flask command a systemd
unit runs exists, every timer starts a unit that is there, the site includes the proxy settings
the multi-node test runs nginx with, and README points at each file rather than a copy of it."""

import re
import shlex
import subprocess
from itertools import takewhile
from pathlib import Path

import pytest

from tests.cluster import NGINX

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
README = (ROOT / "README.md").read_text()


def _flask_commands(unit):
    """The command words after `flask --app wsgi` in each ExecStart (inside `sh -c '…'` too)."""
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStart="):
            words = shlex.split(line.removeprefix("ExecStart="))
            if words[0] == "/bin/sh":
                words = shlex.split(words[-1])
            flask = next((i for i, word in enumerate(words) if word.endswith("/flask")), None)
            if flask is not None:
                yield list(takewhile(lambda word: re.fullmatch(r"[a-z][a-z-]*", word), words[flask + 3 :]))


@pytest.mark.parametrize("unit", [u for u in UNITS if u.name != "safety-zones.service"], ids=lambda u: u.name)
def test_each_job_runs_commands_the_app_has(app, unit):
    commands = list(_flask_commands(unit))
    assert commands, unit.name
    for words in commands:
        result = app.test_cli_runner().invoke(args=[*words, "--help"])
        assert result.exit_code == 0, (unit.name, words, result.output)


def test_each_timer_starts_its_job_and_each_job_has_a_timer():
    """A one-shot job runs by its timer; the app and the notification worker run all the time."""
    timers = {path.stem for path in (DEPLOY / "systemd").glob("*.timer")}
    jobs = {path.stem for path in UNITS if "Type=oneshot" in path.read_text()}
    assert timers == jobs
    assert {path.stem for path in UNITS} - jobs == {"safety-zones", "safety-zones-notify"}


def test_the_app_unit_serves_wsgi_with_the_repositorys_granian_settings():
    text = (DEPLOY / "systemd" / "safety-zones.service").read_text()
    assert "EnvironmentFile=/srv/safety-zones/granian.env" in text
    assert re.search(r"^ExecStart=\S+/granian .*wsgi:app$", text, re.MULTILINE)


def test_the_site_includes_the_proxy_settings_and_readme_points_at_the_files():
    site = (DEPLOY / "nginx" / "safety-zones.conf").read_text()
    assert re.search(r"^\s*include \S+/proxy\.conf;", site, re.MULTILINE)
    assert "proxy_request_buffering on;" in (DEPLOY / "nginx" / "proxy.conf").read_text()
    for path in [*DEPLOY.rglob("*.conf"), *UNITS]:
        assert str(path.relative_to(ROOT)) in README, path
    assert "proxy_pass" not in README  # the settings live in deploy/nginx/proxy.conf only


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (make test installs it)")
def test_nginx_accepts_the_production_site(tmp_path):
    """`nginx -t` on the site file as it is, inside a minimal nginx.conf, with only the paths that
    name the host's files (the include, the certificate) pointed into tmp_path."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
               "-subj", "/CN=test", "-keyout", str(key), "-out", str(cert)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - a fixed command
    site = (DEPLOY / "nginx" / "safety-zones.conf").read_text()
    site = site.replace("/etc/nginx/safety-zones/proxy.conf", str(DEPLOY / "nginx" / "proxy.conf"))
    site = site.replace("/etc/ssl/safety-zones/fullchain.pem", str(cert))
    site = site.replace("/etc/ssl/safety-zones/privkey.pem", str(key))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"error_log {tmp_path / 'error.log'}; events {{}}\nhttp {{\n{site}\n}}\n")
    result = subprocess.run(  # noqa: S603 - a fixed command
        [NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf),
         "-g", f"pid {tmp_path / 'nginx.pid'};"], capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
