"""Two app nodes behind nginx, as README's "Deployment" runs them: PostgreSQL, Redis for the rate
limits, the S3 server for the photos, two granian nodes (tests/live_server.py) and Debian's nginx
with the production proxy settings (deploy/nginx/proxy.conf). Each answer names the worker process
that served it (X-Worker-Pid, tests/fault_app.py); its process group tells the node.

PostgreSQL only: two nodes on one SQLite file is not a supported deployment."""

import os
import time
import uuid
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
import redis
import requests
from sqlalchemy import create_engine, func, select

from server.database import normalise_url
from server.extensions import db
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.places.zones import Zone
from server.services.field.photo_store import name_for
from tests.cluster import Nginx, Redis
from tests.conftest import PASSWORD, Factory, _migrate, _reset_postgresql, build_app, build_world, dispose
from tests.images import jpeg
from tests.live_server import Server, kill_the_paused

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"),
        reason="needs PostgreSQL (TEST_DATABASE_URL): "
        "two nodes on one SQLite file is not a supported deployment",
    ),
]


def _world(url, directory):
    app = build_app(url, directory)
    world = build_world(Factory(app))
    with app.app_context():
        zone = db.session.get(Zone, world.zones["A"].id)
        zone.guest_reports = True  # the sign takes guest reports
        db.session.commit()
        world.guest_token = zone.qr_token
    dispose(app)
    return world


def _settings(tmp, bucket, cache):
    """The nodes' FLASK_* settings besides those every live server gets (tests/live_server.py)."""
    settings = {key: str(value).lower() if value is True else value for key, value in bucket.items()}
    settings |= {"RATELIMIT_STORAGE_URI": cache.url, "PROXY_FIX": "true"}
    settings["GUEST_REPORT_LIMIT_PER_ADDRESS"] = "3 per hour"
    settings["AUDIT_ANCHOR"] = str(tmp / "audit-anchor.log")  # one file every node appends to
    return settings


def _stop_nodes(nodes):
    for node in nodes.values():
        if node.running():
            node.kill()


