"""Excel import and export of the resident ledger (居民台账) through django-import-export.

The file format is the ledger community offices already keep: one row per resident with
the Chinese headers below. Headers and cell values (男/女, 户籍/常住/流动, 汉族, ...) are a
data format, not interface text, so they are not translated.

Reading (before any row is checked): workbook opens .xlsx, .xls and .ods by content;
layout finds the data sheet and its header row below titles, fills merged address cells,
skips 合计 and signature rows and names hidden rows; headers maps the many names offices
give a column (身份证号码, 公民身份号码, 手机号码, ...) to the import's own and names the
ignored ones; cells refuses ID numbers that arrived as numbers (15 significant digits) and
dates where a door number, unit or building belongs, and reads serial-number and
year-and-month dates. Identifiers are NFKC-normalised (community.normalize). report is the
preview: how the file was read, each new row and each change, masked.

Import (``ResidentResource``):
- every row is parsed and validated first (ID number, mobile, dates, names of places), and
  every bad row is reported with its reason; the import applies all rows or none
  (``import_data(..., rollback_on_validation_errors=True)``);
- a row matches an existing resident by 编号 (the record number an export writes), else by
  ID number (blind index), else by household and name; a masked value (an export's
  650***********1234) keeps the stored number;
- missing compounds, buildings, units and households are created; a new building needs
  the 网格 column;
- an unchanged row is skipped, so importing the same file twice changes nothing.

Fast path (``fast=True``, the default): one pass reads the rows, lookups are pre-fetched
into dictionaries (one query per table), missing places are created with bulk_create, and
residents are written with bulk_create / bulk_update in batches, without per-row diffs or
savepoints. ``fast=False`` keeps django-import-export's default configuration (a query per
lookup, a save and a savepoint per row, HTML diffs): bench/registry_import.py compares them.

Export: masked ID numbers and phones, the user's scope only, formulas escaped (settings),
ethnicity and care tags only for roles allowed to see them.

The package, one module per concern: columns (headers and cell values), headers (their
synonyms), sheet, workbook and ods (reading files), layout (finding the ledger in a sheet),
xlsx (the import's file format and a plain writer), cells and rows (parsing and validating
a row), places (the places an import names), resident (ResidentResource, the import), report
(the preview), export (the export's columns and cells), results (what an import reports).
"""

from community.resources.resident import ResidentResource
from community.resources.results import error_lines, imported_ids, row_error
from community.resources.xlsx import LedgerFile, write_xlsx

__all__ = [
    "LedgerFile",
    "ResidentResource",
    "error_lines",
    "imported_ids",
    "row_error",
    "write_xlsx",
]
