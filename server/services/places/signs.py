"""Printable QR sign sheets: the places chosen, with what each sign shows."""

from sqlalchemy import select

from server.extensions import db
from server.models.places.posts import Post
from server.models.places.zones import Zone
from server.services.places.qr import qr_svg, sign_url


def sign_sheet(zone_ids, post_ids):
    """Zones then posts, in the order asked, each with its QR drawing; unknown ids are skipped."""
    signs = []
    for kind, model, ids in (("zone", Zone, zone_ids), ("post", Post, post_ids)):
        rows = {
            row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids), model.active))
        }
        for place_id in ids:
            place = rows.get(place_id)
            if place is not None:
                person = place.head if kind == "zone" else place.holder
                text = place.responsibilities if kind == "zone" else place.commitment
                url = sign_url(kind, place.qr_token)
                signs.append(
                    {"kind": kind, "place": place, "person": person, "text": text, "qr": qr_svg(url)}
                )
    return signs
