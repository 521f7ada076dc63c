"""Load a large realistic data set fast: N hazards (default 1,000,000) with their events, plus
units, people, zones, posts, check-ins and patrols, into the configured database.

Skew like a real company: most hazards in the last year and more of them recently, a few busy
zones, about 8 % open. Titles and descriptions are drawn from a field crew's words (接地, 盖板,
10kV, 锈蚀…), so a word search matches a realistic share. Bulk inserts in batches, then the search
index built in one pass (bulk inserts bypass the flush that keeps it); run on an empty, migrated
database.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/flask --app wsgi db upgrade
    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/python -m tests.perf.seed_scale [--hazards N] [--smoke]
"""

import argparse
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert

from server import create_app
from server.extensions import db
from server.models.accounts.users import User
from server.models.field.checkins import CheckIn
from server.models.field.patrols import Patrol
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.models.platform.counters import NamedCounter
from server.services.accounts.passwords import hash_password
from server.services.insight.rollup import rebuild_rollup
from server.services.loop import recurrence, search_index
from server.services.loop.event_chain import chain_hash
from server.services.platform.clock import site_zone
from server.vocabulary import CATEGORIES

BATCH = 20_000
# What is wrong, with what, where: 24 × 24 × 16 titles; the words a search is timed with
# (tests/perf/bench_search.py) occur at known rates among them.
FAULTS = (
    "松动", "破损", "缺失", "锈蚀", "倾斜", "渗油", "放电", "过热", "变形", "脱落", "堵塞", "积水",
    "裂纹", "老化", "断股", "未关闭", "未接地", "标识不清", "超期未检", "安装不规范", "绑扎不牢",
    "距离不足", "无防护", "漏电",
)  # fmt: skip
THINGS = (
    "接地线夹", "电缆沟盖板", "围栏门锁", "配电箱门", "绝缘子", "避雷器", "变压器油位", "开关柜",
    "隔离开关", "电缆终端", "杆塔拉线", "安全标识", "消防器材", "灭火器", "脚手架", "护栏",
    "爬梯", "照明灯具", "接地引下线", "母线排", "端子箱", "蓄电池", "电压互感器", "导线",
)  # fmt: skip
PLACES = (
    "10kV 开关站", "35kV 变电站", "110kV 变电站", "220kV 主变室", "0.4kV 配电室", "电缆隧道",
    "线路 3 号杆", "线路 17 号塔", "高压室", "主控楼", "施工现场", "检修通道", "室外场地",
    "电缆夹层", "继保室", "站用变",
)  # fmt: skip
PASSWORD = "scale-password-1"  # every seeded user; printed at the end


def _units(teams):
    db.session.add(Unit(code="CO", name="省公司"))
    db.session.flush()
    rows = [{"code": f"T{i:03d}", "name": f"班组 {i}", "parent_id": 1} for i in range(teams)]
    db.session.execute(insert(Unit), rows)
    return list(range(2, teams + 2))


def _people(units, password_hash):
    rows = [
        {"username": "admin", "name": "管理员", "role": "admin", "unit_id": 1, "password_hash": password_hash}
    ]
    rows.append(
        {
            "username": "boss",
            "name": "省安监",
            "role": "supervisor",
            "unit_id": 1,
            "is_party_member": True,
            "password_hash": password_hash,
        }
    )
    for unit in units:
        for role, count in (("supervisor", 1), ("zone_head", 4), ("worker", 15)):
            for i in range(count):
                rows.append(
                    {
                        "username": f"{role}-{unit}-{i}",
                        "name": f"{role} {unit}-{i}",
                        "role": role,
                        "unit_id": unit,
                        "is_party_member": role != "worker",
                        "password_hash": password_hash,
                    }
                )
    db.session.execute(insert(User), [{"session_nonce": uuid.uuid4().hex[:16], **row} for row in rows])
    return db.session.execute(db.select(User.id, User.role, User.unit_id)).all()


def _zones(units, people):
    heads = {}
    for user_id, role, unit_id in people:
        if role == "zone_head":
            heads.setdefault(unit_id, []).append(user_id)
    rows, posts = [], []
    for unit in units:
        for i, head in enumerate(heads[unit]):
            code = f"Z{unit:03d}-{i}"
            rows.append(
                {
                    "code": code,
                    "name": f"责任区 {code}",
                    "unit_id": unit,
                    "head_id": head,
                    "qr_token": uuid.uuid4().hex,
                    "patrol_checklist": ["fire", "electrical"],
                }
            )
            posts.append(
                {
                    "code": f"P{unit:03d}-{i}",
                    "name": f"示范岗 {code}",
                    "unit_id": unit,
                    "holder_id": head,
                    "qr_token": uuid.uuid4().hex,
                }
            )
    db.session.execute(insert(Zone), rows)
    db.session.execute(insert(Post), posts)
    return db.session.execute(db.select(Zone.id, Zone.unit_id, Zone.head_id)).all()