@pytest.fixture(scope="module")
def cluster(s3_server, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cluster")
    url = normalise_url(os.environ["TEST_DATABASE_URL"])
    _reset_postgresql(url)
    _migrate(url, tmp)
    world = _world(url, tmp)
    bucket = s3_server.new_bucket()
    with ExitStack() as stack:  # whatever started is stopped, also when a later start fails
        cache = Redis(tmp / "redis").start()
        stack.callback(cache.stop)
        settings = _settings(tmp, bucket, cache)
        nodes = {name: Server(url, tmp / name, **settings) for name in ("a", "b")}
        stack.callback(_stop_nodes, nodes)
        for node in nodes.values():
            node.directory.mkdir()
            node.start()
        nginx = Nginx(tmp / "nginx", [node.port for node in nodes.values()]).start()
        stack.callback(nginx.stop)
        engine = create_engine(url)
        stack.callback(engine.dispose)
        yield SimpleNamespace(nodes=nodes, nginx=nginx, redis=cache, engine=engine, world=world, s3=s3_server,
                              bucket=bucket["PHOTO_S3_BUCKET"], url=url, directory=tmp,
                              settings=settings)  # fmt: skip


@pytest.fixture
def nodes(cluster):
    """Both nodes up at the start of each test (a kill test leaves one down)."""
    for node in cluster.nodes.values():
        if not node.running():
            node.start()
    return cluster.nodes


@pytest.fixture
def rotation(cluster, nodes):
    """Both nodes up and taking requests from nginx, which skips a node that failed for its
    fail_timeout (10 s) before trying it again: until then every request goes to the other."""
    for node in nodes.values():
        deadline = time.monotonic() + 30
        while _node(cluster, requests.get(cluster.nginx.base + "/health", timeout=30)) is not node:
            assert time.monotonic() < deadline, "nginx never sent a request to the restarted node"
            time.sleep(0.2)
    return nodes


def _sign_in(base, username="worker-a"):
    session = requests.Session()
    answer = _log_in(session, base, username, PASSWORD)
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def _log_in(session, base, username, password):
    credentials = {"username": username, "password": password}
    return session.post(base + "/api/v1/auth/login", json=credentials, timeout=30)


def _node(cluster, answer):
    pid = int(answer.headers["X-Worker-Pid"])
    return next(node for node in cluster.nodes.values() if node.owns(pid))


def _upload(session, base, client_uuid, data, pause=""):
    files = {"file": ("p.jpg", data, "image/jpeg")}
    headers = {"X-Fault-Pause": pause} if pause else {}
    return session.post(base + "/api/v1/photos", files=files, data={"client_uuid": client_uuid},
                        headers=headers, timeout=60)  # fmt: skip


def _hazard(cluster, photo):
    zone = cluster.world.zones["A"].id
    return {"client_uuid": str(uuid.uuid4()), "zone_id": zone, "title": "电缆沟盖板缺失",
            "description": "盖板缺失，易踏空", "category": "electrical", "photo_ids": [photo]}  # fmt: skip


def _count(cluster, model, *where):
    with cluster.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def _objects(cluster):
    listing = cluster.s3.client().list_objects_v2(Bucket=cluster.bucket)
    return {item["Key"] for item in listing.get("Contents", ())}


def test_requests_spread_over_both_nodes_and_a_session_made_on_one_works_on_the_other(cluster, rotation):
    base = cluster.nginx.base
    session = _sign_in(base)
    answers = [session.get(base + "/api/v1/auth/me", timeout=30) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200] * 6
    assert {_node(cluster, answer) for answer in answers} == set(rotation.values())
    photos = [_upload(session, base, str(uuid.uuid4()), jpeg(320, 240)) for _ in range(2)]  # CSRF too
    assert [answer.status_code for answer in photos] == [201, 201]
    assert {_node(cluster, answer) for answer in photos} == set(rotation.values())


def test_a_photo_upload_killed_mid_way_is_retried_on_the_other_node_into_one_photo(cluster, rotation):
    base, session = cluster.nginx.base, _sign_in(cluster.nginx.base)
    client_uuid, data = str(uuid.uuid4()), jpeg(640, 480)
    killed, outcome = kill_the_paused(
        list(rotation.values()), lambda: _upload(session, base, client_uuid, data, pause="photo_files_stored")
    )
    assert outcome.status_code == 502  # nginx: the node died with the request; nothing replayed it
    first, again = (_upload(session, base, client_uuid, data) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert _node(cluster, first) is not killed and first.json()["id"] == again.json()["id"]
    assert _count(cluster, Photo, Photo.client_uuid == client_uuid) == 1
    with cluster.engine.connect() as connection:
        key = connection.scalar(select(Photo.storage_key).where(Photo.client_uuid == client_uuid))
    assert {name_for(key, "full"), name_for(key, "thumb")} <= _objects(cluster)
    assert session.get(f"{base}/api/v1/photos/{first.json()['id']}/full.jpg", timeout=30).content


@pytest.mark.parametrize(("point", "replayed"), [("hazard_flushed", False), ("hazard_committed", True)])
def test_a_hazard_post_killed_mid_way_is_retried_on_the_other_node_into_one_hazard(
    cluster, rotation, point, replayed
):
    base, session = cluster.nginx.base, _sign_in(cluster.nginx.base)
    photo = _upload(session, base, str(uuid.uuid4()), jpeg(640, 480)).json()["id"]
    body = _hazard(cluster, photo)

    def send():
        return session.post(base + "/api/v1/hazards", json=body, headers={"X-Fault-Pause": point}, timeout=60)

    killed, outcome = kill_the_paused(list(rotation.values()), send)
    assert outcome.status_code == 502
    mine = Hazard.client_uuid == body["client_uuid"]
    assert _count(cluster, Hazard, mine) == (1 if replayed else 0)  # committed before the kill, or not
    retry = session.post(base + "/api/v1/hazards", json=body, timeout=60)
    assert retry.status_code == (200 if replayed else 201), retry.text
    assert _node(cluster, retry) is not killed
    assert _count(cluster, Hazard, mine) == 1
    assert _count(cluster, HazardEvent, HazardEvent.hazard_id == retry.json()["id"]) == 1
    assert [p["id"] for p in retry.json()["photos"]] == [photo]


def test_the_dashboard_summary_cached_on_a_node_follows_a_write_on_the_other(cluster, nodes):
    a, b = nodes["a"].base, nodes["b"].base
    supervisor = _sign_in(a, "supervisor-a")

    def summary(base):
        return supervisor.get(base + "/api/v1/dashboard/summary", timeout=30).json()

    before = summary(a)
    assert summary(b) == before  # both nodes now hold it in their caches
    worker = _sign_in(b)
    photo = _upload(worker, b, str(uuid.uuid4()), jpeg(320, 240)).json()["id"]
    assert worker.post(b + "/api/v1/hazards", json=_hazard(cluster, photo), timeout=30).status_code == 201
    for base in (a, b):
        after = summary(base)
        assert (after["reported"], after["open"]) == (before["reported"] + 1, before["open"] + 1), base


def test_sign_in_locks_count_failures_on_both_nodes(cluster, nodes):
    bases = [nodes["a"].base, nodes["b"].base]
    wrong = [_log_in(requests, bases[attempt % 2], "worker-b", "wrong-password") for attempt in range(5)]
    # LOGIN_LOCK_AFTER_PER_USERNAME (5) failures, alternating nodes: the fifth locks the account.
    assert [answer.status_code for answer in wrong] == [401, 401, 401, 401, 429]
    for base in bases:
        right = _log_in(requests, base, "worker-b", PASSWORD)
        assert right.status_code == 429 and right.headers["Retry-After"], right.text


def _guest_report(base, token):
    data = {"client_uuid": str(uuid.uuid4()), "title": "电缆沟盖板破损", "phone": "13800138000"}
    files = {"photos": ("p.jpg", jpeg(320, 240), "image/jpeg")}
    return requests.post(f"{base}/api/v1/public/zones/{token}/reports", data=data, files=files, timeout=30)


def test_guest_report_limits_are_counted_in_redis_for_both_nodes(cluster, nodes):
    bases = [nodes["a"].base, nodes["b"].base]
    answers = [_guest_report(bases[i % 2], cluster.world.guest_token) for i in range(4)]  # 3 per hour
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429], answers[-1].text
    assert answers[-1].headers["Content-Type"] == "application/problem+json"
    assert any(redis.Redis.from_url(cluster.redis.url).scan_iter("LIMITS*"))


def test_health_names_each_dependency_and_fails_while_redis_is_down(cluster, nodes):
    bases = [cluster.nginx.base, *(node.base for node in nodes.values())]
    healthy = {"status": "ok", "database": "ok", "photo_store": "ok", "redis": "ok"}
    assert all(requests.get(base + "/health", timeout=30).json() == healthy for base in bases)
    cluster.redis.stop()
    try:
        for base in bases:
            answer = requests.get(base + "/health", timeout=30)
            assert answer.status_code == 503
            assert answer.json() == {**healthy, "status": "degraded", "redis": "unavailable"}
        # The limits fail open: the public board still answers without its counter.
        board = requests.get(f"{bases[1]}/api/v1/public/zones/{cluster.world.guest_token}", timeout=30)
        assert board.status_code == 200, board.text
    finally:
        cluster.redis.start()
    for base in bases:
        answer = requests.get(base + "/health", timeout=30)
        assert (answer.status_code, answer.json()) == (200, healthy)


def test_the_history_written_by_both_nodes_verifies_against_their_one_anchor_file(cluster):
    assert _count(cluster, Hazard) >= 3  # reported through both nodes by the tests above
    app = build_app(cluster.url, cluster.directory, **{**cluster.settings, "SECRET_KEY": Server.SECRET_KEY})
    runner = app.test_cli_runner()
    anchored = runner.invoke(args=["audit", "anchor"])  # a head whose node died before its line
    verified = runner.invoke(args=["audit", "verify"])
    dispose(app)
    assert (anchored.exit_code, verified.exit_code) == (0, 0), anchored.output + verified.output
