"""Hazard reports: filing one (idempotent), who sees what, lists, and the hazard as a user sees it."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from server.extensions import db
from server.models.accounts.users import User
from server.models.base import now_utc
from server.models.field.patrols import Patrol
from server.models.field.photos import Photo
from server.models.loop.hazards import Hazard, HazardEvent
from server.models.places.zones import Zone
from server.services.field.photos import take_photos
from server.services.loop import recurrence, search, workflow
from server.services.loop.event_chain import seal
from server.services.loop.notifications import nearest_supervisors, notify
from server.services.loop.numbering import next_hazard_number
from server.services.loop.overdue import is_overdue, overdue_condition
from server.services.places.common import get_place
from server.services.places.scan import zone_of_token
from server.services.platform.authz import (
    assignable,
    hazard_scope,
    hazard_scope_parts,
    hazard_ties,
    may,
    may_call_guest,
    require_attended,
    supervised_units,
    units_within,
    visible,
)
from server.services.platform.clock import site_datetime, site_today
from server.services.platform.described import Described
from server.services.platform.errors import Conflict, Forbidden, Unprocessable, field_error
from server.services.platform.idempotency import create_once, find_existing, request_hash
from server.services.platform.pagination import keyset_union


def record_event(
    hazard, actor, action, from_status, to_status, comment=None, changes=None, at=None, photos=(), first=False
):
    """Append one step to the hazard's history, sealed into its hash chain (the table refuses
    updates and deletes; the chain makes a rewrite with the triggers off detectable). first:
    the report of a hazard this transaction created, whose chain it starts."""
    changes = dict(changes or {})
    if photos:
        changes["photos"] = [{"id": photo.id, "sha256": photo.sha256} for photo in photos]
    event = HazardEvent(
        hazard_id=hazard.id,
        actor_id=actor.id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        changes=changes,
        created_at=at or now_utc(),
    )
    seal(event, first)
    db.session.add(event)


def verifiers_of(hazard, submitter=None):
    """Who is asked to verify the fix (by default the one awaiting verification); never its submitter."""
    submitter = submitter or hazard.submitted_by_id
    if not workflow.supervisor_verifies(hazard.level, submitter == hazard.zone.head_id):
        return [hazard.zone.head_id] if hazard.zone.head_id != submitter else []
    if hazard.supervisor_id and hazard.supervisor_id != submitter:
        return [hazard.supervisor_id]
    return nearest_supervisors(hazard.zone.unit_id, exclude=[submitter])


def require_verifier(hazard, submitter):
    """A fix nobody may verify would leave the loop stuck in verifying: refuse it up front."""
    if not verifiers_of(hazard, submitter):
        raise Unprocessable("errors.no_verifier")


def _check_patrol(actor, patrol_id, zone):
    if patrol_id is None:
        return
    patrol = db.session.get(Patrol, patrol_id)
    if patrol is None or patrol.user_id != actor.id or patrol.zone_id != zone.id:
        raise field_error("patrol_id", "errors.patrol_not_usable")


def _reported_zone(actor, data, payload_hash):
    """The zone a report names by id, or by its sign's token (resolved now, when it arrives)."""
    if "zone_token" not in data:
        return get_place(Zone, data["zone_id"])
    # A replay answers its first report even when the sign was rotated since (a lost answer).
    earlier = find_existing(Hazard, Hazard.reporter_id, actor.id, data["client_uuid"], payload_hash)
    return earlier.zone if earlier is not None else zone_of_token(data["zone_token"])