def _hazards(total, zones, workers, rng):
    now = datetime.now(UTC)
    busy = zones[: max(1, len(zones) // 20)]  # 5 % of zones get a third of the reports
    counter = 0
    for start in range(0, total, BATCH):
        hazards, events = [], []
        for n in range(start, min(total, start + BATCH)):
            zone_id, unit_id, head_id = rng.choice(busy) if rng.random() < 0.33 else rng.choice(zones)
            age = timedelta(days=min(rng.expovariate(1 / 200), 1800), seconds=rng.randint(0, 86400))
            created = now - age
            roll = rng.random()
            status = (
                "closed"
                if roll > 0.08 + 0.05
                else ("rejected" if roll > 0.08 else rng.choice(("reported", "rectifying", "verifying")))
            )
            reporter = rng.choice(workers[unit_id])
            counter += 1
            row = {
                "id": n + 1,
                "number": f"YH-{created.year}-{counter:07d}",
                "zone_id": zone_id,
                "reporter_id": reporter,
                "client_uuid": str(uuid.uuid4()),
                "request_hash": "seed",
                "title": f"{rng.choice(THINGS)}{rng.choice(FAULTS)}",
                "description": f"{rng.choice(PLACES)}{rng.choice(THINGS)}{rng.choice(FAULTS)}，需整改",
                "category": rng.choice(CATEGORIES),
                "level": "major" if rng.random() < 0.02 else "general",
                "status": status,
                "fixed_on_spot": False,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
            events.append(
                {
                    "hazard_id": n + 1,
                    "actor_id": reporter,
                    "action": "report",
                    "to_status": "reported",
                    "changes": {},
                    "created_at": created,
                }
            )
            if status in ("rectifying", "verifying", "closed"):
                confirmed = created + timedelta(hours=rng.randint(1, 48))
                row.update(
                    assignee_id=reporter,
                    deadline=(confirmed + timedelta(days=rng.randint(3, 20))).date(),
                    measures="整改",
                    confirmed_at=confirmed,
                )
                if row["level"] == "major":
                    row.update(funds="1 万元", contingency_plan="预案", supervisor_id=head_id)
                events.append(
                    {
                        "hazard_id": n + 1,
                        "actor_id": head_id,
                        "action": "confirm",
                        "from_status": "reported",
                        "to_status": "rectifying",
                        "changes": {},
                        "created_at": confirmed,
                    }
                )
            if status in ("verifying", "closed"):
                row.update(submitted_at=confirmed + timedelta(days=2), submitted_by_id=reporter)
            if status == "closed":
                closed = min(now, confirmed + timedelta(days=rng.randint(1, 30)))
                row.update(closed_at=closed, verifier_id=head_id, closed_late=closed.date() > row["deadline"])
                events.append(
                    {
                        "hazard_id": n + 1,
                        "actor_id": head_id,
                        "action": "accept",
                        "from_status": "verifying",
                        "to_status": "closed",
                        "changes": {},
                        "created_at": closed,
                    }
                )
            if status == "rejected":
                row["rejected_at"] = created + timedelta(hours=3)
            hazards.append(row)
        db.session.execute(insert(Hazard), hazards)
        db.session.execute(insert(HazardEvent), _sealed(events))
        db.session.commit()
        print(f"  {min(total, start + BATCH):,} hazards", flush=True)
    return counter


def _sealed(events):
    """Give each event its hash in its hazard's chain (events come grouped by hazard, in order)."""
    previous = {}
    for event in events:
        prev = previous.get(event["hazard_id"])
        row = SimpleNamespace(**{"from_status": None, "comment": None, **event})
        event.update(prev_hash=prev, hash=chain_hash(prev, row))
        previous[event["hazard_id"]] = event["hash"]
    return events


def _field_records(zones, rng, days=90):
    now = datetime.now(UTC)
    posts = db.session.execute(db.select(Post.id, Post.holder_id)).all()
    checkins = [
        {
            "user_id": holder,
            "post_id": post_id,
            "client_uuid": str(uuid.uuid4()),
            "request_hash": "seed",
            "created_at": now - timedelta(days=day, hours=rng.randint(0, 10)),
        }
        for post_id, holder in posts
        for day in range(days)
        if rng.random() < 0.7
    ]
    patrols = [
        {
            "user_id": head,
            "zone_id": zone_id,
            "client_uuid": str(uuid.uuid4()),
            "request_hash": "seed",
            "checklist": [{"item": "fire", "ok": True}],
            "created_at": now - timedelta(days=week * 7 + rng.randint(0, 6)),
        }
        for zone_id, _, head in zones
        for week in range(days // 7)
    ]
    for rows, model in ((checkins, CheckIn), (patrols, Patrol)):
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(model), rows[start : start + BATCH])
    db.session.commit()
    return len(checkins), len(patrols)


# --smoke: enough teams for bench_api's 64 workers and 16 supervisors, few hazards (seconds).
SMOKE = {"hazards": 500, "teams": 16}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="tiny data: check the script runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.hazards, args.teams = SMOKE["hazards"], SMOKE["teams"]
    rng = random.Random(8)
    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        units = _units(args.teams)
        people = _people(units, hash_password(PASSWORD))
        zones = _zones(units, people)
        workers = {}
        for user_id, role, unit_id in people:
            if role == "worker":
                workers.setdefault(unit_id, []).append(user_id)
        db.session.commit()
        count = _hazards(args.hazards, zones, workers, rng)
        db.session.execute(
            insert(NamedCounter), [{"name": f"YH-{year}", "value": count} for year in range(2020, 2031)]
        )
        checkins, patrols = _field_records(zones, rng)
        print("  indexing for search, marking repeats…", flush=True)
        connection = db.session.connection()
        search_index.rebuild(connection)
        recurrence.mark_all(connection)
        rebuild_rollup(connection, site_zone())
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SELECT setval('hazard_id_seq', (SELECT max(id) FROM hazard))"))
            db.session.commit()
            db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    print(
        f"{count:,} hazards, {len(zones)} zones, {checkins:,} check-ins, {patrols:,} patrols "
        f"in {time.perf_counter() - started:.0f} s; every user's password: {PASSWORD}"
    )


if __name__ == "__main__":
    main()
