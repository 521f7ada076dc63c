"""Every cell of tests/authz_matrix.py against the real app (HARDENING §8.2, ASVS v5.0.0-8.1.1).

The routes come from the OpenAPI document: a documented route without a row, or a row for a
route that is gone, fails. One company is built per module; a cell that changes something gets
objects of its own, so cells stay independent.
"""

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.extensions import db
from server.models.loop.notifications import Notification
from server.models.party.letters import Letter, LetterRecipient
from server.models.party.party_days import Attendance, PartyDay
from server.models.places.zones import Zone
from server.models.platform.deliveries import Delivery, NotifyChannel
from server.services.party.letters import body_hash
from tests.authz_matrix import ACTORS, MATRIX
from tests.conftest import (
    PASSWORD,
    Factory,
    assert_problem,
    build_app,
    build_world,
    dispose,
    fresh_database_url,
)
from tests.hazard_helpers import counts, hazard_body, place_hazard, report, upload_photo
from tests.images import jpeg

TEAM = {"own_unit": "A", "other_unit": "B", "own": "B"}


def _csv(text):
    return {"data": {"file": (io.BytesIO(text.encode()), "data.csv")}, "content_type": "multipart/form-data"}


def _hazard(cell, status="reported"):
    """A fresh hazard in the target's zone; "own" is reported by the actor, elsewhere by a colleague."""
    ctx, target = cell.ctx, cell.target
    reporter = (cell.user or ctx.reporters["B"]) if target == "own" else ctx.reporters[TEAM.get(target, "A")]
    hazard_id = place_hazard(ctx.app, ctx.world.zones[TEAM.get(target, "A")], reporter, status)
    return hazard_id, counts(ctx.app, hazard_id)[1]


def _photo(cell):
    ctx = cell.ctx
    if cell.target == "own":
        return upload_photo(cell.client) if cell.user else ctx.photos["A"]
    if cell.target == "someone_elses":
        return upload_photo(ctx.clients["reporter-a"])
    return ctx.photos[TEAM[cell.target]]


def _notification(cell):
    owner = cell.user if cell.target == "own" and cell.user else cell.ctx.reporters["A"]
    with cell.ctx.app.app_context():
        note = Notification(user_id=owner.id, kind="hazard_reported", data={})
        db.session.add(note)
        db.session.commit()
        return note.id


def _action(cell):
    hazard_id, version = _hazard(cell)
    action = "confirm" if cell.target == "confirm" else "comment"
    body = {"version": version, "text": "注意安全"}
    if action == "confirm":
        assignee = cell.ctx.world.people[("worker", "A")].id
        deadline = "2099-01-01"
        body = {"version": version, "assignee_id": assignee, "deadline": deadline, "level": "general"}
        body["measures"] = "加装护栏"
    return f"/api/v1/hazards/{hazard_id}/actions/{action}", {"json": body}


def _report(cell):
    ctx = cell.ctx
    zone = ctx.inactive_zone if cell.target == "inactive" else ctx.world.zones[TEAM[cell.target]]
    photos = [upload_photo(cell.client)] if cell.user else []
    return "/api/v1/hazards", {"json": hazard_body(zone.id, photos)}


def _login(cell):
    cell.fresh_session(signed_in=cell.user is not None)
    return "/api/v1/auth/login", {"json": {"username": cell.user.username, "password": PASSWORD}}


def _fresh(path, **kwargs):
    def recipe(cell):
        cell.fresh_session()
        return path, kwargs

    return recipe


def _unit(cell):
    return cell.ctx.world.teams[0 if cell.target == "own_unit" else 1]


def _user(cell, throwaway=False):
    """own: the actor; own_unit/other_unit: a colleague of team A or B (a fresh one if throwaway)."""
    ctx = cell.ctx
    if cell.target == "own":
        return cell.user or ctx.reporters["A"]
    if throwaway:
        return ctx.factory.user("worker", _unit(cell).id)
    return ctx.reporters[TEAM[cell.target]]


