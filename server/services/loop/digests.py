"""The daily digest (issue 17): a unit whose channel has a digest time gets, once a site day after
that time, one short message per zone head and supervisor of the unit and the units below it
instead of a message per hazard: how many of theirs are overdue, due today and waiting for
verification. Made by `flask notify deliver` before it sends, which commits; the claim on the
day is one conditional UPDATE, so two workers never make a day's digest twice."""

from collections import Counter
from datetime import datetime

from flask import current_app
from sqlalchemy import case, func, select, update

from server.extensions import db
from server.i18n import translate
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.models.platform.deliveries import NotifyChannel
from server.services.loop.overdue import overdue_condition
from server.services.platform import deliveries
from server.services.platform.authz import digest_recipients, supervised_units, unit_subtree_ids
from server.services.platform.clock import site_zone

FIGURES = ("overdue", "due_today", "verifying")


def make_due_digests(now=None):
    """The digests whose time has come today and that are not made yet; answers how many."""
    now = (now or datetime.now(site_zone())).astimezone(site_zone())
    today, made = now.date(), 0
    due = db.session.scalars(
        select(NotifyChannel).where(
            NotifyChannel.active.is_(True),
            NotifyChannel.digest_at.is_not(None),
            NotifyChannel.digest_at <= now.strftime("%H:%M"),
            NotifyChannel.digest_on.is_(None) | (NotifyChannel.digest_on < today),
        )
    ).all()
    for channel in due:
        claimed = db.session.execute(
            update(NotifyChannel)
            .where(NotifyChannel.id == channel.id)
            .where(NotifyChannel.digest_on.is_(None) | (NotifyChannel.digest_on < today))
            .values(digest_on=today)
        ).rowcount
        if claimed:
            made += _digest(channel, today)
    db.session.flush()
    return made


def _digest(channel, today):
    """One delivery per person with anything to do; answers how many."""
    units = unit_subtree_ids(channel.unit_id)
    per_head, per_unit = _open_figures(units, today)
    people = db.session.scalars(select(User).where(digest_recipients(units)).order_by(User.id)).all()
    link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"
    count = 0
    for person in people:
        # a supervisor answers for the units they oversee, a zone head for the zones they head
        overseen = supervised_units(person)
        if overseen:
            figures = sum((per_unit.get(unit, Counter()) for unit in overseen), Counter())
        else:
            figures = per_head.get(person.id, Counter())
        if not any(figures[name] for name in FIGURES):
            continue
        text = translate(
            "notify.digest", "zh-CN", name=person.name, link=link, **{n: figures[n] for n in FIGURES}
        )
        deliveries.enqueue_to(channel, "digest", text, mentions=[person.phone] if person.phone else [])
        count += 1
    return count


def _open_figures(units, today):
    """The open hazards of these units' zones: per zone head, and per unit (for supervisors)."""
    rows = db.session.execute(
        select(
            Zone.head_id,
            Zone.unit_id,
            func.sum(case((overdue_condition(today), 1), else_=0)),
            func.sum(case(((Hazard.status == "rectifying") & (Hazard.deadline == today), 1), else_=0)),
            func.sum(case((Hazard.status == "verifying", 1), else_=0)),
        )
        .join(Zone, Zone.id == Hazard.zone_id)
        .where(Zone.unit_id.in_(units), Hazard.status.in_(("reported", "rectifying", "verifying")))
        .group_by(Zone.head_id, Zone.unit_id)
    ).all()
    per_head, per_unit = {}, {}
    for head_id, unit_id, *values in rows:
        figures = Counter(dict(zip(FIGURES, (int(v or 0) for v in values), strict=True)))
        per_head[head_id] = per_head.get(head_id, Counter()) + figures
        per_unit[unit_id] = per_unit.get(unit_id, Counter()) + figures
    return per_head, per_unit
