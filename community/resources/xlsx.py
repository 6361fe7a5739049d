"""Reading and writing XLSX files: the ledger reader an import uses, and a plain writer."""

from io import BytesIO

import openpyxl
import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from community.resources.columns import COL_ROW
from community.uploads import check_spreadsheet

MAX_IMPORT_ROWS = 50_000


class LedgerXLSX(XLSX):
    """XLSX reader for ledgers: read-only openpyxl, plain values, blank rows skipped (and
    phantom rows of badly saved files ignored), each row keeping its spreadsheet number."""

    def create_dataset(self, in_stream):
        check_spreadsheet(in_stream)  # size and zip-bomb limits (community/uploads.py)
        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            header = next(rows, None) or ()
            headers = [str(h).strip() if h is not None else "" for h in header]
            while headers and not headers[-1]:
                headers.pop()
            width = len(headers)
            dataset = tablib.Dataset(headers=[*headers, COL_ROW])
            for number, values in enumerate(rows, start=2):
                values = list(values[:width])
                if not any(v not in (None, "") for v in values):
                    continue
                if len(dataset) >= MAX_IMPORT_ROWS:
                    raise ValueError(
                        _("The file has more than %(max)s rows; split it.")
                        % {"max": MAX_IMPORT_ROWS}
                    )
                values += [None] * (width - len(values))
                dataset.append([*values, number])
            return dataset
        finally:
            book.close()


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
