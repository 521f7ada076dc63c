"""CSV (UTF-8 with BOM) and XLSX out, streamed: the kit of the ledger and the scorecard exports."""

import csv
import io
import tempfile

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from server.i18n import translate

LOCALE = "zh-CN"  # exports are the company's record: Chinese column headers (issue 4)
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
