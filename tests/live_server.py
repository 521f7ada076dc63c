"""The real app served as `make run` serves it (granian, granian.env), in a child process started
and SIGKILLed by its process group: for the kill, slow-client and multi-process tests and the
browser soak. tests/fault_app.py adds an optional pause point."""

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
GRANIAN = Path(sys.executable).parent / "granian"


def free_port():
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def granian_env():
    """granian.env as a dict (KEY=value lines; # comments), as the Makefile sources it."""
    lines = (ROOT / "granian.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


class Server:
    """granian (one worker by default) on the test database, started and SIGKILLed by its group id."""

    SECRET_KEY = "kill-test-secret-key-that-is-long-enough-0123"  # also the development audit key

    def __init__(self, database_url, directory, **settings):
        self.settings = settings  # FLASK_* overrides, e.g. REQUEST_BODY_TIMEOUT="2"
        self.database_url, self.directory = database_url, directory
        self.port = free_port()
        self.base = self.url = f"http://127.0.0.1:{self.port}"
        self.marker = directory / "paused"
        self.process = None

    def start(self, pause_at="", workers=1, app="tests.fault_app:app", log=None):
        """Start granian on `app` (the benchmarks serve wsgi:app, without pause points), its output
        appended to the file `log` when given (else to the test's own)."""
        self.marker.unlink(missing_ok=True)
        env = {
            **os.environ,
            **granian_env(),
            "DATABASE_URL": self.database_url,
            "FLASK_SQLALCHEMY_DATABASE_URI": self.database_url,
            "FLASK_PHOTO_DIR": str(self.directory / "photos"),
            "FLASK_AUDIT_ANCHOR": str(self.directory / "audit-anchor.log"),
            "FLASK_SECRET_KEY": self.SECRET_KEY,
            "FLASK_ARGON2_TIME_COST": "1",
            "FLASK_ARGON2_MEMORY_COST": "1024",
            "FAULT_PAUSE_AT": pause_at,
            "FAULT_MARKER": str(self.marker),
            **{f"FLASK_{key}": str(value) for key, value in self.settings.items()},
        }
        command = [str(GRANIAN), "--workers", str(workers), "--host", "127.0.0.1", "--port", str(self.port),
                   app]  # fmt: skip
        output = log.open("ab") if log else None
        # The command is fixed here; a new session gives the test one process group to kill.
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output,  # noqa: S603
                                        start_new_session=True)  # fmt: skip
        if output:
            output.close()  # the child holds its own copy
        deadline = time.monotonic() + 120  # generous: a busy 2-core machine starts it slowly
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"granian exited with {self.process.returncode}")
            try:
                requests.get(self.base + "/health", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("granian did not start in 120 s")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)  # master and worker, mid-request
        self.process.wait(timeout=10)

    def restart(self):
        self.kill()
        self.start()

    def kill_when_paused(self, send):
        """Run send() in a thread, SIGKILL the server once the request reaches the pause point."""
        return kill_the_paused([self], send)[1]

    def running(self):
        return self.process is not None and self.process.poll() is None

    def owns(self, pid):
        """Whether the process `pid` (an X-Worker-Pid) is one of this server's: its process group."""
        try:
            return os.getpgid(pid) == self.process.pid
        except ProcessLookupError:
            return False


def kill_the_paused(servers, send):
    """Run send() in a thread; SIGKILL whichever of the servers the request pauses in (behind a
    proxy the test does not choose). Returns that server and what send() ended with."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(result=_attempt(send)))
    thread.start()
    deadline = time.monotonic() + 30
    while not (paused := [server for server in servers if server.marker.exists()]):
        assert time.monotonic() < deadline, "the request never reached the pause point"
        time.sleep(0.02)
    paused[0].kill()
    thread.join(timeout=30)
    return paused[0], outcome["result"]


def _attempt(send):
    try:
        return send()
    except requests.ConnectionError as error:
        return error
