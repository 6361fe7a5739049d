"""Opening an uploaded ledger: .xlsx (Excel, WPS), .xls (Excel 97-2003, WPS) or .ods
(LibreOffice), recognised by content, not by the file's name.

read_workbook() returns every sheet as a Sheet (community.resources.sheet). A file that is
none of these, or that the reader cannot open, is refused with a SpreadsheetRefused whose
message says what to do, in the user's language: never a reader's own exception name.
"""

import datetime as dt
import io
import zipfile

import openpyxl
import xlrd
from django.utils.translation import gettext as _

from community.resources.ods import read_ods
from community.resources.sheet import MAX_COLUMNS, Sheet, check_row_count
from community.uploads import MAX_SPREADSHEET_BYTES, SpreadsheetRefused, check_spreadsheet

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _unreadable() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The file could not be read as a spreadsheet: it may be damaged or protected by a "
            "password. Open it in Excel, WPS or LibreOffice and save it again as .xlsx."
        )
    )


def sniff(data: bytes) -> str:
    """ "xlsx", "xls" or "ods"; refuses anything else with a message naming the formats."""
    if len(data) > MAX_SPREADSHEET_BYTES:
        check_spreadsheet(data)  # says the size limit
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(b"PK"):
        check_spreadsheet(data)  # size and zip-bomb limits
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
            if "xl/workbook.xml" in names:
                return "xlsx"
    raise SpreadsheetRefused(
        _(
            "This is not a spreadsheet the import reads. Save the ledger as Excel (.xlsx or "
            ".xls) or LibreOffice (.ods); CSV and other files are not accepted."
        )
    )


def read_workbook(data: bytes) -> list[Sheet]:
    kind = sniff(data)
    reader = {"xlsx": _read_xlsx, "xls": _read_xls, "ods": read_ods}[kind]
    try:
        return reader(data)
    except SpreadsheetRefused:
        raise
    except Exception as error:  # a damaged file: any reader error means the same to the user
        raise _unreadable() from error


def _read_xlsx(data: bytes) -> list[Sheet]:
    # Not read-only: merged cells and hidden rows are only known to a fully loaded sheet.
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for ws in book.worksheets:
        sheet = Sheet(name=ws.title, hidden=ws.sheet_state != "visible")
        last, filled = 0, 0
        for number, values in enumerate(
            ws.iter_rows(values_only=True, max_col=min(ws.max_column, MAX_COLUMNS)), start=1
        ):
            values = list(values)
            sheet.rows.append(values)
            if any(v not in (None, "") for v in values):
                last, filled = number, filled + 1
                check_row_count(filled)
        del sheet.rows[last:]  # formatted but empty rows at the end
        sheet.hidden_rows = {
            r for r, d in ws.row_dimensions.items() if d.hidden and r <= len(sheet.rows)
        }
        sheet.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells]
        sheets.append(sheet)
    return sheets


def _xls_value(book, cell):
    if cell.ctype == xlrd.XL_CELL_DATE:
        value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return value.date() if value.time() == dt.time(0) else value
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        number = cell.value
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value if cell.value != "" else None
    return None  # empty, blank, error


def _read_xls(data: bytes) -> list[Sheet]:
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    sheets = []
    for ws in book.sheets():
        sheet = Sheet(name=ws.name, hidden=ws.visibility != 0)
        filled = 0
        for r in range(ws.nrows):
            row = [_xls_value(book, cell) for cell in ws.row(r)[:MAX_COLUMNS]]
            sheet.rows.append(row)
            if any(v is not None for v in row):
                filled += 1
                check_row_count(filled)
            info = ws.rowinfo_map.get(r)
            if info is not None and info.hidden:
                sheet.hidden_rows.add(r + 1)
        # xlrd: (first row, row after last, first column, column after last), 0-based.
        sheet.merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in ws.merged_cells]
        sheets.append(sheet)
    return sheets
