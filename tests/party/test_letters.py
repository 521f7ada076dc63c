"""Responsibility letters: issued by an admin to users of a unit subtree, signed with one's own
name over the exact text, followed by supervisors."""

import hashlib

from tests.conftest import assert_problem

TEXT = "本人承诺：严格落实安全生产责任制，履行责任区长职责。"


def _issue(client, world, recipients, **fields):
    body = {
        "title": "2026 年安全生产责任书",
        "year": 2026,
        "layer": "zone_head",
        "body": TEXT,
        "unit_id": world.company.id,
        "recipient_ids": recipients,
        **fields,
    }
    return client.post("/api/v1/letters", json=body)


def test_recipients_sign_and_supervisors_see_who_has_not(login_as, world):
    heads = [world.people[("zone_head", t)].id for t in ("A", "B")]
    issued = _issue(login_as("admin"), world, heads)
    assert issued.status_code == 201, issued.get_json()
    letter = issued.get_json()
    assert letter["body_hash"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert (letter["recipient_count"], letter["signed_count"]) == (2, 0)
    head = login_as("zone_head")
    mine = head.get("/api/v1/letters").get_json()["items"]
    assert [(item["id"], item["mine"]["signed_at"], "body" in item, item["may_follow"]) for item in mine] == [
        (letter["id"], None, False, False)
    ]
    assert [item["id"] for item in head.get("/api/v1/letters?unsigned=true").get_json()["items"]] == [
        letter["id"]
    ]
    wrong = head.post(
        f"/api/v1/letters/{letter['id']}/sign", json={"signature": "张三", "body_hash": letter["body_hash"]}
    )
    assert_problem(wrong, 422)
    stale = head.post(
        f"/api/v1/letters/{letter['id']}/sign", json={"signature": "Name of zone_head", "body_hash": "0" * 64}
    )
    assert_problem(stale, 409)
    body = {"signature": " Name of  zone_head ", "body_hash": letter["body_hash"]}
    signed = head.post(f"/api/v1/letters/{letter['id']}/sign", json=body)
    assert signed.status_code == 200 and signed.get_json()["mine"]["signature"] == "Name of  zone_head"
    assert head.post(f"/api/v1/letters/{letter['id']}/sign", json=body).status_code == 200
    assert head.get("/api/v1/letters?unsigned=true").get_json()["items"] == []
    assert_problem(
        head.post(f"/api/v1/letters/{letter['id']}/sign", json={**body, "signature": "Name of zone_head"}),
        409,
    )
    followed = login_as("admin").get(f"/api/v1/letters/{letter['id']}").get_json()
    assert followed["may_follow"] is True
    status = {r["user"]["id"]: r["signed_at"] is not None for r in followed["recipients"]}
    assert status == {heads[0]: True, heads[1]: False} and followed["signed_count"] == 1


def test_who_may_issue_read_and_sign(login_as, world):
    assert_problem(_issue(login_as("supervisor"), world, [world.people[("worker", "A")].id]), 403)
    team_a = _issue(
        login_as("admin"), world, [world.people[("worker", "A")].id], unit_id=world.teams[0].id
    ).get_json()
    outside = _issue(login_as("admin"), world, [world.people[("worker", "B")].id], unit_id=world.teams[0].id)
    assert_problem(outside, 422)
    assert login_as("supervisor").get(f"/api/v1/letters/{team_a['id']}").get_json()["recipients"] is not None
    assert_problem(login_as("supervisor", "B").get(f"/api/v1/letters/{team_a['id']}"), 404)
    assert_problem(login_as("worker", "B").get(f"/api/v1/letters/{team_a['id']}"), 404)
    body = {"signature": "Name of zone_head", "body_hash": team_a["body_hash"]}
    assert_problem(login_as("zone_head").post(f"/api/v1/letters/{team_a['id']}/sign", json=body), 404)
    assert_problem(_issue(login_as("admin"), world, []), 422)
