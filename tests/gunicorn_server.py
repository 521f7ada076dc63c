"""The real app under gunicorn in a child process, started and SIGKILLed by its process group:
for the kill tests and the browser soak. tests/fault_app.py adds an optional pause point."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn (sync workers, one by default) on the test database, started and SIGKILLed by its group id."""

    def __init__(self, database_url, directory):
        self.database_url, self.directory = database_url, directory
        self.port = _free_port()
        self.base = self.url = f"http://127.0.0.1:{self.port}"
        self.marker = directory / "paused"
        self.process = None

    def start(self, pause_at="", workers=1):
        self.marker.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "FLASK_SQLALCHEMY_DATABASE_URI": self.database_url,
            "FLASK_PHOTO_DIR": str(self.directory / "photos"),
            "FLASK_AUDIT_ANCHOR": str(self.directory / "audit-anchor.log"),
            "FLASK_SECRET_KEY": "kill-test-secret-key-that-is-long-enough-0123",
            "FLASK_ARGON2_TIME_COST": "1",
            "FLASK_ARGON2_MEMORY_COST": "1024",
            "FAULT_PAUSE_AT": pause_at,
            "FAULT_MARKER": str(self.marker),
        }
        # -c /dev/null: not the project's gunicorn.conf.py, which gunicorn would load from ROOT.
        command = [str(GUNICORN), "-c", "/dev/null", "--workers", str(workers), "--worker-class", "sync",
                   "--timeout", "300", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                   "tests.fault_app:app"]  # fmt: skip
        # The command is fixed here; a new session gives the test one process group to kill.
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/health", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)  # master and worker, mid-request
        self.process.wait(timeout=10)

    def restart(self):
        self.kill()
        self.start()

    def kill_when_paused(self, send):
        """Run send() in a thread, SIGKILL the server once the request reaches the pause point."""
        outcome = {}
        thread = threading.Thread(target=lambda: outcome.update(result=_attempt(send)))
        thread.start()
        deadline = time.monotonic() + 30
        while not self.marker.exists():
            assert time.monotonic() < deadline, "the request never reached the pause point"
            time.sleep(0.02)
        self.kill()
        thread.join(timeout=30)
        return outcome["result"]


def _attempt(send):
    try:
        return send()
    except requests.ConnectionError as error:
        return error
