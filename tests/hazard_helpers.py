"""Helpers for hazard tests: report through the API, or place a hazard in any status directly."""

import io
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from server.extensions import db
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.loop.notifications import Notification
from server.services.loop.numbering import next_hazard_number
from server.services.platform.clock import site_today
from tests.images import jpeg


def upload_photo(client, image=None):
    response = client.post(
        "/api/v1/photos",
        data={"file": (io.BytesIO(image or jpeg(320, 240)), "p.jpg"), "client_uuid": str(uuid.uuid4())},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def hazard_body(zone, photo_ids, **fields):
    """A valid report body with a fresh client UUID."""
    return {
        "client_uuid": str(uuid.uuid4()),
        "zone_id": zone,
        "title": "配电箱门未关闭",
        "description": "配电箱门敞开，无警示标识",
        "category": "electrical",
        "photo_ids": photo_ids,
        **fields,
    }


def report(client, zone, photos=1, **fields):
    photo_ids = fields.pop("photo_ids", None)
    if photo_ids is None:
        photo_ids = [upload_photo(client) for _ in range(photos)]
    body = hazard_body(zone, photo_ids, **fields)
    return client.post("/api/v1/hazards", json=body)


def place_hazard(app, zone, reporter, status, level="general", assignee=None, submitted_by=None, **extra):
    """A hazard already at `status`, with the columns that status requires; returns its id."""
    now = datetime.now(UTC)
    with app.app_context():
        hazard = Hazard(
            number=next_hazard_number(now.year),
            zone_id=zone.id,
            reporter_id=reporter.id,
            client_uuid=str(uuid.uuid4()),
            request_hash="x",
            title="护栏缺失",
            description="高处平台护栏缺失",
            category="height",
            level=level,
            status=status,
            created_at=now - timedelta(days=3),
        )
        if status in ("rectifying", "verifying", "closed"):
            hazard.assignee_id = assignee.id
            hazard.deadline = site_today() + timedelta(days=5)
            hazard.measures = "加装护栏"
            hazard.confirmed_at = now - timedelta(days=2)
            if level == "major":
                hazard.funds, hazard.contingency_plan = "5000 元", "设置隔离区"
                hazard.supervisor_id = extra.pop("supervisor_id")
        if status in ("verifying", "closed"):
            hazard.submitted_at = now - timedelta(days=1)
            hazard.submitted_by_id = (submitted_by or assignee).id
        if status == "closed":
            hazard.closed_at, hazard.closed_late = now, False
        if status == "rejected":
            hazard.rejected_at = now
        for key, value in extra.items():
            setattr(hazard, key, value)
        db.session.add(hazard)
        db.session.commit()
        return hazard.id


def counts(app, hazard_id):
    """(status, version, events, notifications) of a hazard, read fresh from the database."""
    with app.app_context():
        hazard = db.session.get(Hazard, hazard_id)
        events = db.session.scalar(select(func.count()).where(HazardEvent.hazard_id == hazard_id))
        notes = db.session.scalar(select(func.count()).where(Notification.hazard_id == hazard_id))
        return hazard.status, hazard.version, events, notes


def photo_stages(app, hazard_id):
    with app.app_context():
        return sorted(db.session.scalars(select(Photo.stage).where(Photo.hazard_id == hazard_id)))


def hazard_at(zone, reporter, created, status, **fields):
    """A hazard reported at `created` (within an app context), with the columns its status needs,
    flushed; answers its number. For figures over a month: the scorecard, the monthly report."""
    values = {"title": "t", "description": "d", "category": "electrical", "level": "general", **fields}
    hazard = Hazard(
        number=next_hazard_number(created.year), zone_id=zone.id, reporter_id=reporter.id,
        client_uuid=str(uuid.uuid4()), request_hash="x", status=status, created_at=created, **values,
    )  # fmt: skip
    if status in ("rectifying", "verifying", "closed"):
        hazard.measures = hazard.measures or "m"
        hazard.confirmed_at = hazard.confirmed_at or created
    if status in ("verifying", "closed"):
        hazard.submitted_by_id, hazard.submitted_at = hazard.assignee_id, created
    if status == "rejected":
        hazard.rejected_at = created
    db.session.add(hazard)
    db.session.flush()
    return hazard.number
