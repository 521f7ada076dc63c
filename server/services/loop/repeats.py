"""Repeat hazards (重复隐患, issue 19): the open and recently closed hazards of the same zone that
look like a new report, for the worker about to file it and for the zone head triaging it, who
may reject it as a duplicate in one tap (the reject action's `duplicate_of`).

Alike means: the same category counts most, then the share of shared words, cut as the search
index cuts them (services/loop/search.py: Chinese two-character pieces, numbers and Latin words).
The candidates are one zone's hazards of the last 90 days that share a word with the text (the
search index finds them), the newest 200: few enough to compare in Python."""

from sqlalchemy import or_, select

from server.extensions import db
from server.models.base import now_utc
from server.models.loop.hazards import Hazard
from server.services.loop import search
from server.services.loop.hazards import describe_hazards, get_visible_hazard
from server.services.loop.recurrence import RECURRENCE
from server.services.platform.authz import hazard_scope
from server.vocabulary import OPEN_STATUSES

CANDIDATES = 200
SHOWN = 5
CATEGORY_WEIGHT = 0.4
# Alike: a tenth of the words shared in the same category, or nearly a third in another.
SAME_CATEGORY_SHARE, OTHER_CATEGORY_SHARE = 0.1, 0.3


def grams(text):
    """The words of a text that are compared, cut as the search index cuts them."""
    return set(search.words(text))


def _likeness(pieces, category, hazard):
    """How alike (the share of words in common, more in the same category), or None if not."""
    theirs = grams(f"{hazard.title} {hazard.description}")
    shared = len(pieces & theirs) / len(pieces | theirs) if pieces and theirs else 0.0
    same = hazard.category == category
    if shared < (SAME_CATEGORY_SHARE if same else OTHER_CATEGORY_SHARE):
        return None
    return shared + (CATEGORY_WEIGHT if same else 0.0)


def similar_hazards(actor, zone_id, category=None, text="", exclude_id=None):
    """Up to five hazards of the zone the actor may see, open or closed in the last 90 days, that
    look like this text and category, the most alike first."""
    since = now_utc() - RECURRENCE
    recent = or_(Hazard.status.in_(OPEN_STATUSES), Hazard.closed_at >= since)
    query = (
        select(Hazard)
        .where(Hazard.zone_id == zone_id, Hazard.status != "rejected", recent, hazard_scope(actor))
        .order_by(Hazard.id.desc())
        .limit(CANDIDATES)
    )
    if exclude_id is not None:
        query = query.where(Hazard.id != exclude_id)
    if (sharing := search.matches_any(text)) is not None:
        query = query.where(sharing)
    pieces = grams(text)
    scored = [(_likeness(pieces, category, h), h) for h in db.session.scalars(query)]
    alike = sorted((pair for pair in scored if pair[0] is not None), key=lambda pair: (-pair[0], -pair[1].id))
    return describe_hazards(actor, [hazard for _, hazard in alike[:SHOWN]])


def similar_to(actor, hazard_id):
    """The hazards that look like one the actor may see: what its triage shows."""
    hazard = get_visible_hazard(actor, hazard_id)
    text = f"{hazard.title} {hazard.description}"
    return similar_hazards(actor, hazard.zone_id, hazard.category, text, exclude_id=hazard.id)