def _place(kind, cell):
    return getattr(cell.ctx.world, kind)[TEAM[cell.target]]


def _query(cell):
    unit = {"own_unit": "?unit_id={}", "other_unit": "?unit_id={}"}.get(cell.target, "")
    return unit.format(_unit(cell).id) if unit else ""


def _channel(cell, dead_delivery=False):
    """A webhook channel of the target's unit (and a dead delivery of it): the id to act on."""
    with cell.ctx.app.app_context():
        channel = NotifyChannel(
            unit_id=_unit(cell).id, kind="webhook", name="群", target="https://h.example.cn/x"
        )
        db.session.add(channel)
        if dead_delivery:
            delivery = Delivery(event_id=str(uuid.uuid4()), channel=channel, kind="hazard_reported", text="t")
            delivery.status = "dead"
            db.session.add(delivery)
        db.session.commit()
        return delivery.id if dead_delivery else channel.id


def _code(cell):
    return f"AZ{cell.ctx.next()}"


def _guest_zone(ctx):
    """A zone of team A whose board takes guest reports (made once)."""
    if not hasattr(ctx, "guest_zone"):
        zone = ctx.factory.zone(
            ctx.world.teams[0].id, ctx.world.people[("zone_head", "A")].id, guest_reports=True
        )
        ctx.guest_zone = zone
    return ctx.guest_zone


def _guest_report(cell):
    zone = _guest_zone(cell.ctx) if cell.target == "guest_open" else cell.ctx.world.zones["A"]
    with cell.ctx.app.app_context():
        token = db.session.get(Zone, zone.id).qr_token
    data = {
        "client_uuid": str(uuid.uuid4()),
        "title": "井盖缺失",
        "photos": [(io.BytesIO(cell.ctx.jpeg), "p.jpg")],
    }
    return f"/api/v1/public/zones/{token}/reports", {"data": data, "content_type": "multipart/form-data"}


def _receipt(cell):
    if cell.target == "rotated":
        return "/api/v1/public/receipts/AAAA-BBBB-CCCC-DDDD", {}
    if not hasattr(cell.ctx, "receipt"):
        path, kwargs = _guest_report(Cell(cell.ctx, "guest_open", "anonymous"))
        cell.ctx.receipt = cell.ctx.app.test_client().post(path, **kwargs).get_json()["receipt"]
    return f"/api/v1/public/receipts/{cell.ctx.receipt}", {}


def _party_day(cell, team=None):
    """A Party day going on now in the target's team, organized by that team's zone head."""
    team = team or TEAM[cell.target]
    now = datetime.now(UTC)
    with cell.ctx.app.app_context():
        day = PartyDay(
            theme="主题党日",
            kind="study",
            unit_id=cell.ctx.world.teams["AB".index(team)].id,
            branch="一支部",
            place="会议室",
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1),
            organizer_id=cell.ctx.world.people[("zone_head", team)].id,
        )
        db.session.add(day)
        db.session.commit()
        return day.id, day.qr_token


def _party_day_body(cell):
    unit = _unit(cell).id
    now = datetime.now(UTC)
    return {
        "theme": "反违章",
        "kind": "site_check",
        "unit_id": unit,
        "branch": "一支部",
        "place": "变电站",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(),
    }


def _letter(cell, recipients):
    with cell.ctx.app.app_context():
        letter = Letter(
            title="责任书",
            year=2026,
            layer="member",
            body="安全第一",
            body_hash=body_hash("安全第一"),
            unit_id=cell.ctx.world.company.id,
            issued_by_id=cell.ctx.users["admin"].id,
        )
        letter.recipients = [LetterRecipient(user_id=user.id) for user in recipients]
        db.session.add(letter)
        db.session.commit()
        return letter.id


