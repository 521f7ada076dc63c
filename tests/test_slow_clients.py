"""Slow clients against the server as `make run` runs it (granian, granian.env, two workers):
a body trickled a byte at a time and large images being decoded must not hold up anyone else's
write (issue 20: on SQLite the write lock was taken before the body was read), a body that takes
too long is a 408 problem+json, and headers that never end are cut off by granian."""

import io
import socket
import threading
import time
import uuid
from functools import cache

import pytest
import requests
from PIL import Image

from tests.conftest import PASSWORD, Factory, build_app, build_world, dispose, fresh_database_url
from tests.images import jpeg
from tests.live_server import Server


@cache
def big_blank_png():
    """About 40 MP (just under the pixel cap) of zeros: little on the wire, a second to decode."""
    buffer = io.BytesIO()
    Image.new("RGB", (7300, 5470)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def rig(database, tmp_path):
    url = fresh_database_url(database, tmp_path)
    app = build_app(url, tmp_path)
    build_world(Factory(app))
    dispose(app)
    servers = []

    def start(**settings):
        servers.append(Server(url, tmp_path, **settings))
        servers[-1].start(workers=2)
        return servers[-1]

    yield start
    for server in servers:
        server.kill()


def signed_in(server, username):
    session = requests.Session()
    answer = session.post(
        server.base + "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def upload(session, server, data, name="p.jpg"):
    files = {"file": (name, data, "application/octet-stream")}
    return session.post(
        server.base + "/api/v1/photos", files=files, data={"client_uuid": str(uuid.uuid4())}, timeout=120
    )


class Trickle:
    """A signed-in POST whose body of `length` bytes arrives one byte every `every` seconds."""

    def __init__(self, server, session, length, every):
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=120)
        head = (
            f"POST /api/v1/hazards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\nCookie: {cookie}\r\n"
            f"X-CSRF-Token: {session.headers['X-CSRF-Token']}\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        self.answer = None
        self.thread = threading.Thread(target=self._send, args=(length, every), daemon=True)
        self.thread.start()

    def _send(self, length, every):
        try:
            for _ in range(length):
                self.sock.sendall(b" ")
                time.sleep(every)  # the slow client's own pace, not a wait in the test
        except OSError:
            pass  # the server answered and closed: read below
        self.answer = self.sock.recv(65536).decode(errors="replace")

    def status(self):
        self.thread.join(timeout=120)
        return int(self.answer.split(" ", 2)[1]), self.answer


def test_a_trickled_body_and_big_decodes_hold_up_no_one_elses_write(rig):
    server = rig(REQUEST_BODY_TIMEOUT=60)
    trickler, decoder, writer = (signed_in(server, name) for name in ("worker-a", "worker-b", "zone_head-a"))
    slow = Trickle(server, trickler, length=40, every=0.25)  # 10 s: twice SQLite's busy timeout
    decodes = []
    decoding = [
        threading.Thread(target=lambda: decodes.append(upload(decoder, server, big_blank_png(), "z.png")))
        for _ in range(3)
    ]
    for thread in decoding:
        thread.start()
    writes = []
    while slow.thread.is_alive() and len(writes) < 8:
        writes.append(upload(writer, server, jpeg()).status_code)
    assert writes == [201] * 8  # not one 503 "busy" while the body trickles and images decode
    assert slow.thread.is_alive(), "the other writes waited until the trickle ended"
    status, answer = slow.status()
    assert status == 400 and "application/problem+json" in answer  # its body, when it came, was blank
    for thread in decoding:
        thread.join(timeout=120)
    assert [response.status_code for response in decodes] == [201] * 3


def test_a_body_that_takes_too_long_is_408(rig):
    server = rig(REQUEST_BODY_TIMEOUT=1, REQUEST_BODY_MIN_RATE=1_000_000)
    slow = Trickle(server, signed_in(server, "worker-a"), length=30, every=0.2)
    status, answer = slow.status()
    assert status == 408, answer
    assert "application/problem+json" in answer and "urn:safety-zones:problem:timeout" in answer


def test_headers_that_never_end_are_cut_off(rig):
    server = rig()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
        # granian gives up after GRANIAN_HTTP1_HEADER_READ_TIMEOUT (10 s); the socket's own 60 s
        # timeout would fail the test if it never did.
        closed = sock.recv(1024)
    assert closed == b"" or closed.startswith(b"HTTP/1.1 408")


def test_an_import_hashing_passwords_holds_up_no_one_elses_write(rig):
    # Production's Argon2 cost: 300 accounts are several seconds of hashing, more than the busy timeout.
    server = rig(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=19456)
    admin, writer = signed_in(server, "admin"), signed_in(server, "zone_head-a")
    rows = "\n".join(f"w{n:03d},工人{n},worker,A" for n in range(300))
    csv = ("username,name,role,unit_code\n" + rows).encode()
    imported = []
    importing = threading.Thread(
        target=lambda: imported.append(
            admin.post(server.base + "/api/v1/users/import", files={"file": ("u.csv", csv)}, timeout=300)
        )
    )
    importing.start()
    writes = []
    while importing.is_alive() and len(writes) < 8:
        writes.append(upload(writer, server, jpeg()).status_code)
    assert writes == [201] * 8
    assert importing.is_alive(), "the other writes waited until the import ended"
    importing.join(timeout=300)
    assert imported[0].status_code == 201 and imported[0].json()["created"] == 300
