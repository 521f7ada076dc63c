"""The hazard ledger (隐患台账): the rows of the list's filters, for platform/spreadsheets.py."""

from sqlalchemy.orm import aliased

from server.extensions import db
from server.i18n import translate
from server.models.accounts.users import User
from server.models.loop.hazards import Hazard
from server.models.places.zones import Zone
from server.services.loop.chain_anchor import anchor_head
from server.services.loop.hazards import hazard_query
from server.services.loop.overdue import is_overdue
from server.services.platform.authz import require_capability
from server.services.platform.clock import site_datetime, site_today
from server.services.platform.spreadsheets import BATCH, LOCALE, safe_cell
from server.vocabulary import CATEGORIES, LEVELS, STATUSES

# Column widths in the workbook, in the order of ledger.headers.
WIDTHS = (17, 30, 20, 10, 17, 40, 10, 8, 30, 10, 12, 12, 20, 9, 10, 17, 9)


def _when(moment):
    """A moment as the site's wall clock (a spreadsheet has no time zones)."""
    return site_datetime(moment).replace(tzinfo=None) if moment else None


def _late(hazard, today):
    """Closed late (fixed when it closed), or open and overdue now."""
    return hazard.closed_late if hazard.status == "closed" else is_overdue(hazard, today)


def ledger_rows(actor, args):
    """Header, one row per hazard the actor may see under the filters (read in batches), and the
    audit anchor's head as the last row."""
    require_capability(actor, "supervise")
    reporter, assignee, verifier = aliased(User), aliased(User), aliased(User)
    query = (
        hazard_query(actor, args)
        .join(Zone, Zone.id == Hazard.zone_id)
        .join(reporter, reporter.id == Hazard.reporter_id)
        .outerjoin(assignee, assignee.id == Hazard.assignee_id)
        .outerjoin(verifier, verifier.id == Hazard.verifier_id)
        .with_only_columns(Hazard, Zone.name, reporter.name, assignee.name, verifier.name)
        .order_by(Hazard.id)
        .execution_options(yield_per=BATCH)
    )
    today = site_today()
    labels = {key: translate(key, LOCALE) for key in _label_keys()}
    yes, no = translate("ledger.yes", LOCALE), translate("ledger.no", LOCALE)
    yield tuple(translate("ledger.headers", LOCALE).split(","))
    for hazard, zone_name, reporter_name, assignee_name, verifier_name in db.session.execute(query):
        yield tuple(
            safe_cell(value)
            for value in (
                hazard.number, hazard.title, zone_name, reporter_name, _when(hazard.created_at),
                hazard.description, labels[f"labels.category.{hazard.category}"],
                labels[f"labels.level.{hazard.level}"], hazard.measures, assignee_name, hazard.deadline,
                hazard.funds, hazard.contingency_plan, labels[f"labels.status.{hazard.status}"],
                verifier_name, _when(hazard.closed_at), yes if _late(hazard, today) else no,
            )
        )  # fmt: skip
    # The audit anchor as it stands: a printed ledger pins the history it was drawn from.
    lines, digest = anchor_head()
    yield (translate("ledger.anchor", LOCALE, lines=lines, digest=digest),)


def _label_keys():
    return (
        [f"labels.category.{c}" for c in CATEGORIES]
        + [f"labels.level.{v}" for v in LEVELS]
        + [f"labels.status.{s}" for s in STATUSES]
    )