def _letter_of(cell):
    """own_unit: addressed to team A's worker and zone head (issued for team A); other_unit: to team B."""
    key = f"letter-{cell.target}"
    if not hasattr(cell.ctx, key):
        team = TEAM[cell.target]
        people = [cell.ctx.world.people[(role, team)] for role in ("worker", "zone_head")]
        letter_id = _letter(cell, people)
        with cell.ctx.app.app_context():
            db.session.get(Letter, letter_id).unit_id = _unit(cell).id
            db.session.commit()
        setattr(cell.ctx, key, letter_id)
    return getattr(cell.ctx, key)


def _sign(cell):
    if cell.target == "own":
        letter_id = _letter(cell, list(cell.ctx.users.values()))
    else:
        letter_id = _letter(cell, [cell.ctx.world.people[(role, "B")] for role in ("worker", "zone_head")])
    name = cell.user.name if cell.user else "x"
    return f"/api/v1/letters/{letter_id}/sign", {
        "json": {"signature": name, "body_hash": body_hash("安全第一")}
    }


def _member(cell):
    """own: the actor; own_unit/other_unit: a Party member of team A or B."""
    if cell.target == "own":
        return (cell.user or cell.ctx.reporters["A"]).id
    key = f"member-{cell.target}"
    if not hasattr(cell.ctx, key):
        setattr(cell.ctx, key, cell.ctx.factory.user("worker", _unit(cell).id, party=True).id)
    return getattr(cell.ctx, key)


def _honour(cell):
    """An honour for team A's Party member, who attended a Party day in January 2025 (proposed)."""
    unit = _unit(cell).id
    member = _member(Cell(cell.ctx, "own_unit", "admin"))
    if not hasattr(cell.ctx, "honour_day"):
        start = datetime(2025, 1, 15, 6, tzinfo=UTC)
        with cell.ctx.app.app_context():
            team_a, head_a = cell.ctx.world.teams[0].id, cell.ctx.world.people[("zone_head", "A")].id
            end = start + timedelta(hours=2)
            day = PartyDay(theme="主题党日", kind="study", unit_id=team_a, branch="一支部", place="会议室",
                           starts_at=start, ends_at=end, organizer_id=head_a)  # fmt: skip
            db.session.add(day)
            db.session.flush()
            db.session.add(Attendance(party_day_id=day.id, user_id=member, client_uuid=str(uuid.uuid4()),
                                      request_hash="x"))  # fmt: skip
            db.session.commit()
            cell.ctx.honour_day = day.id
    return "/api/v1/honours", {"json": {"title": "excellent_member", "month": "2025-01", "unit_id": unit,
                                         "user_id": member}}  # fmt: skip


