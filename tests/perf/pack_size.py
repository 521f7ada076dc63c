"""The size of the offline pack (DESIGN §8: "its size stated for 500 zones"): bytes of JSON and
bytes on the wire (gzip, as server/compression.py sends it), and the time to build it in-process,
for users of the demo company and for a worker and a zone head of a unit of 500 zones.

Run on an empty, migrated database (it loads the demo company and the big unit):

    export DATABASE_URL=sqlite:////tmp/pack.db
    .venv/bin/flask --app wsgi db upgrade
    .venv/bin/python -m tests.perf.pack_size [--zones 500] [--smoke]
"""

import argparse
import gzip
import json
import random
import statistics
import time
import uuid
from datetime import timedelta

from sqlalchemy import insert, select

from server import create_app
from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts.passwords import hash_password
from server.services.demo.seed import DEMO_PASSWORD, seed_demo
from server.services.loop.numbering import next_hazard_number
from server.services.platform.clock import site_today
from server.vocabulary import CATEGORIES

AREAS = ("主变压器区", "高压开关室", "电缆夹层", "蓄电池室", "主控室", "GIS 室", "电容器场", "站用变室")
DUTIES = (
    "设备区围栏与安全标识检查",
    "消防器材定期检查",
    "临时用电管理",
    "作业现场安全措施落实监督",
    "电缆沟盖板与防小动物措施",
    "接地装置与避雷设施巡视",
    "SF6 气体泄漏监测",
    "蓄电池组温度与电压记录",
    "高处作业防坠落措施检查",
    "工器具定期试验与登记",
    "检修通道畅通与照明",
    "外包队伍入场安全交底",
)
COMMITMENT = "我承诺：严格执行两票三制，杜绝习惯性违章，做到不伤害自己、不伤害他人、不被他人伤害。"


def load_big_unit(zones, seed=500):
    """A team under the demo company with `zones` zones (a zone head per 10), a post per 5 zones
    held by its heads, 3 open hazards per 10 zones, and worker `big-worker` assigned to 20 of them."""
    rng = random.Random(seed)
    company = db.session.scalar(select(Unit).where(Unit.code == "GD"))
    unit = Unit(code="BIG", name="城区变电运维中心", parent_id=company.id)
    db.session.add(unit)
    db.session.flush()
    password = hash_password(DEMO_PASSWORD)
    people = [
        {
            "username": f"big-head-{i}",
            "name": f"区长{i:02d}",
            "role": "zone_head",
            "is_party_member": True,
            "party_branch": "城区党支部",
            "phone": f"1390000{i:04d}",
        }  # fmt: skip
        for i in range(max(1, zones // 10))
    ]
    people.append({"username": "big-worker", "name": "一线员工", "role": "worker", "is_party_member": False})
    rows = [
        {**p, "unit_id": unit.id, "password_hash": password, "session_nonce": uuid.uuid4().hex[:16]}
        for p in people
    ]
    db.session.execute(insert(User), rows)
    heads = db.session.scalars(
        select(User.id).where(User.username.like("big-head-%")).order_by(User.id)
    ).all()
    worker = db.session.scalar(select(User.id).where(User.username == "big-worker"))
    zone_rows = [
        {
            "code": f"BIG-{i:03d}",
            "name": f"{110 + 110 * (i % 2)}kV 第{i // 8 + 1}变电站{AREAS[i % 8]}",
            "unit_id": unit.id,
            "head_id": heads[i // 10 % len(heads)],
            "responsibilities": "、".join(rng.sample(DUTIES, 5)),
            "lat": 30.2 + rng.random() / 10,
            "lng": 120.1 + rng.random() / 10,
            "radius_m": 100,
            "qr_token": uuid.uuid4().hex[:24],
            "patrol_interval_days": 7,
            "patrol_checklist": [c for c in CATEGORIES if c != "other"],
        }  # fmt: skip
        for i in range(zones)
    ]
    db.session.execute(insert(Zone), zone_rows)
    zone_ids = db.session.scalars(select(Zone.id).where(Zone.unit_id == unit.id).order_by(Zone.id)).all()
    post_rows = [
        {
            "code": f"BIGP-{i:03d}",
            "name": f"党员安全示范岗 {i:03d}",
            "unit_id": unit.id,
            "holder_id": heads[i % len(heads)],
            "zone_id": zone_ids[i * 5],
            "commitment": COMMITMENT,
            "geofence_policy": "flag",
            "lat": 30.25,
            "lng": 120.15,
            "radius_m": 200,
            "qr_token": uuid.uuid4().hex[:24],
        }  # fmt: skip
        for i in range(zones // 5)
    ]
    db.session.execute(insert(Post), post_rows)
    now = now_utc()
    for i, zone_id in enumerate(zone_ids[: max(1, zones * 3 // 10)]):
        assigned = i < 20
        hazard = Hazard(
            number=next_hazard_number(now.year), zone_id=zone_id, reporter_id=heads[0],
            client_uuid=str(uuid.uuid4()), request_hash="x", title="配电箱门未关闭",
            description="配电箱门敞开，无警示标识，存在触电风险", category=rng.choice(CATEGORIES),
            level="general", status="rectifying" if assigned else "reported",
            created_at=now - timedelta(days=rng.randint(1, 30)),
        )  # fmt: skip
        if assigned:
            hazard.assignee_id, hazard.measures = worker, "加装门锁并张贴警示标识"
            hazard.deadline, hazard.confirmed_at = site_today() + timedelta(days=7), now
        db.session.add(hazard)
    db.session.commit()


def measure(app, username, runs):
    """(zones, posts, tasks, party days, JSON bytes, gzip bytes, median ms) of one user's pack."""
    client = app.test_client()
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.get_json()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/api/v1/offline-pack", headers={"Accept-Encoding": "gzip"})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    wire = response.data
    body = gzip.decompress(wire) if response.headers.get("Content-Encoding") == "gzip" else wire
    pack = json.loads(body)
    etag = response.headers["ETag"]
    unchanged = client.get("/api/v1/offline-pack", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert unchanged.status_code == 304, unchanged.status_code
    counts = tuple(len(pack[key]) for key in ("zones", "posts", "tasks", "party_days"))
    return (*counts, len(body), len(wire), statistics.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=500, help="zones of the big unit")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="20 zones, one run")
    args = parser.parse_args(argv)
    zones, runs = (20, 1) if args.smoke else (args.zones, args.runs)
    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        seed_demo()
        db.session.commit()
        load_big_unit(zones)
    print(
        f"offline pack sizes ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, median of {runs} runs)"
    )
    print("| user | zones | posts | tasks | Party days | JSON | gzip | build |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, username in (
        ("demo worker (chen)", "chen"),
        ("demo zone head (zhang)", "zhang"),
        ("demo company supervisor (jiandu)", "jiandu"),
        (f"worker of a unit of {zones} zones", "big-worker"),
        (f"zone head of a unit of {zones} zones", "big-head-0"),
    ):
        z, p, t, d, raw, wire, ms = measure(app, username, runs)
        print(
            f"| {label} | {z} | {p} | {t} | {d} | {raw / 1024:.1f} KB | {wire / 1024:.1f} KB | {ms:.0f} ms |"
        )


if __name__ == "__main__":
    main()
