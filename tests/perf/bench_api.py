"""Load on the real server, gunicorn (gthread, gunicorn.conf.py) and granian (WSGI, granian.env)
one after the other in one run, driven by a small asyncio HTTP/1.1 keep-alive client (standard
library only); the granian/gunicorn ratios are printed last.

Against the configured database (seed it first with tests/perf/seed_scale.py), for each server:
- plain: 64 clients on GET /health (one SELECT 1), the server's own overhead;
- reports: 64 concurrent field workers, each uploading a photo and then POST /hazards with it,
  as the phone's outbox does; latency of POST /hazards (and of the photo upload) is reported,
  back to back (the most pressure 64 clients can make) and with a pause between a client's
  reports (--think, default 2 s: a crew at shift start, not 64 machine guns);
- dashboard: 16 concurrent supervisors on GET /dashboard/summary (each its own unit or the
  company), then the same with the summary cache off (every request computed from the rollup),
  the honest baseline; the ratio is printed.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_api [--seconds 20] [--think 2]
        [--servers gunicorn,granian] [--smoke]
"""

import argparse
import asyncio
import contextlib
import gzip
import io
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.images import jpeg
from tests.live_server import granian_env
from tests.perf.seed_scale import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


class Client:
    """One keep-alive connection with a session cookie and the CSRF token."""

    def __init__(self, port):
        self.port, self.cookie, self.csrf = port, "", ""

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method, path, body=b"", content_type="application/json"):
        """Send one request; reconnect once when the server closed the idle connection."""
        try:
            return await self._request(method, path, body, content_type)
        except (IndexError, ConnectionError, asyncio.IncompleteReadError):
            self.writer.close()
            await self.open()
            return await self._request(method, path, body, content_type)

    async def _request(self, method, path, body, content_type):
        headers = [
            f"{method} {path} HTTP/1.1",
            "Host: 127.0.0.1",
            f"Content-Length: {len(body)}",
            f"Content-Type: {content_type}",
            "Accept-Encoding: gzip",
        ]
        if self.cookie:
            headers.append(f"Cookie: {self.cookie}")
        if self.csrf:
            headers.append(f"X-CSRF-Token: {self.csrf}")
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length, encoding = 0, ""
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "content-encoding":
                encoding = value.strip()
            elif name.lower() == "set-cookie":
                self.cookie = value.strip().split(";")[0]
        body = await self.reader.readexactly(length)
        return status, gzip.decompress(body) if encoding == "gzip" else body

    async def login(self, username):
        status, body = await self.request(
            "POST", "/api/v1/auth/login", json.dumps({"username": username, "password": PASSWORD}).encode()
        )
        assert status == 200, (username, status, body[:200])
        self.csrf = json.loads(body)["csrf_token"]