# (method, path) → recipe(cell) → (path, request keyword arguments)
REQUESTS = {
    ("GET", "/api/v1/channels"): lambda c: ("/api/v1/channels", {}),
    ("POST", "/api/v1/channels"): lambda c: (
        "/api/v1/channels",
        {
            "json": {
                "unit_id": c.ctx.world.teams[0].id,
                "kind": "email",
                "name": "科室",
                "target": "a@example.cn",
            }
        },
    ),
    ("PATCH", "/api/v1/channels/{channel_id}"): lambda c: (
        f"/api/v1/channels/{_channel(c)}",
        {"json": {"name": "x"}},
    ),
    ("GET", "/api/v1/deliveries"): lambda c: ("/api/v1/deliveries", {}),
    ("POST", "/api/v1/deliveries/{delivery_id}/retry"): lambda c: (
        f"/api/v1/deliveries/{_channel(c, dead_delivery=True)}/retry",
        {},
    ),
    ("POST", "/api/v1/auth/login"): _login,
    ("POST", "/api/v1/auth/logout"): _fresh("/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"): lambda c: ("/api/v1/auth/me", {}),
    ("GET", "/api/v1/auth/methods"): lambda c: ("/api/v1/auth/methods", {}),
    ("GET", "/api/v1/auth/sso/start"): lambda c: ("/api/v1/auth/sso/start?next=/inbox", {}),
    ("GET", "/api/v1/auth/sso/callback"): lambda c: ("/api/v1/auth/sso/callback?code=x&state=y", {}),
    ("GET", "/api/v1/auth/cas/start"): lambda c: ("/api/v1/auth/cas/start?next=/inbox", {}),
    ("GET", "/api/v1/auth/cas/callback"): lambda c: ("/api/v1/auth/cas/callback?ticket=ST-x&next=/inbox", {}),
    ("POST", "/api/v1/auth/password"): _fresh(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "another-long-secret-phrase"},
    ),
    ("GET", "/api/v1/units"): lambda c: ("/api/v1/units", {}),
    ("POST", "/api/v1/units"): lambda c: ("/api/v1/units", {"json": {"code": _code(c), "name": "新班组"}}),
    ("PATCH", "/api/v1/units/{unit_id}"): lambda c: (
        f"/api/v1/units/{_unit(c).id}",
        {"json": {"name": "班组"}},
    ),
    ("POST", "/api/v1/units/import"): lambda c: (
        "/api/v1/units/import",
        _csv(f"code,name,parent_code\n{_code(c)},导入组,A\n"),
    ),
    ("GET", "/api/v1/units/import/template.csv"): lambda c: ("/api/v1/units/import/template.csv", {}),
    ("GET", "/api/v1/users"): lambda c: ("/api/v1/users", {}),
    ("POST", "/api/v1/users"): lambda c: (
        "/api/v1/users",
        {
            "json": {
                "username": _code(c),
                "name": "新员工",
                "role": "worker",
                "unit_id": c.ctx.world.teams[0].id,
                "password": "a-long-password",
            }
        },  # fmt: skip
    ),
    ("GET", "/api/v1/users/{user_id}"): lambda c: (f"/api/v1/users/{_user(c).id}", {}),
    ("PATCH", "/api/v1/users/{user_id}"): lambda c: (
        f"/api/v1/users/{_user(c).id}",
        {"json": {"phone": "139"}},
    ),
    ("POST", "/api/v1/users/{user_id}/reset-password"): lambda c: (
        f"/api/v1/users/{_user(c, throwaway=True).id}/reset-password",
        {},
    ),
    ("POST", "/api/v1/users/{user_id}/sessions/revoke"): lambda c: (
        f"/api/v1/users/{_user(c, throwaway=True).id}/sessions/revoke",
        {},
    ),
    ("POST", "/api/v1/users/import"): lambda c: (
        "/api/v1/users/import",
        _csv(f"username,name,role,unit_code\n{_code(c)},导入,worker,A\n"),
    ),
    ("GET", "/api/v1/users/import/template.csv"): lambda c: ("/api/v1/users/import/template.csv", {}),
    ("GET", "/api/v1/zones"): lambda c: ("/api/v1/zones", {}),
    ("POST", "/api/v1/zones"): lambda c: (
        "/api/v1/zones",
        {
            "json": {
                "code": _code(c),
                "name": "新区",
                "unit_id": c.ctx.world.teams[0].id,
                "head_id": c.ctx.world.people[("zone_head", "A")].id,
            }
        },  # fmt: skip
    ),
    ("GET", "/api/v1/zones/patrol-due"): lambda c: ("/api/v1/zones/patrol-due", {}),
    ("GET", "/api/v1/zones/{zone_id}"): lambda c: (f"/api/v1/zones/{_place('zones', c).id}", {}),
    ("PATCH", "/api/v1/zones/{zone_id}"): lambda c: (
        f"/api/v1/zones/{_place('zones', c).id}",
        {"json": {"responsibilities": "巡视"}},
    ),
    ("POST", "/api/v1/zones/{zone_id}/rotate-token"): lambda c: (
        f"/api/v1/zones/{_place('zones', c).id}/rotate-token",
        {},
    ),
    ("GET", "/api/v1/zones/{zone_id}/qr.{image_format}"): lambda c: (
        f"/api/v1/zones/{_place('zones', c).id}/qr.svg",
        {},
    ),
    ("POST", "/api/v1/zones/import"): lambda c: (
        "/api/v1/zones/import",
        _csv(f"code,name,unit_code,head_username\n{_code(c)},导入区,A,zone_head-a\n"),
    ),
    ("GET", "/api/v1/zones/import/template.csv"): lambda c: ("/api/v1/zones/import/template.csv", {}),
    ("GET", "/api/v1/posts"): lambda c: ("/api/v1/posts", {}),
    ("POST", "/api/v1/posts"): lambda c: (
        "/api/v1/posts",
        {
            "json": {
                "code": _code(c),
                "name": "新岗",
                "unit_id": c.ctx.world.teams[0].id,
                "holder_id": c.ctx.world.people[("zone_head", "A")].id,
            }
        },  # fmt: skip
    ),
    ("GET", "/api/v1/posts/{post_id}"): lambda c: (f"/api/v1/posts/{_place('posts', c).id}", {}),
    ("PATCH", "/api/v1/posts/{post_id}"): lambda c: (
        f"/api/v1/posts/{_place('posts', c).id}",
        {"json": {"commitment": "安全第一"}},
    ),
    ("GET", "/api/v1/posts/{post_id}/stats"): lambda c: (
        f"/api/v1/posts/{_place('posts', c).id}/stats?month=2026-01",
        {},
    ),
    ("POST", "/api/v1/posts/{post_id}/rotate-token"): lambda c: (
        f"/api/v1/posts/{_place('posts', c).id}/rotate-token",
        {},
    ),
    ("GET", "/api/v1/posts/{post_id}/qr.{image_format}"): lambda c: (
        f"/api/v1/posts/{_place('posts', c).id}/qr.png",
        {},
    ),
    ("POST", "/api/v1/posts/import"): lambda c: (
        "/api/v1/posts/import",
        _csv(f"code,name,unit_code,holder_username\n{_code(c)},导入岗,A,zone_head-a\n"),
    ),
    ("GET", "/api/v1/posts/import/template.csv"): lambda c: ("/api/v1/posts/import/template.csv", {}),
    ("GET", "/api/v1/scan/{token}"): lambda c: (f"/api/v1/scan/{c.ctx.token(c.target)}", {}),
    ("GET", "/api/v1/scan/code/{code}"): lambda c: (f"/api/v1/scan/code/{_place('zones', c).code}", {}),
    ("GET", "/api/v1/offline-pack"): lambda c: ("/api/v1/offline-pack", {}),
    ("POST", "/api/v1/photos"): lambda c: (
        "/api/v1/photos",
        {
            "data": {"file": (io.BytesIO(c.ctx.jpeg), "p.jpg"), "client_uuid": str(uuid.uuid4())},
            "content_type": "multipart/form-data",
        },  # fmt: skip
    ),
    ("GET", "/api/v1/photos/{photo_id}/{rendition}.jpg"): lambda c: (
        f"/api/v1/photos/{_photo(c)}/thumb.jpg",
        {},
    ),
    ("POST", "/api/v1/checkins"): lambda c: (
        "/api/v1/checkins",
        {"json": {"client_uuid": str(uuid.uuid4()), "post_id": _place("posts", c).id}},
    ),
    ("GET", "/api/v1/checkins"): lambda c: ("/api/v1/checkins", {}),
    ("POST", "/api/v1/patrols"): lambda c: (
        "/api/v1/patrols",
        {
            "json": {
                "client_uuid": str(uuid.uuid4()),
                "zone_id": _place("zones", c).id,
                "checklist": [{"item": "护栏", "ok": True}],
            }
        },  # fmt: skip
    ),
    ("GET", "/api/v1/patrols"): lambda c: ("/api/v1/patrols", {}),
    ("GET", "/api/v1/patrols/{patrol_id}"): lambda c: (
        f"/api/v1/patrols/{c.ctx.patrols[TEAM[c.target]]}",
        {},
    ),
    ("POST", "/api/v1/hazards"): _report,
    ("GET", "/api/v1/hazards"): lambda c: ("/api/v1/hazards", {}),
    ("GET", "/api/v1/hazards/{hazard_id}"): lambda c: (f"/api/v1/hazards/{_hazard(c)[0]}", {}),
    ("GET", "/api/v1/hazards/{hazard_id}/similar"): lambda c: (
        f"/api/v1/hazards/{_hazard(c)[0]}/similar",
        {},
    ),
    ("GET", "/api/v1/hazards/similar"): lambda c: (
        f"/api/v1/hazards/similar?zone_id={_place('zones', c).id}&category=height&text=护栏",
        {},
    ),
    ("GET", "/api/v1/hazards/{hazard_id}/assignees"): lambda c: (
        f"/api/v1/hazards/{_hazard(c)[0]}/assignees",
        {},
    ),
    ("POST", "/api/v1/hazards/{hazard_id}/actions/{action}"): _action,
    ("GET", "/api/v1/hazards/export.csv"): lambda c: (f"/api/v1/hazards/export.csv{_query(c)}", {}),
    ("GET", "/api/v1/hazards/export.xlsx"): lambda c: (f"/api/v1/hazards/export.xlsx{_query(c)}", {}),
    ("GET", "/api/v1/notifications"): lambda c: ("/api/v1/notifications", {}),
    ("POST", "/api/v1/notifications/{notification_id}/read"): lambda c: (
        f"/api/v1/notifications/{_notification(c)}/read",
        {},
    ),
    ("POST", "/api/v1/notifications/read-all"): lambda c: ("/api/v1/notifications/read-all", {}),
    ("GET", "/api/v1/dashboard/summary"): lambda c: (f"/api/v1/dashboard/summary{_query(c)}", {}),
    ("GET", "/api/v1/reports/monthly"): lambda c: (f"/api/v1/reports/monthly{_query(c)}&month=2026-10", {}),
    ("GET", "/api/v1/party-days"): lambda c: ("/api/v1/party-days", {}),
    ("POST", "/api/v1/party-days"): lambda c: ("/api/v1/party-days", {"json": _party_day_body(c)}),
    ("GET", "/api/v1/party-days/{party_day_id}"): lambda c: (f"/api/v1/party-days/{_party_day(c)[0]}", {}),
    ("GET", "/api/v1/party-days/{party_day_id}/qr.{image_format}"): lambda c: (
        f"/api/v1/party-days/{_party_day(c)[0]}/qr.svg",
        {},
    ),
    ("POST", "/api/v1/party-days/attendances"): lambda c: (
        "/api/v1/party-days/attendances",
        {"json": {"client_uuid": str(uuid.uuid4()), "token": _party_day(c)[1]}},
    ),
    ("GET", "/api/v1/letters"): lambda c: ("/api/v1/letters", {}),
    ("POST", "/api/v1/letters"): lambda c: (
        "/api/v1/letters",
        {
            "json": {
                "title": "责任书",
                "year": 2026,
                "layer": "member",
                "body": "安全第一",
                "unit_id": _unit(c).id,
                "recipient_ids": [c.ctx.world.people[("worker", "AB"[_unit(c) is c.ctx.world.teams[1]])].id],
            }
        },  # fmt: skip
    ),
    ("GET", "/api/v1/letters/{letter_id}"): lambda c: (f"/api/v1/letters/{_letter_of(c)}", {}),
    ("POST", "/api/v1/letters/{letter_id}/sign"): _sign,
    ("GET", "/api/v1/scorecards"): lambda c: (f"/api/v1/scorecards{_query(c)}&month=2026-10", {}),
    ("GET", "/api/v1/scorecards/export.csv"): lambda c: (
        f"/api/v1/scorecards/export.csv{_query(c)}&month=2026-10",
        {},
    ),
    ("GET", "/api/v1/scorecards/export.xlsx"): lambda c: (
        f"/api/v1/scorecards/export.xlsx{_query(c)}&month=2026-10",
        {},
    ),
    ("GET", "/api/v1/scorecards/members/{user_id}"): lambda c: (
        f"/api/v1/scorecards/members/{_member(c)}?month=2026-10",
        {},
    ),
    ("GET", "/api/v1/scorecards/zones/{zone_id}"): lambda c: (
        f"/api/v1/scorecards/zones/{_place('zones', c).id}?month=2026-10",
        {},
    ),
    ("GET", "/api/v1/honours"): lambda c: ("/api/v1/honours", {}),
    ("POST", "/api/v1/honours"): _honour,
    ("GET", "/api/v1/public/zones/{token}"): lambda c: (f"/api/v1/public/zones/{c.ctx.token(c.target)}", {}),
    ("POST", "/api/v1/public/zones/{token}/reports"): _guest_report,
    ("GET", "/api/v1/public/receipts/{code}"): _receipt,
}


