"""SIGKILL the server in the middle of a photo upload and of a hazard POST (HARDENING §2.3,
case 52): after a restart no partial row survives, no row lacks its file, and the client's
retry with the same client UUID ends with exactly one record. Real granian as `make run` serves it,
both engines."""

import os
import time
import uuid

import pytest
import requests
from sqlalchemy import create_engine, func, select

from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard, HazardEvent
from tests.conftest import PASSWORD, Factory, build_app, build_world, dispose, fresh_database_url
from tests.images import jpeg
from tests.live_server import Server


@pytest.fixture
def rig(database, tmp_path):
    url = fresh_database_url(database, tmp_path)
    app = build_app(url, tmp_path)
    world = build_world(Factory(app))
    dispose(app)
    server = Server(url, tmp_path)
    yield server, world, create_engine(url)
    if server.process and server.process.poll() is None:
        server.kill()


def _client(server):
    session = requests.Session()
    answer = session.post(
        server.base + "/api/v1/auth/login", json={"username": "worker-a", "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def _upload(session, server, client_uuid, data):
    files = {"file": ("p.jpg", data, "image/jpeg")}
    return session.post(
        server.base + "/api/v1/photos", files=files, data={"client_uuid": client_uuid}, timeout=60
    )


def _count(engine, model, *where):
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def _files(server):
    root = server.directory / "photos"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _keys(engine):
    with engine.connect() as connection:
        return set(connection.scalars(select(Photo.storage_key)))


def _assert_every_row_has_its_files(server, engine):
    names = set(_files(server))
    for key in _keys(engine):
        assert {f"{key}.full.jpg", f"{key}.thumb.jpg"} <= names, key


@pytest.mark.parametrize("point", ["photo_tmp_written", "photo_files_stored"])
def test_a_photo_upload_killed_mid_way_leaves_no_row_and_the_retry_stores_one(rig, point):
    server, _world, engine = rig
    server.start(pause_at=point)
    session, client_uuid, data = _client(server), str(uuid.uuid4()), jpeg(640, 480)
    outcome = server.kill_when_paused(lambda: _upload(session, server, client_uuid, data))
    assert isinstance(outcome, requests.ConnectionError)  # the phone saw the connection drop
    assert _count(engine, Photo) == 0
    leftovers = _files(server)
    assert leftovers  # the kill really came after the disk write began
    server.start()
    first = _upload(session, server, client_uuid, data)
    again = _upload(session, server, client_uuid, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and _count(engine, Photo) == 1
    _assert_every_row_has_its_files(server, engine)
    # What the kill left is a tmp- file or files no row names; a day later `photos gc` sweeps them.
    kept = {f"{key}.{rendition}.jpg" for key in _keys(engine) for rendition in ("full", "thumb")}
    assert all(name.startswith("tmp-") or name not in kept for name in leftovers)
    day_ago = time.time() - 25 * 3600
    for path in (server.directory / "photos").rglob("*"):
        os.utime(path, (day_ago, day_ago))
    app = build_app(server.database_url, server.directory)
    result = app.test_cli_runner().invoke(args=["photos", "gc"])
    dispose(app)
    assert result.exit_code == 0, result.output
    assert set(_files(server)) == kept


def _report(session, server, body):
    return session.post(server.base + "/api/v1/hazards", json=body, timeout=60)


@pytest.mark.parametrize(("point", "replayed"), [("hazard_flushed", False), ("hazard_committed", True)])
def test_a_hazard_post_killed_mid_way_ends_with_exactly_one_hazard(rig, point, replayed):
    server, world, engine = rig
    server.start(pause_at=point)
    session = _client(server)
    photo = _upload(session, server, str(uuid.uuid4()), jpeg(640, 480)).json()["id"]
    body = {"client_uuid": str(uuid.uuid4()), "zone_id": world.zones["A"].id, "title": "电缆沟盖板缺失",
            "description": "盖板缺失，易踏空", "category": "electrical", "photo_ids": [photo]}  # fmt: skip
    outcome = server.kill_when_paused(lambda: _report(session, server, body))
    assert isinstance(outcome, requests.ConnectionError), outcome
    assert _count(engine, Hazard) == (1 if replayed else 0)  # rolled back, or committed before the kill
    server.start()
    retry = _report(session, server, body)
    assert retry.status_code == (200 if replayed else 201), retry.text
    assert _count(engine, Hazard) == 1 and _count(engine, HazardEvent) == 1
    assert [p["id"] for p in retry.json()["photos"]] == [photo]
    assert _count(engine, Photo, Photo.hazard_id.is_not(None)) == 1
