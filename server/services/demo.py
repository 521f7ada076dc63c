"""Demo data for `flask seed-demo`: a realistic company to try every screen with.

Idempotent: a second run finds the demo unit and changes nothing.
"""

import hashlib
import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import CheckIn, Hazard, Patrol, Post, Unit, User, Zone
from server.models.base import now_utc
from server.services import passwords
from server.services.clock import site_datetime, site_today
from server.services.hazards import record_event
from server.services.numbering import next_hazard_number
from server.vocabulary import CATEGORIES

DEMO_PASSWORD = "safe-zone-2026"  # noqa: S105 - the documented demo login; refused in production
UNITS = (("GD", "国网示范供电公司", None), ("BDZ", "变电运维一班", "GD"), ("XL", "输电运检二班", "GD"))
USERS = (  # username, name, role, unit, Party member, branch, phone
    ("admin", "系统管理员", "admin", "GD", False, None, None),
    ("jiandu", "周安监", "supervisor", "GD", True, "公司机关党支部", "13800000001"),
    ("jiandu2", "吴督查", "supervisor", "BDZ", True, "变电党支部", "13800000002"),
    ("zhang", "张建国", "zone_head", "BDZ", True, "变电党支部", "13800000011"),
    ("li", "李红梅", "zone_head", "BDZ", True, "变电党支部", "13800000012"),
    ("wang", "王志强", "zone_head", "XL", True, "输电党支部", "13800000013"),
    ("zhao", "赵卫东", "zone_head", "XL", True, "输电党支部", "13800000014"),
    ("chen", "陈小勇", "worker", "BDZ", True, "变电党支部", "13800000021"),
    ("liu", "刘晓", "worker", "BDZ", False, None, "13800000022"),
    ("sun", "孙海", "worker", "XL", False, None, "13800000023"),
    ("zhou", "周明", "worker", "XL", True, "输电党支部", "13800000024"),
    ("ma", "马骏", "worker", "XL", False, None, "13800000025"),
)
ZONES = (  # code, name, unit, head, responsibilities, lat, lng
    (
        "BDZ-01",
        "110kV 城东变电站主控室",
        "BDZ",
        "zhang",
        "主控室设备巡视、消防器材检查、工作票执行监督",
        30.2741,
        120.1551,
    ),
    (
        "BDZ-02",
        "110kV 城东变电站高压场区",
        "BDZ",
        "zhang",
        "高压设备区围栏、安全标识、接地装置检查",
        30.2745,
        120.1560,
    ),
    ("BDZ-03", "35kV 西郊变电站", "BDZ", "li", "设备区、电缆沟、防小动物措施", 30.2601, 120.1102),
    ("XL-01", "220kV 钱江线 #12–#30 段", "XL", "wang", "杆塔基础、通道树障、防外破巡视", 30.3012, 120.2013),
    ("XL-02", "110kV 临平线跨越段", "XL", "zhao", "交叉跨越、高处作业安全措施", 30.4201, 120.3003),
    ("XL-03", "输电运检工具库房", "XL", "wang", "工器具定期试验、防护用品发放与检查", 30.3101, 120.2101),
)
POSTS = (  # code, name, unit, zone, holder, commitment
    (
        "SFG-01",
        "城东变电站党员示范岗",
        "BDZ",
        "BDZ-01",
        "zhang",
        "安全第一，带头执行“两票三制”，做到无违章、无隐患。",
    ),
    (
        "SFG-02",
        "钱江线运检党员示范岗",
        "XL",
        "XL-01",
        "wang",
        "亮身份、作表率，每班巡视到位，隐患发现即上报。",
    ),
    ("SFG-03", "工具库房党员示范岗", "XL", "XL-03", "zhou", "工器具件件合格、次次检查，守好安全第一道防线。"),
)
HAZARD_TITLES = {
    "electrical": ("配电箱门未关闭且无警示", "电缆外皮破损"),
    "height": ("登高作业未系安全带", "爬梯防护圈缺失"),
    "fire": ("灭火器压力不足", "消防通道堆放杂物"),
    "equipment": ("隔离开关操作机构锈蚀", "主变油位偏低"),
    "tools_ppe": ("绝缘手套超期未试验", "安全帽帽衬破损"),
    "traffic": ("站内道路限速标识缺失", "施工车辆无人指挥倒车"),
    "environment": ("电缆沟积水", "围墙外树木距导线过近"),
    "violation": ("未办理工作票进入设备区", "作业现场无人监护"),
    "other": ("安全标识牌褪色", "防小动物挡板缺失"),
}
# status → how many demo hazards end there; overdue and major ones are spread among them.
STATUS_PLAN = (("reported", 8), ("rejected", 3), ("rectifying", 14), ("verifying", 6), ("closed", 11))


