"""Load on the real server: gunicorn (gthread, gunicorn.conf.py) on this machine, driven by a small
asyncio HTTP/1.1 keep-alive client (standard library only).

Two runs against the configured database (seed it first with tests/perf/seed_scale.py):
- reports: 64 concurrent field workers, each uploading a photo and then POST /hazards with it,
  as the phone's outbox does; latency of POST /hazards (and of the photo upload) is reported,
  back to back (the most pressure 64 clients can make) and with a pause between a client's
  reports (--think, default 2 s: a crew at shift start, not 64 machine guns);
- dashboard: 16 concurrent supervisors on GET /dashboard/summary (each its own unit or the
  company), then the same with the summary cache off (every request computed from the rollup),
  the honest baseline; the ratio is printed.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.bench_api [--seconds 20] [--think 2]
"""

import argparse
import asyncio
import contextlib
import gzip
import io
import json
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


def figures(name, latencies, errors, elapsed):
    for label, values in sorted(latencies.items()):
        values.sort()
        p95, p99 = (values[min(len(values) - 1, int(len(values) * q))] for q in (0.95, 0.99))
        print(
            f"{name:34} {label:24} {len(values) / elapsed:8.1f} {statistics.median(values):8.1f} "
            f"{p95:8.1f} {p99:8.1f} {errors:6d}"
        )
    return statistics.median(latencies[next(iter(sorted(latencies)))])


def serve(port, **env):
    with contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", port)).close()
        sys.exit(f"port {port} is taken: stop what serves it, or pass --port")
    command = [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn)
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited (is port {port} taken?)")
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


async def sign_in(port, usernames):
    clients = [Client(port) for _ in usernames]
    for client, username in zip(clients, usernames, strict=True):
        await client.open()
        await client.login(username)
    return clients


async def main_async(args):
    port = args.port
    header = f"{'run':34} {'request':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    server = serve(port)
    try:
        workers = [f"worker-{unit}-{i}" for unit in range(2, 18) for i in range(4)]  # 64
        clients = await sign_in(port, workers)
        status, body = await clients[0].request("GET", "/api/v1/zones?limit=50")
        zones = [zone["id"] for zone in json.loads(body)["items"]] if status == 200 else [1]
        print(header)
        step = report_step(zones, jpeg(640, 480))
        figures("reports, 64 clients", *await run(clients, step, args.seconds))
        if args.think:
            name = f"reports, 64 clients, {args.think:g} s pause"
            figures(name, *await run(clients, step, args.seconds, args.think))
        supervisors = ["boss"] + [f"supervisor-{unit}-0" for unit in range(2, 17)]  # 16
        dashboard = await sign_in(port, supervisors)
        cached = figures("dashboard, 16 clients", *await run(dashboard, summary_step, args.seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    server = serve(port, FLASK_DASHBOARD_CACHE="false")
    try:
        dashboard = await sign_in(port, supervisors)
        computed = figures(
            "dashboard, 16 clients, no cache", *await run(dashboard, summary_step, args.seconds)
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    print(f"median summary latency: {computed / cached:.0f}x lower with the cache than computing each one")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=5096)
    parser.add_argument("--think", type=float, default=2.0, help="pause between a client's reports (0: none)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
