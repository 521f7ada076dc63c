"""CSV (UTF-8 with BOM) and XLSX out, streamed: the kit of the ledger and the scorecard exports.

Rows are a header, then records, then any footer lines (fewer cells than the header: the ledger's
audit anchor). Times are site-local `datetime`s and days `date`s: text in a CSV, real dates in a
workbook, so that Excel sorts and filters them as dates.
"""

import csv
import io
import tempfile
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from server.i18n import translate

LOCALE = "zh-CN"  # exports are the company's record: Chinese column headers (issue 4)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000
MINUTES, DAYS = "%Y-%m-%d %H:%M", "%Y-%m-%d"
EXCEL_FORMATS = {datetime: "yyyy-mm-dd hh:mm", date: "yyyy-mm-dd"}


def safe_cell(value):
    """Text a spreadsheet would run as a formula is neutralised with a leading quote; control
    characters (refused on input, but perhaps stored earlier) are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return "" if value is None else value


def _text(value):
    if isinstance(value, datetime):
        return value.strftime(MINUTES)
    return value.strftime(DAYS) if isinstance(value, date) else value


def csv_chunks(rows):
    """CSV text in chunks, with a BOM so that Excel reads the Chinese as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _width(text):
    """Excel's column width for a header: a Chinese character is two digits wide."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in str(text))


def xlsx_file(rows, sheet="ledger.sheet", widths=None):
    """An XLSX workbook in a spooled temporary file (write-only mode keeps memory flat): the
    header frozen and filtered, columns `widths` wide (else as wide as the header), dates as
    dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(translate(sheet, LOCALE))
    rows = iter(rows)
    header = next(rows)
    for column, title in enumerate(header, start=1):
        width = widths[column - 1] if widths else max(_width(title) + 2, 8)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(header)
    last_record = 1
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        if len(row) == len(header):
            last_record += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last_record}"
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return spool


def _cell(sheet, value):
    number_format = EXCEL_FORMATS.get(type(value))
    if number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell
