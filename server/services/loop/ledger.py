"""The hazard ledger (隐患台账): the list's filters as CSV (UTF-8 with BOM) or XLSX, streamed."""

import csv
import io
import tempfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
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
from server.vocabulary import CATEGORIES, LEVELS, STATUSES

LOCALE = "zh-CN"  # the ledger is the company's record: Chinese column headers (issue 4)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def safe_cell(value):
    """Text a spreadsheet would run as a formula is neutralised with a leading quote; control
    characters (refused on input, but perhaps stored earlier) are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return "" if value is None else value


def _when(moment):
    return site_datetime(moment).strftime("%Y-%m-%d %H:%M") if moment else None


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
                hazard.number, zone_name, reporter_name, _when(hazard.created_at), hazard.description,
                labels[f"labels.category.{hazard.category}"], labels[f"labels.level.{hazard.level}"],
                hazard.measures, assignee_name, hazard.deadline.isoformat() if hazard.deadline else None,
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


def csv_chunks(rows):
    """CSV text in chunks, with a BOM so that Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(rows, sheet="ledger.sheet"):
    """An XLSX workbook in a spooled temporary file (write-only mode keeps memory flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(translate(sheet, LOCALE))
    for row in rows:
        sheet.append(row)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return spool
