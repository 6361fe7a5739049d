"""The import's file format (any ledger workbook: .xlsx, .xls, .ods) and a plain XLSX
writer."""

from io import BytesIO

import openpyxl
from django.utils.translation import gettext as _
from import_export.formats.base_formats import Format

from community.resources.layout import ledger_dataset
from community.resources.workbook import read_workbook


class LedgerFile(Format):
    """A resident ledger as offices save it (community.resources.workbook for the formats,
    community.resources.layout for finding the sheet, the header and the rows)."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return _("Excel, WPS or LibreOffice workbook (.xlsx, .xls, .ods)")

    def create_dataset(self, in_stream):
        return ledger_dataset(read_workbook(bytes(in_stream)))

    def get_extension(self):
        return "xlsx"

    def can_import(self):
        return True


def write_xlsx(headers: list[str], rows) -> bytes:
    """A plain XLSX file (write-only openpyxl): used by tests and the benchmark."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