def seed_demo():
    """Create the demo company once; returns False when it already exists."""
    if db.session.scalar(select(Unit).where(Unit.code == UNITS[0][0])):
        return False
    units = _units()
    users = _users(units)
    zones = _zones(units, users)
    _posts(units, users, zones)
    rng = random.Random(2026)
    _hazards(rng, users, zones)
    _patrols(rng, users, zones)
    _checkins(rng, users)
    db.session.flush()
    return True


def _units():
    units = {}
    for code, name, parent in UNITS:
        units[code] = Unit(code=code, name=name, parent=units.get(parent))
        db.session.add(units[code])
    return units


def _users(units):
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    users = {}
    for username, name, role, unit, party, branch, phone in USERS:
        users[username] = User(
            username=username,
            name=name,
            role=role,
            unit=units[unit],
            is_party_member=party,
            party_branch=branch,
            phone=phone,
            password_hash=password_hash,
        )
        db.session.add(users[username])
    return users


def _zones(units, users):
    zones = {}
    for code, name, unit, head, text, lat, lng in ZONES:
        zones[code] = Zone(
            code=code,
            name=name,
            unit=units[unit],
            head=users[head],
            responsibilities=text,
            lat=lat,
            lng=lng,
            radius_m=300,
        )
        db.session.add(zones[code])
    return zones


def _posts(units, users, zones):
    for code, name, unit, zone, holder, commitment in POSTS:
        z = zones[zone]
        db.session.add(
            Post(
                code=code,
                name=name,
                unit=units[unit],
                zone=z,
                holder=users[holder],
                commitment=commitment,
                lat=z.lat,
                lng=z.lng,
                radius_m=200,
            )
        )
    db.session.flush()


def _client_fields(rng, payload):
    return {
        "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "request_hash": hashlib.sha256(repr(payload).encode()).hexdigest(),
    }


def _event(steps, hazard, actor, action, from_status, to_status, at, comment=None):
    steps.append((hazard, actor, action, from_status, to_status, comment, at))


def _hazards(rng, users, zones):
    workers = [u for u in users.values() if u.role == "worker"]
    now, today = now_utc(), site_today()
    plan = [status for status, count in STATUS_PLAN for _ in range(count)]
    for index, status in enumerate(plan):
        zone = list(zones.values())[index % len(zones)]
        reporter = workers[index % len(workers)]
        category = CATEGORIES[index % len(CATEGORIES)]
        title = HAZARD_TITLES[category][index % 2]
        major = status not in ("reported", "rejected") and index % 7 == 3
        reported_at = now - timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 20))
        hazard = Hazard(
            number=next_hazard_number(reported_at.year),
            zone=zone,
            reporter=reporter,
            title=title,
            description=f"{zone.name}：{title}，请尽快处理。",
            category=category,
            level="major" if major else "general",
            status="reported",
            created_at=reported_at,
            client_at=reported_at,
            lat=zone.lat,
            lng=zone.lng,
            **_client_fields(rng, (index, title)),
        )
        db.session.add(hazard)
        db.session.flush()
        steps = []
        _event(steps, hazard, reporter, "report", None, "reported", reported_at)
        _advance(steps, rng, hazard, status, users, workers, reported_at, today, index)
        db.session.flush()  # the hazard complete (its CHECKs hold) before its history is sealed
        for hazard_, actor, action, from_status, to_status, comment, at in steps:
            record_event(hazard_, actor, action, from_status, to_status, comment, at=at)


