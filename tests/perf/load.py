"""The load the API benchmarks send (bench_api.py, bench_open_loop.py): a small asyncio HTTP/1.1
keep-alive client (standard library only) signed in as a seeded user, the steps it repeats (a
report as the phone's outbox sends it: a photo upload, then POST /hazards with it; the dashboard
summary; /health), the loop that runs them, and the printed figures."""

import asyncio
import gzip
import io
import json
import statistics
import time
import uuid
from datetime import UTC, datetime

from tests.perf.seed_scale import PASSWORD

# The seeded field workers (seed_scale.py: 4 a team, teams from unit 2) and supervisors.
WORKERS = [f"worker-{unit}-{i}" for unit in range(2, 18) for i in range(4)]  # 64
SUPERVISORS = ["boss"] + [f"supervisor-{unit}-0" for unit in range(2, 17)]  # 16


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


async def sign_in(port, usernames):
    clients = [Client(port) for _ in usernames]
    for client, username in zip(clients, usernames, strict=True):
        await client.open()
        await client.login(username)
    return clients


async def zones_of(client):
    """Zones the signed-in worker may report in (the first 50), where the report step sends."""
    status, body = await client.request("GET", "/api/v1/zones?limit=50")
    return [zone["id"] for zone in json.loads(body)["items"]] if status == 200 else [1]