def multipart(fields, file_bytes):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'.encode())
    out.write(b"Content-Type: image/jpeg\r\n\r\n" + file_bytes + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


async def run(clients, step, seconds, think=0.0):
    """Each client calls step(client), pausing `think` seconds between calls (0: back to back),
    until the time is up; returns latencies (ms), errors and the time taken."""
    latencies, errors, deadline = {}, [0], time.perf_counter() + seconds

    async def loop(client):
        while time.perf_counter() < deadline:
            for label, ms, ok in await step(client):
                latencies.setdefault(label, []).append(ms)
                errors[0] += not ok
            if think:
                await asyncio.sleep(think)

    started = time.perf_counter()
    await asyncio.gather(*(loop(client) for client in clients))
    return latencies, errors[0], time.perf_counter() - started


async def timed(client, label, *args):
    started = time.perf_counter()
    status, body = await client.request(*args)
    ok = status in (200, 201)
    return (label if ok else f"{label} {status}", (time.perf_counter() - started) * 1000, ok), body


def report_step(zones, photo):
    async def step(client):
        fields = {"client_uuid": str(uuid.uuid4())}
        body, content_type = multipart(fields, photo)
        upload, answer = await timed(client, "POST /photos", "POST", "/api/v1/photos", body, content_type)
        if not upload[2]:
            return [upload]
        hazard = {
            "client_uuid": str(uuid.uuid4()),
            "zone_id": zones[hash(client) % len(zones)],
            "title": "压测隐患",
            "description": "负载测试",
            "category": "electrical",
            "photo_ids": [json.loads(answer)["id"]],
            "client_at": datetime.now(UTC).isoformat(),
        }
        created, _ = await timed(
            client, "POST /hazards", "POST", "/api/v1/hazards", json.dumps(hazard).encode()
        )
        return [upload, created]

    return step


async def summary_step(client):
    result, _ = await timed(client, "GET /dashboard/summary", "GET", "/api/v1/dashboard/summary")
    return [result]


async def health_step(client):
    result, _ = await timed(client, "GET /health", "GET", "/health")
    return [result]


def figures(name, latencies, errors, elapsed):
    """Print a line per request kind; return the first kind's (req/s, p50, p95, p99)."""
    lines = []
    for label, values in sorted(latencies.items()):
        values.sort()
        p95, p99 = (values[min(len(values) - 1, int(len(values) * q))] for q in (0.95, 0.99))
        lines.append((len(values) / elapsed, statistics.median(values), p95, p99))
        print(
            f"{name:42} {label:24} {lines[-1][0]:8.1f} {lines[-1][1]:8.1f} {p95:8.1f} {p99:8.1f} {errors:6d}"
        )
    return lines[0]


def command(server, port):
    """The server as `make run` starts it, on 127.0.0.1:port, without the access log."""
    if server == "gunicorn":
        return [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "wsgi:app"]  # fmt: skip
    workers = str(max(2, multiprocessing.cpu_count()))  # as the Makefile and gunicorn.conf.py
    return [str(ROOT / ".venv/bin/granian"), "--workers", workers, "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", "wsgi:app"]  # fmt: skip


@contextlib.contextmanager
def serve(server, port, **env):
    """Run gunicorn or granian for the block, then stop it with SIGTERM (its graceful stop)."""
    with contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", port)).close()
        sys.exit(f"port {port} is taken: stop what serves it, or pass --port")
    env = {**os.environ, **(granian_env() if server == "granian" else {}), **env}
    process = subprocess.Popen(  # noqa: S603 (our own server)
        command(server, port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120  # generous: a busy 2-core machine starts it slowly
        while True:
            if process.poll() is not None:
                sys.exit(f"{server} exited (is port {port} taken?)")
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"{server} did not start in 120 s")
                time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait()


async def sign_in(port, usernames):
    clients = [Client(port) for _ in usernames]
    for client, username in zip(clients, usernames, strict=True):
        await client.open()
        await client.login(username)
    return clients


async def bench_server(server, args):
    """Every load against one server; returns {run name: (req/s, p50, p95, p99)}."""
    port, out = args.port, {}
    workers = [f"worker-{unit}-{i}" for unit in range(2, 18) for i in range(4)]  # 64
    supervisors = ["boss"] + [f"supervisor-{unit}-0" for unit in range(2, 17)]  # 16
    with serve(server, port):
        clients = await sign_in(port, workers)
        status, body = await clients[0].request("GET", "/api/v1/zones?limit=50")
        zones = [zone["id"] for zone in json.loads(body)["items"]] if status == 200 else [1]
        out["plain, 64 clients"] = figures(
            f"{server}: plain, 64 clients", *await run(clients, health_step, args.seconds)
        )
        step = report_step(zones, jpeg(640, 480))
        name = "reports, 64 clients"
        out[name] = figures(f"{server}: {name}", *await run(clients, step, args.seconds))
        if args.think:
            name = f"reports, 64 clients, {args.think:g} s pause"
            out[name] = figures(f"{server}: {name}", *await run(clients, step, args.seconds, args.think))
        dashboard = await sign_in(port, supervisors)
        name = "dashboard, 16 clients"
        out[name] = figures(f"{server}: {name}", *await run(dashboard, summary_step, args.seconds))
    with serve(server, port, FLASK_DASHBOARD_CACHE="false"):
        dashboard = await sign_in(port, supervisors)
        name = "dashboard, 16 clients, no cache"
        out[name] = figures(f"{server}: {name}", *await run(dashboard, summary_step, args.seconds))
    return out


async def main_async(args):
    servers = args.servers.split(",")
    print(f"{'run':42} {'request':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    results = {server: await bench_server(server, args) for server in servers}
    for server, out in results.items():
        cached, computed = out["dashboard, 16 clients"][1], out["dashboard, 16 clients, no cache"][1]
        print(f"{server}: median summary latency {computed / cached:.0f}x lower with the cache than without")
    if len(servers) == 2:
        first, second = (results[server] for server in servers)
        title = f"{servers[1]}/{servers[0]} (req/s: above 1 is faster; latency: below 1)"
        print(f"\n{title:65} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8}")
        for name in first:
            ratios = [b / a if a else float("nan") for a, b in zip(first[name], second[name], strict=True)]
            print(f"{name:65} " + " ".join(f"{ratio:8.2f}" for ratio in ratios))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=5096)
    parser.add_argument("--think", type=float, default=2.0, help="pause between a client's reports (0: none)")
    parser.add_argument("--servers", default="gunicorn,granian", help="comma-separated, in the order run")
    parser.add_argument("--smoke", action="store_true", help="half a second a load: check the script runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seconds, args.think = 0.5, 0.2
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
