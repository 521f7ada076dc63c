"""What the multi-node test runs besides the app nodes (tests/live_server.py) and the S3 server
(tests/object_store.py): Debian's redis-server and nginx, each a child process on a free loopback
port with its own folder, started in its own process group and stopped by it."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.live_server import ROOT, free_port

REDIS = "/usr/bin/redis-server"
NGINX = "/usr/sbin/nginx"
PROXY_CONF = ROOT / "deploy" / "nginx" / "proxy.conf"  # the production file, included as it is


def _wait_for_port(process, port, name):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen in 30 s")


def _start(command, directory, port, name):
    log = (directory / f"{name}.log").open("ab")
    # The command is fixed here; a new session gives the test one process group to stop.
    process = subprocess.Popen(command, cwd=directory, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
    log.close()
    _wait_for_port(process, port, name)
    return process


def _stop(process):
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


class Redis:
    """redis-server on 127.0.0.1, in memory only (no snapshots, no append log); restarted on the
    same port, so the nodes' redis:// URL holds."""

    def __init__(self, directory: Path):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"
        directory.mkdir(parents=True, exist_ok=True)

    def start(self):
        command = [REDIS, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
                   "--save", "", "--appendonly", "no", "--daemonize", "no"]  # fmt: skip
        self.process = _start(command, self.directory, self.port, "redis")
        return self

    def stop(self):
        _stop(self.process)


class Nginx:
    """nginx in front of the nodes with the production proxy settings (PROXY_CONF), run without
    root: its prefix, logs, pid and temporary files in its own folder."""

    def __init__(self, directory: Path, upstreams):
        self.directory, self.port, self.process = directory, free_port(), None
        self.base = f"http://127.0.0.1:{self.port}"
        self.upstreams = upstreams
        directory.mkdir(parents=True, exist_ok=True)

    def config(self):
        d = self.directory
        servers = "".join(f"server 127.0.0.1:{port}; " for port in self.upstreams)
        kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # nginx's defaults need root
        temp = " ".join(f"{kind}_temp_path {d / kind};" for kind in kinds)
        return (
            f"worker_processes 1; error_log {d / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{ access_log {d / 'access.log'}; {temp}\n"
            f"  upstream safety_app {{ {servers}keepalive 32; }}\n"
            f"  server {{ listen 127.0.0.1:{self.port}; include {PROXY_CONF}; }}\n"
            "}\n"
        )

    def start(self):
        conf = self.directory / "nginx.conf"
        conf.write_text(self.config())
        command = [NGINX, "-p", str(self.directory), "-e", str(self.directory / "error.log"), "-c", str(conf),
                   "-g", f"daemon off; pid {self.directory / 'nginx.pid'};"]  # fmt: skip
        self.process = _start(command, self.directory, self.port, "nginx")
        return self

    def stop(self):
        _stop(self.process)
