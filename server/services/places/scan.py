"""QR tokens and typed codes → the zone, post (active ones only) or Party day they name."""

from sqlalchemy import select

from server.extensions import db
from server.models.party.party_days import PartyDay
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.platform.errors import NotFound, Unprocessable

KINDS = (("zone", Zone), ("post", Post))


def _describe(kind, place):
    return {"kind": kind, "id": place.id, "code": place.code, "name": place.name}


def resolve_token(token):
    """A rotated token is unknown: the sign it was printed on no longer opens anything."""
    for kind, model in KINDS:
        place = db.session.scalar(select(model).where(model.qr_token == token, model.active))
        if place is not None:
            return _describe(kind, place)
    party_day = db.session.scalar(select(PartyDay).where(PartyDay.qr_token == token))
    if party_day is not None:  # a Party day's QR (/d/<token>): the check-in screen
        return {"kind": "party_day", "id": party_day.id, "code": None, "name": party_day.theme}
    raise NotFound("errors.sign_unknown")


def resolve_code(code):
    """The code printed under the QR, typed by hand when the camera cannot read the sign."""
    code = code.strip().upper()
    for kind, model in KINDS:
        place = db.session.scalar(select(model).where(db.func.upper(model.code) == code, model.active))
        if place is not None:
            return _describe(kind, place)
    raise NotFound("errors.code_unknown")


def zone_of_token(token):
    """The active zone whose sign carries the token: a report made offline at a sign the phone did
    not know names the zone so. A rotated sign, an inactive zone, or the token of a post or a Party
    day is a 422 on zone_token that says what to do."""
    try:
        place = resolve_token(token)
    except NotFound:
        place = None
    if place is None or place["kind"] != "zone":
        # The reason is the detail too: the outbox shows the detail of a failed item.
        message = "errors.sign_no_longer_valid"
        raise Unprocessable(message, errors={"zone_token": [message]})
    return db.session.get(Zone, place["id"])