def report_hazard(actor, data, **guest):
    """(hazard, created): file a report in an active zone, named by id or by its sign's token; a
    replay returns the first report. A guest's report (services/loop/guest_reports.py) passes its
    receipt hash and phone number."""
    payload_hash = request_hash(data)
    zone = _reported_zone(actor, data, payload_hash)

    def build():
        if not zone.active:
            raise Conflict("errors.zone_inactive")
        _check_patrol(actor, data.get("patrol_id"), zone)
        if data.get("party_day_id") is not None:
            require_attended(actor, data["party_day_id"])
        if len(data["photo_ids"]) < current_app.config["HAZARD_MIN_PHOTOS"]:
            raise field_error("photo_ids", "errors.photo_required")
        now = now_utc()
        hazard = Hazard(
            number=next_hazard_number(site_datetime(now).year),
            zone=zone,
            reporter_id=actor.id,
            client_uuid=data["client_uuid"],
            request_hash=payload_hash,
            status="reported",
            created_at=now,
            recurs=recurrence.recurs(zone.id, data["category"], now),
            **{key: data.get(key) for key in ("title", "description", "category", "level", "lat", "lng")},
            **{key: data.get(key) for key in ("patrol_id", "party_day_id", "client_at")},
            **guest,
        )
        db.session.add(hazard)
        db.session.flush()
        photos = take_photos(actor, data["photo_ids"], hazard_id=hazard.id, stage="report")
        record_event(hazard, actor, "report", None, "reported", photos=photos, first=True)
        fix = data.get("fixed_on_spot")
        if fix:
            _fix_on_the_spot(actor, hazard, fix, now)
        else:
            notify([zone.head_id], "hazard_reported", hazard, actor)
        return hazard

    hazard, created = create_once(
        Hazard, Hazard.reporter_id, actor.id, data["client_uuid"], payload_hash, build
    )
    return describe_hazard(actor, hazard), created


def _fix_on_the_spot(actor, hazard, fix, now):
    """立查立改: the report carries its fix; it goes straight to verification by someone else."""
    if not may(actor, "act_in_loop"):
        raise Forbidden("errors.admin_not_actor")
    require_verifier(hazard, actor.id)  # before any change: its queries would flush half a change
    fix_photos = take_photos(
        actor, fix["photo_ids"], field="fixed_on_spot.photo_ids", hazard_id=hazard.id, stage="rectification"
    )
    hazard.fixed_on_spot = True
    hazard.status = "verifying"
    hazard.assignee_id = hazard.submitted_by_id = actor.id
    hazard.deadline = site_today()
    hazard.measures = fix["note"]
    hazard.confirmed_at = hazard.submitted_at = now
    if hazard.level == "major":
        hazard.supervisor_id = (nearest_supervisors(hazard.zone.unit_id) or [None])[0]
    record_event(hazard, actor, "submit", "reported", "verifying", comment=fix["note"], photos=fix_photos)
    verifiers = verifiers_of(hazard)
    notify(verifiers, "hazard_submitted", hazard, actor)
    notify({hazard.zone.head_id} - set(verifiers), "hazard_reported", hazard, actor)


def _filter_units(actor, unit_id):
    """A unit filter must lie within what the caller may see (ASVS v5.0.0-8.4.1)."""
    return Hazard.zone_id.in_(select(Zone.id).where(Zone.unit_id.in_(units_within(actor, unit_id))))


def hazard_query(actor, args, scope=None):
    """The scoped, filtered query behind the list and the ledger export."""
    query = select(Hazard).where(hazard_scope(actor) if scope is None else scope)
    for column, key in ((Hazard.status, "status"), (Hazard.level, "level"), (Hazard.category, "category")):
        if args.get(key):
            query = query.where(column.in_(args[key]))
    for column, key in ((Hazard.zone_id, "zone_id"), (Hazard.party_day_id, "party_day_id")):
        if args.get(key) is not None:
            query = query.where(column == args[key])
    if args.get("unit_id") is not None:
        query = query.where(_filter_units(actor, args["unit_id"]))
    if args.get("overdue") is not None:
        overdue = overdue_condition()
        query = query.where(overdue if args["overdue"] else ~overdue | Hazard.deadline.is_(None))
    if args.get("supervised") is not None:
        query = query.where(
            Hazard.supervisor_id.is_not(None) if args["supervised"] else Hazard.supervisor_id.is_(None)
        )
    if args.get("extension_requested"):
        query = query.where(Hazard.extension_deadline.is_not(None))
    if args.get("assignee") == "me":
        query = query.where(Hazard.assignee_id == actor.id)
    if args.get("reporter") == "me":
        query = query.where(Hazard.reporter_id == actor.id)
    if args.get("recurring") is not None:
        query = query.where(recurrence.counted() if args["recurring"] else ~recurrence.counted())
    if args.get("q"):
        query = query.where(search.matches(args["q"]))
    if args.get("since") is not None:
        query = query.where(Hazard.created_at >= args["since"])
    if args.get("until") is not None:
        query = query.where(Hazard.created_at < args["until"])
    return query