class Context:
    """The company, the signed-in clients and the shared objects of one module."""

    def __init__(self, app):
        self.app = app
        self.factory = Factory(app)
        self.world = build_world(self.factory)
        self.counter = 0
        people = self.world.people
        self.users = {role: people[(role, "CO" if role == "admin" else "A")] for role in ACTORS[1:]}
        self.clients = {"anonymous": app.test_client()}
        for role, user in self.users.items():
            self.clients[role] = self.sign_in(user)
        self.reporters = {"A": self.factory.user("worker", self.world.teams[0].id, username="reporter-a"),
                          "B": people[("worker", "B")]}  # fmt: skip
        self.clients["reporter-a"] = self.sign_in(self.reporters["A"])
        self.clients["reporter-b"] = self.sign_in(self.reporters["B"])
        self.photos, self.patrols = {}, {}
        for team in ("A", "B"):
            answer = report(self.clients[f"reporter-{team.lower()}"], self.world.zones[team].id).get_json()
            self.photos[team] = answer["photos"][0]["id"]
            head = self.sign_in(people[("zone_head", team)])
            patrol = {"client_uuid": str(uuid.uuid4()), "zone_id": self.world.zones[team].id,
                      "checklist": [{"item": "护栏", "ok": True}]}  # fmt: skip
            self.patrols[team] = head.post("/api/v1/patrols", json=patrol).get_json()["id"]
        self.inactive_zone = self.factory.zone(
            self.world.teams[0].id, people[("zone_head", "A")].id, active=False
        )
        self.jpeg = jpeg(64, 48)

    def sign_in(self, user):
        client = self.app.test_client()
        client.login(user.username, PASSWORD)
        return client

    def next(self):
        self.counter += 1
        return self.counter

    def token(self, target):
        """The current QR token of a zone, or a token that no longer works."""
        zone = self.world.zones["B" if target == "other_unit" else "A"]
        with self.app.app_context():
            current = db.session.get(Zone, zone.id).qr_token
        return "retired-" + current if target == "rotated" else current


