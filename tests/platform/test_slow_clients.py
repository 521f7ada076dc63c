"""Slow clients against the server as `make run` runs it (granian, granian.env, two workers): a
body trickled a byte at a time, a large image being decoded and an import hashing passwords must
not hold up anyone else's write (issue 20: on SQLite the write lock was taken before any of it);
a body that stops coming is a 408 problem+json; headers that never end are cut off by granian.

Each slow request is held in its slow phase until the other writes are done (a pause point of
tests/fault_app.py, or the trickle's own switch), so no assertion depends on timing."""

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
    body = {"username": username, "password": PASSWORD}
    answer = session.post(server.base + "/api/v1/auth/login", json=body)
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def upload(session, server, data, name="p.jpg", **headers):
    files = {"file": (name, data, "application/octet-stream")}
    form = {"client_uuid": str(uuid.uuid4())}
    return session.post(server.base + "/api/v1/photos", files=files, data=form, headers=headers, timeout=120)


def eight_writes(server):
    """Another user's eight photo uploads, one after another: their statuses."""
    writer = signed_in(server, "zone_head-a")
    return [upload(writer, server, jpeg()).status_code for _ in range(8)]


class Held:
    """A request sent in a thread, held at a pause point of tests/fault_app.py until released."""

    def __init__(self, server, send):
        self.server, self.answer = server, []
        self.thread = threading.Thread(target=lambda: self.answer.append(send()), daemon=True)
        self.thread.start()
        wait_until(lambda: server.marker.exists() or not self.thread.is_alive())
        assert server.marker.exists(), f"the request never reached its pause point: {self.answer}"

    def release(self):
        self.server.marker.unlink()
        self.thread.join(timeout=300)
        return self.answer[0]


def wait_until(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


class Trickle:
    """A signed-in POST whose body arrives a byte every `every` seconds until stop(); then the
    rest of its declared length at once, or nothing more (the client goes quiet)."""

    def __init__(self, server, session, length, every, finish=True):
        self.finish = finish
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=300)
        head = (
            f"POST /api/v1/hazards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\nCookie: {cookie}\r\n"
            f"X-CSRF-Token: {session.headers['X-CSRF-Token']}\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        self.stopped, self.answer = threading.Event(), None
        self.thread = threading.Thread(target=self._send, args=(length, every), daemon=True)
        self.thread.start()

    def _send(self, length, every):
        sent = 0
        try:
            while sent < length - 1 and not self.stopped.wait(every):  # the slow client's own pace
                self.sock.sendall(b" ")
                sent += 1
            if self.finish:
                self.sock.sendall(b" " * (length - sent))
        except OSError:
            pass  # the server answered and closed: read below
        self.answer = self._read_answer()

    def _read_answer(self):
        """The whole answer: its headers, then as many bytes as its Content-Length says."""
        data = b""
        while b"\r\n\r\n" not in data and (chunk := self.sock.recv(65536)):
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), b"0"))  # fmt: skip
        while len(body) < length and (chunk := self.sock.recv(65536)):
            body += chunk
        return (head + b"\r\n\r\n" + body).decode(errors="replace")

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=300)
        return int(self.answer.split(" ", 2)[1]), self.answer


def test_a_trickled_body_holds_up_no_one_elses_write(rig):
    server = rig(REQUEST_BODY_TIMEOUT=600)
    slow = Trickle(server, signed_in(server, "worker-a"), length=1000, every=0.25)
    assert eight_writes(server) == [201] * 8  # not one 503 "busy" while the body trickles
    assert slow.thread.is_alive()  # still trickling: it only stops when told to
    status, answer = slow.stop()
    assert status == 400 and "application/problem+json" in answer  # its body, when it came, was blank


def test_a_large_image_decoding_holds_up_no_one_elses_write(rig):
    server = rig()
    decoder = signed_in(server, "worker-b")
    held = Held(
        server,
        lambda: upload(decoder, server, big_blank_png(), "z.png", **{"X-Fault-Pause": "photo_decoding"}),
    )
    assert eight_writes(server) == [201] * 8
    assert held.release().status_code == 201


def test_an_import_hashing_passwords_holds_up_no_one_elses_write(rig):
    server = rig()
    admin = signed_in(server, "admin")
    rows = "\n".join(f"w{n:03d},工人{n},worker,A" for n in range(50))
    csv = ("username,name,role,unit_code\n" + rows).encode()
    pause = {"X-Fault-Pause": "import_hashed"}
    held = Held(server, lambda: admin.post(
        server.base + "/api/v1/users/import", files={"file": ("u.csv", csv)}, headers=pause, timeout=300
    ))  # fmt: skip
    assert eight_writes(server) == [201] * 8
    imported = held.release()
    assert imported.status_code == 201 and imported.json()["created"] == 50


@pytest.mark.one_engine
def test_a_body_that_stops_coming_is_408(rig):
    server = rig(REQUEST_BODY_TIMEOUT=1)
    slow = Trickle(server, signed_in(server, "worker-a"), length=30, every=0.1, finish=False)
    status, answer = slow.stop()  # it goes quiet after its headers and a byte or so
    assert status == 408, answer
    assert "application/problem+json" in answer and "urn:safety-zones:problem:timeout" in answer


@pytest.mark.one_engine
def test_headers_that_never_end_are_cut_off(rig):
    server = rig()
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
        # granian gives up after GRANIAN_HTTP1_HEADER_READ_TIMEOUT (10 s); the socket's own 60 s
        # timeout would fail the test if it never did.
        closed = sock.recv(1024)
    assert closed == b"" or closed.startswith(b"HTTP/1.1 408")