def list_hazards(actor, args, limit=50, cursor=None):
    """A page of visible hazards, newest first, each with what the caller may do to it."""
    if text_ := args.get("q"):
        # A text search reads its index newest first and the whole scope is a filter on each
        # match: a part of its own (the caller's own reports) would read every match of a common
        # word to find none.
        query = hazard_query(actor, {**args, "q": None}).options(selectinload(Hazard.zone))
        rows, next_cursor = search.search_page(query, text_, limit, cursor)
    else:
        # One keyset query per part of the scope, merged: an OR of them made SQLite collect and
        # sort every matching row (280 ms at 1,000,000 hazards) instead of reading one page by index.
        queries = [
            hazard_query(actor, args, part).options(selectinload(Hazard.zone))
            for part in hazard_scope_parts(actor)
        ]
        rows, next_cursor = keyset_union(queries, Hazard.id, limit, cursor)
    return describe_hazards(actor, rows), next_cursor


def get_visible_hazard(actor, hazard_id, lock=False):
    """The hazard if the actor may see it, else 404 exactly like a missing one."""
    return visible(Hazard, hazard_scope, actor, hazard_id, lock=lock)


def assignee_candidates(actor, hazard_id):
    """Who a hazard can be given to (for the confirm and reassign forms)."""
    return candidates_for(get_visible_hazard(actor, hazard_id))


def candidates_for(hazard):
    """Active people (not admins) of the hazard's zone's unit and below."""
    return db.session.scalars(
        select(User).where(assignable(hazard.zone.unit_id)).order_by(User.name, User.id).limit(500)
    ).all()


def relations(actor, hazard, supervised):
    """The actor's relations to the hazard (workflow.py), from how they stand to it (the authz policy)."""
    return workflow.relations_of(**hazard_ties(actor, hazard, supervised))


def describe_hazards(actor, hazards):
    """Each hazard with overdue, supervised, its photos and the caller's allowed actions."""
    today, supervised = site_today(), supervised_units(actor)
    photos = {}
    if hazards:
        rows = db.session.execute(
            select(Photo.hazard_id, Photo.id, Photo.stage, Photo.taken_at, Photo.lat)
            .where(Photo.hazard_id.in_([h.id for h in hazards]))
            .order_by(Photo.id)
        )
        for hazard_id, photo_id, stage, taken_at, lat in rows:
            photo = {"id": photo_id, "stage": stage, "taken_at": taken_at, "gps": lat is not None}
            photos.setdefault(hazard_id, []).append(photo)
    return [
        Described(
            hazard,
            overdue=is_overdue(hazard, today),
            photos=photos.get(hazard.id, []),
            allowed_actions=workflow.allowed_actions(
                hazard.status,
                relations(actor, hazard, supervised),
                hazard.extension_deadline is not None,
                acts_in_loop=may(actor, "act_in_loop"),
            ),
            guest_phone=hazard.guest_phone if may_call_guest(actor, hazard, supervised) else None,
        )
        for hazard in hazards
    ]


def describe_hazard(actor, hazard):
    """One hazard with its timeline, for the detail screen."""
    described = describe_hazards(actor, [hazard])[0]
    described.events = db.session.scalars(
        select(HazardEvent)
        .options(joinedload(HazardEvent.actor))  # one statement, not two
        .where(HazardEvent.hazard_id == hazard.id)
        .order_by(HazardEvent.id)
    ).all()
    return described
