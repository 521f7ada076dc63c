"""Demo data for `flask seed-demo`: a realistic company to try every screen with.

Idempotent: a second run finds the demo unit and changes nothing.
"""

import random
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.loop.hazards import Hazard
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.services.accounts import passwords
from server.services.demo.activity import client_fields, seed_checkins, seed_party_building, seed_patrols
from server.services.demo.data import HAZARD_TITLES, POSTS, STATUS_PLAN, UNITS, USERS, ZONES
from server.services.loop import recurrence
from server.services.loop.hazards import record_event
from server.services.loop.numbering import next_hazard_number
from server.services.platform.clock import site_datetime, site_today
from server.vocabulary import CATEGORIES

DEMO_PASSWORD = "safe-zone-2026"  # noqa: S105 - the documented demo login; refused in production


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
    db.session.flush()
    recurrence.mark_all(db.session)  # reported out of time order: decided once all are in
    seed_patrols(rng, zones)
    seed_checkins(rng)
    seed_party_building(rng, units, users)
    zones["BDZ-01"].guest_reports = True  # its public board takes reports from passers-by
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
            **client_fields(rng, (index, title)),
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


def demo_logins():
    return [(username, name, role) for username, name, role, *_ in USERS]