class Cell:
    def __init__(self, ctx, target, actor):
        self.ctx, self.target, self.actor = ctx, target, actor
        self.user = ctx.users.get(actor)
        self.client = ctx.clients[actor]

    def fresh_session(self, signed_in=True):
        """A throwaway account of the actor's role, for cells that end or replace a session."""
        if self.actor == "anonymous":
            self.user = self.ctx.factory.user("worker", self.ctx.world.teams[0].id) if not signed_in else None
            self.client = self.ctx.app.test_client()
            return
        self.user = self.ctx.factory.user(self.actor, self.ctx.world.teams[0].id)
        self.client = self.ctx.sign_in(self.user) if signed_in else self.ctx.app.test_client()


def documented_routes(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


@pytest.fixture(scope="module")
def ctx(database, tmp_path_factory):
    directory = tmp_path_factory.mktemp("authz")
    app = build_app(fresh_database_url(database, directory), directory)
    yield Context(app)
    dispose(app)


def _listed(routes):
    return ", ".join(f"{method} {path}" for method, path in sorted(routes))


def test_every_documented_route_has_a_row_and_a_request(ctx):
    documented = documented_routes(ctx.app)
    problems = []
    if missing := documented - MATRIX.keys():
        problems.append(f"routes without a row in tests/authz_matrix.py MATRIX: {_listed(missing)}")
    if gone := MATRIX.keys() - documented:
        problems.append(
            f"rows in tests/authz_matrix.py for routes the OpenAPI document no longer has: {_listed(gone)}"
        )
    if no_recipe := documented - REQUESTS.keys():
        problems.append(
            f"routes without a request recipe in {Path(__file__).name} REQUESTS: {_listed(no_recipe)}"
        )
    if bad := {key for key, row in MATRIX.items() for cells in row.values() if len(cells) != len(ACTORS)}:
        problems.append(f"rows need one status per actor {ACTORS}: {_listed(bad)}")
    assert not problems, "\n".join(problems)


CELLS = [
    (method, path, target, actor, status)
    for (method, path), row in MATRIX.items()
    for target, statuses in row.items()
    for actor, status in zip(ACTORS, statuses, strict=False)
]


@pytest.mark.parametrize(
    ("method", "path", "target", "actor", "status"),
    CELLS,
    ids=[f"{m} {p} {t} {a}" for m, p, t, a, _ in CELLS],
)
def test_cell(ctx, caplog, method, path, target, actor, status):
    cell = Cell(ctx, target, actor)
    url, kwargs = REQUESTS[(method, path)](cell)
    caplog.clear()
    response = cell.client.open(url, method=method, **kwargs)
    # A refusal is logged once; an out-of-scope 404 looks like a missing id, so it is not.
    denials = [record for record in caplog.records if getattr(record, "event", None) == "authz_fail"]
    assert len(denials) == (1 if status == 403 else 0)
    if status >= 400:
        assert_problem(response, status)
        return
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    text = response.get_data(as_text=True) if response.mimetype.endswith("json") else ""
    assert "password_hash" not in text and "session_nonce" not in text


def test_the_matrix_covers_every_role_and_both_units():
    targets = {target for row in MATRIX.values() for target in row}
    assert {"-", "own_unit", "other_unit", "own"} <= targets
    assert len(CELLS) > 400


def _garbled(kwargs):
    """The same request with a body or query no schema accepts."""
    if "json" in kwargs:
        return {"json": {"no_such_field": 1, **{key: {"x": []} for key in kwargs["json"]}}}
    if "data" in kwargs:
        return {"data": {"no_such_field": "1"}, "content_type": "multipart/form-data"}
    return {"query_string": {"limit": "many", "unit_id": "x", "month": "13", "no_such_field": "1"}}


# Refused for what the body names (a post the worker is not on, a Party day's token): judged after it.
REFUSED_BY_RECORD = {("POST", "/api/v1/checkins"), ("POST", "/api/v1/party-days/attendances")}
REFUSED_BY_ROLE = [
    (method, path)
    for (method, path), row in MATRIX.items()
    if all(statuses[ACTORS.index("worker")] == 403 for statuses in row.values())
    and (method, path) not in REFUSED_BY_RECORD
]


@pytest.mark.parametrize(("method", "path"), REFUSED_BY_ROLE)
def test_a_role_that_may_not_call_a_route_is_refused_before_its_input_is_judged(ctx, method, path):
    cell = Cell(ctx, next(iter(MATRIX[(method, path)])), "worker")
    url, kwargs = REQUESTS[(method, path)](cell)
    response = cell.client.open(url.split("?")[0], method=method, **_garbled(kwargs))
    assert_problem(response, 403)  # never 422 with the schema's field errors
