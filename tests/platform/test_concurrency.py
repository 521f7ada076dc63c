"""Sixteen phones writing at once: no "database is locked" (503) or 500 reaches any of them, and
every write lands exactly once (DESIGN §9 Database; HARDENING §3)."""

import threading

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models.loop.hazards import HazardEvent
from tests.hazard_helpers import hazard_body, place_hazard, upload_photo

pytestmark = pytest.mark.slow
WRITERS = 16
EACH = 5


def test_sixteen_concurrent_writers_all_succeed(app, factory, world):
    worker = world.people[("worker", "A")]
    hazard_id = place_hazard(app, world.zones["A"], worker, "reported")
    clients = []
    for _ in range(WRITERS):
        user = factory.user("worker", world.teams[0].id)
        client = app.test_client()
        client.login(user.username)
        clients.append((client, [upload_photo(client) for _ in range(EACH)]))
    statuses = []

    def write(client, photos):
        for photo in photos:
            body = hazard_body(
                world.zones["A"].id, [photo], title="并发上报", description="d", category="other"
            )
            statuses.append(client.post("/api/v1/hazards", json=body).status_code)
            comment = client.post(
                f"/api/v1/hazards/{hazard_id}/actions/comment", json={"text": "同一隐患的评论"}
            )
            statuses.append(comment.status_code)

    threads = [threading.Thread(target=write, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [200, 201], statuses
    with app.app_context():
        comments = db.session.scalar(
            select(func.count()).where(HazardEvent.hazard_id == hazard_id, HazardEvent.action == "comment")
        )
    assert comments == WRITERS * EACH
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0  # one chain, no forks