def _advance(steps, rng, hazard, status, users, workers, reported_at, today, index):
    """Walk the hazard along the loop to its planned status, writing each event."""
    head, supervisor = hazard.zone.head, users["jiandu"]
    hazard.status = status  # flushed with the fields below, so every CHECK holds
    if status == "reported":
        return
    decided_at = reported_at + timedelta(hours=rng.randint(2, 30))
    if status == "rejected":
        hazard.rejected_at = decided_at
        _event(
            steps,
            hazard,
            head,
            "reject",
            "reported",
            "rejected",
            decided_at,
            "经核实不属于隐患，已现场说明。",
        )
        return
    hazard.assignee = workers[(index + 1) % len(workers)]
    hazard.measures = "立即设置警示标识，安排专人整改并复查。"
    # Every third open one is past its deadline, so the demo shows overdue hazards.
    overdue = status == "rectifying" and index % 3 == 0
    hazard.deadline = (
        today - timedelta(days=rng.randint(1, 5)) if overdue else today + timedelta(days=rng.randint(0, 14))
    )
    hazard.confirmed_at = decided_at
    if hazard.level == "major":
        hazard.funds = "专项安全费用 2 万元"
        hazard.contingency_plan = "整改期间设置隔离围栏，安排专人值守，异常时立即停电处置。"
        hazard.supervisor_id = supervisor.id
    _event(steps, hazard, head, "confirm", "reported", "rectifying", decided_at)
    if status == "rectifying":
        return
    submitted_at = decided_at + timedelta(days=rng.randint(1, 3))
    hazard.submitted_at, hazard.submitted_by_id = submitted_at, hazard.assignee.id
    _event(
        steps,
        hazard,
        hazard.assignee,
        "submit",
        "rectifying",
        "verifying",
        submitted_at,
        "已按措施整改完毕。",
    )
    if status == "verifying":
        return
    verifier = supervisor if hazard.level == "major" else head
    closed_at = submitted_at + timedelta(hours=rng.randint(2, 48))
    hazard.closed_at, hazard.verifier_id = closed_at, verifier.id
    hazard.closed_late = site_datetime(closed_at).date() > hazard.deadline
    _event(steps, hazard, verifier, "accept", "verifying", "closed", closed_at, "现场复查合格。")


def _patrols(rng, users, zones):
    for zone in zones.values():
        for weeks_ago in range(3):  # the latest within the interval, older ones before it
            at = now_utc() - timedelta(days=7 * weeks_ago + rng.randint(1, 5))
            checklist = [{"item": c, "ok": rng.random() > 0.2} for c in ("electrical", "fire", "tools_ppe")]
            db.session.add(
                Patrol(
                    user=zone.head,
                    zone=zone,
                    created_at=at,
                    client_at=at,
                    checklist=checklist,
                    note="例行巡查",
                    **_client_fields(rng, (zone.code, weeks_ago)),
                )
            )


def _checkins(rng, users):
    for post in db.session.scalars(select(Post)):
        for days_ago in range(0, 20, 2):
            at = now_utc() - timedelta(days=days_ago, hours=rng.randint(0, 3))
            db.session.add(
                CheckIn(
                    user=post.holder,
                    post=post,
                    created_at=at,
                    client_at=at,
                    lat=post.lat,
                    lng=post.lng,
                    accuracy_m=15,
                    distance_m=12.0,
                    within_geofence=True,
                    **_client_fields(rng, (post.code, days_ago)),
                )
            )


def demo_logins():
    return [(username, name, role) for username, name, role, *_ in USERS]
