"""The demo company with every title, description and name as long as the API allows, for the
layout sweep (test_layout_sweep.py). The limits are read from the API's schemas, so a longer
field is swept at its new length."""

import io
import uuid
from datetime import timedelta

from marshmallow import validate
from sqlalchemy import select

from server.extensions import db
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.party.letters import Letter
from server.models.party.party_days import PartyDay
from server.models.places.posts import Post
from server.models.places.units import Unit
from server.models.places.zones import Zone
from server.models.platform.deliveries import Delivery
from server.schemas.accounts.users import UserFieldsSchema
from server.schemas.loop.hazards import CommentSchema, ConfirmSchema, DeadlineSchema, HazardInSchema
from server.schemas.party.letters import LetterInSchema
from server.schemas.party.party_days import PartyDayInSchema
from server.schemas.places.common import PlaceInSchema
from server.schemas.places.posts import PostInSchema
from server.schemas.places.zones import ZoneInSchema
from server.schemas.platform.deliveries import ChannelInSchema
from server.services.party.letters import body_hash
from server.services.platform.clock import site_today
from server.vocabulary import NOTIFICATION_KINDS
from tests.e2e.conftest import api_client, ok
from tests.images import jpeg

# Field text as it is written on site, repeated to the limit (Chinese breaks between any two
# characters, as it would).
PHRASE = "主变压器冷却风扇控制箱门锁损坏雨水渗入端子排存在短路和设备跳闸隐患需立即停电处理并加装防雨罩"
CODE = "-110KV-CHENGDONG-ZHUKONGSHI-0001-0002"  # sign codes are hyphenated


def limit(schema, name):
    """The longest value the API accepts for a field: its Length validator's max."""
    field = schema._declared_fields[name]
    return next(v.max for v in field.validators if isinstance(v, validate.Length))


def long(schema, name, tag=""):
    return (tag + PHRASE * (limit(schema, name) // len(PHRASE) + 1))[: limit(schema, name)]


def code(schema, tag):
    return (tag + CODE)[: limit(schema, "code")]


def lengthen_demo(app):
    """Every demo name, title and description at its limit, straight in the database; every
    zone takes guests' reports (its public board offers the form)."""
    with app.app_context():
        for n, user in enumerate(db.session.scalars(select(User)), 1):
            user.name = long(UserFieldsSchema, "name", f"{user.name}{n}")
            user.party_branch = user.party_branch and long(UserFieldsSchema, "party_branch", "党支部")
        for n, unit in enumerate(db.session.scalars(select(Unit)), 1):
            unit.name = long(PlaceInSchema, "name", f"{n}{unit.name}")
        for n, zone in enumerate(db.session.scalars(select(Zone)), 1):
            zone.name, zone.code = long(ZoneInSchema, "name", f"{n}号"), code(ZoneInSchema, f"Z{n}")
            zone.responsibilities, zone.guest_reports = long(ZoneInSchema, "responsibilities"), True
            zone.patrol_checklist = [long(ZoneInSchema, "name", f"{i}检查") for i in range(3)]
        for n, post in enumerate(db.session.scalars(select(Post)), 1):
            post.name, post.code = long(PostInSchema, "name", f"{n}号岗"), code(PostInSchema, f"P{n}")
            post.commitment = long(PostInSchema, "commitment")
        for day in db.session.scalars(select(PartyDay)):
            for name in ("theme", "place", "branch", "description"):
                setattr(day, name, long(PartyDayInSchema, name))
        for letter in db.session.scalars(select(Letter)):
            letter.title, letter.body = long(LetterInSchema, "title"), long(LetterInSchema, "body")
            letter.body_hash = body_hash(letter.body)
        for hazard in db.session.scalars(select(Hazard)):
            hazard.title = long(HazardInSchema, "title", f"{hazard.id}")
            hazard.description = long(HazardInSchema, "description")
        db.session.commit()


def _photo():
    return (io.BytesIO(jpeg(320, 240)), "p.jpg")


def _channel(app):
    """A webhook channel with its name and address at their limits, all kinds chosen, and a dead
    delivery of it with the longest text and reason: the channel's id."""
    admin = api_client(app, "admin")
    unit = ok(admin.get("/api/v1/units"))["items"][0]
    url = "https://hooks.example.cn/"
    channel = ok(admin.post("/api/v1/channels", json={
        "unit_id": unit["id"], "kind": "webhook", "name": long(ChannelInSchema, "name"),
        "target": url + "k" * (limit(ChannelInSchema, "target") - len(url)), "secret": "s" * 32,
        "kinds": list(NOTIFICATION_KINDS), "digest_at": "07:45"}))  # fmt: skip
    with app.app_context():
        reason = ("HTTPSConnectionPool" + CODE * 20)[:500]
        db.session.add(Delivery(
            event_id=str(uuid.uuid4()), channel_id=channel["id"], kind="hazard_overdue", status="dead",
            text=(PHRASE * 20)[:1000], attempts=8, last_error=reason))  # fmt: skip
        db.session.commit()
    return channel["id"]


def plant(app):
    """Through the API, every text at its limit: a hazard reported, confirmed, commented on and
    with an extension asked for, and a guest's report with its receipt. Answers the ids and
    tokens the screens are opened with."""
    with app.app_context():
        zone, post = db.session.scalar(select(Zone).order_by(Zone.id)), db.session.scalar(select(Post))
        day = db.session.scalar(select(PartyDay).order_by(PartyDay.starts_at.desc()))
        chen = db.session.scalar(select(User).where(User.username == "chen"))
        ids = {"zone": zone.id, "zone_token": zone.qr_token, "post": post.id, "post_token": post.qr_token,
               "day": day.id, "day_token": day.qr_token, "letter": db.session.scalar(select(Letter.id)),
               "chen": chen.id}  # fmt: skip
        today = site_today()
    ids["channel"] = _channel(app)
    worker, head = api_client(app, "chen"), api_client(app, "zhang")
    photo = ok(worker.post("/api/v1/photos", content_type="multipart/form-data",
                           data={"file": _photo(), "client_uuid": str(uuid.uuid4())}))  # fmt: skip
    hazard = ok(worker.post("/api/v1/hazards", json={
        "client_uuid": str(uuid.uuid4()), "zone_id": ids["zone"], "title": long(HazardInSchema, "title"),
        "description": long(HazardInSchema, "description"), "category": "electrical",
        "photo_ids": [photo["id"]]}))  # fmt: skip
    actions = f"/api/v1/hazards/{hazard['id']}/actions"
    hazard = ok(head.post(f"{actions}/confirm", json={
        "version": hazard["version"], "assignee_id": ids["chen"], "level": "major",
        "deadline": (today + timedelta(days=7)).isoformat(), "measures": long(ConfirmSchema, "measures"),
        "funds": long(ConfirmSchema, "funds"),
        "contingency_plan": long(ConfirmSchema, "contingency_plan")}))  # fmt: skip
    ok(head.post(f"{actions}/comment", json={"text": long(CommentSchema, "text")}))
    ok(worker.post(f"{actions}/request_extension", json={
        "version": hazard["version"], "deadline": (today + timedelta(days=20)).isoformat(),
        "reason": long(DeadlineSchema, "reason")}))  # fmt: skip
    receipt = ok(app.test_client().post(
        f"/api/v1/public/zones/{ids['zone_token']}/reports", content_type="multipart/form-data", data={
            "client_uuid": str(uuid.uuid4()), "title": long(HazardInSchema, "title"),
            "description": long(HazardInSchema, "description"), "photos": [_photo()]}))  # fmt: skip
    return {**ids, "hazard": hazard["id"], "receipt": receipt["receipt"]}
