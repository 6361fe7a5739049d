"""Finding the ledger inside a workbook as offices keep it, and saying what was found.

Offices' ledgers are printed forms: an instructions sheet before the data, a merged title
row (红星社区居民信息登记表), a 填报单位 line, a two-level header (住址 over 小区, 楼栋,
单元, 门牌号), a household's address in one merged cell down its members' rows, rows hidden
by a filter, a 合计 row and a 制表人 line at the bottom. The rules, each reported in the
preview (LayoutNotes), never applied silently:

- the data sheet is the visible sheet whose header row names the most ledger columns; other
  sheets are named as skipped; two sheets that both look like ledgers refuse the file;
- the header row is the row, among the first 30, that names the most ledger columns (the
  first such): title and 填报单位 rows above it are skipped. A blank header cell under a
  known header (a two-level header whose upper cell was not merged) takes that header;
- a merged cell's value fills every row it covers when it lies in one column (a household's
  address); a merged cell across two columns of a data row refuses that row;
- a row whose cell says 合计/总计/小计/共计, or that starts with 制表人, 填表人, 审核人,
  注:, ... is skipped and named; blank rows are skipped;
- hidden rows are imported like the others and named, so nobody imports rows they did not
  see without being told.
"""

import re
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _

from community.normalize import compact_identifier
from community.resources.columns import COL_PROBLEM, COL_ROW
from community.resources.headers import canonical, header_score
from community.resources.sheet import MAX_IMPORT_ROWS, Sheet
from community.uploads import SpreadsheetRefused

HEADER_SEARCH_ROWS = 30
MIN_HEADER_SCORE = 3
TOTALS = re.compile(r"^(合计|总计|小计|共计)([::].*)?$")
FOOTER = re.compile(
    r"^(制表人|制表|填表人|填报人|审核人|审核|负责人|单位负责人|统计人|制表日期|填报日期|"
    r"注|说明|备注)[::]"
)


@dataclass
class LayoutNotes:
    """What the reader found and did, for the preview."""

    sheet: str = ""
    skipped_sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    merged: list[tuple[str, int, int]] = field(default_factory=list)  # (header, first, last)
    hidden_rows: list[int] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, why)


def _fill_merges(sheet: Sheet) -> None:
    """Copy each merged range's value into every cell it covers (headers and one-column
    ranges; multi-column ranges in data rows are checked by the caller)."""
    for r0, c0, r1, c1 in sheet.merges:
        value = sheet.cell(r0, c0)
        for r in range(r0, min(r1, len(sheet.rows)) + 1):
            row = sheet.rows[r - 1]
            if len(row) < c1:
                row.extend([None] * (c1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c - 1] = value


def _header_row(sheet: Sheet) -> tuple[int, int]:
    """(row number, score) of the best header row among the first rows."""
    best, best_score = 0, 0
    for number, values in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        score = header_score(values)
        if score > best_score:
            best, best_score = number, score
    return best, best_score


def _choose_sheet(sheets: list[Sheet]) -> tuple[Sheet, int, list[str]]:
    found = []
    for sheet in sheets:
        _fill_merges(sheet)
        number, score = _header_row(sheet)
        if score >= MIN_HEADER_SCORE and not sheet.hidden:
            found.append((sheet, number))
    if not found:
        raise SpreadsheetRefused(
            _(
                "No sheet of this workbook has the ledger's header row (姓名, 身份证号, 小区, "
                "楼栋, 门牌号, …) in its first %(rows)s rows."
            )
            % {"rows": HEADER_SEARCH_ROWS}
        )
    if len(found) > 1:
        raise SpreadsheetRefused(
            _(
                "The sheets %(sheets)s all look like ledgers. Import one sheet at a time: "
                "move the others to another file."
            )
            % {"sheets": "、".join(f"“{s.name}”" for s, _n in found)}
        )
    sheet, number = found[0]
    return sheet, number, [s.name for s in sheets if s is not sheet]


def _headers(sheet: Sheet, number: int) -> list[str]:
    """The header row's texts; a blank or unknown cell under a known header takes it."""
    row = sheet.rows[number - 1]
    above = sheet.rows[number - 2] if number > 1 else []
    headers = []
    for index, value in enumerate(row):
        text = "" if value is None else str(value).strip()
        upper = above[index] if index < len(above) else None
        if not canonical(text) and upper is not None and canonical(str(upper)):
            text = str(upper).strip()
        headers.append(text)
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _skip_reason(values) -> str | None:
    texts = [compact_identifier(v) for v in values if isinstance(v, str) and v.strip()]
    if any(TOTALS.match(t) for t in texts):
        return _("a totals row (合计)")
    if texts and FOOTER.match(texts[0]):
        return _("a signature or note line below the ledger")
    return None


def _data_merge_problems(sheet: Sheet, header_row: int, headers: list[str], notes) -> dict:
    """Report one-column merges (grouped by their rows); refuse rows with a merge across
    columns."""
    problems: dict[int, str] = {}
    spans: dict[tuple[int, int], list[int]] = {}
    for r0, c0, r1, c1 in sheet.merges:
        if r1 <= header_row:
            continue
        first = max(r0, header_row + 1)
        if c0 == c1:
            if r1 > first and c0 <= len(headers):
                spans.setdefault((first, r1), []).append(c0)
            continue
        names = [h for h in headers[c0 - 1 : c1] if h] or [f"#{c0}", f"#{c1}"]
        for r in range(first, r1 + 1):
            problems[r] = _(
                "the cells of %(columns)s are merged into one: unmerge them and give each "
                "column its own value."
            ) % {"columns": "、".join(names)}
    for (first, last), cols in sorted(spans.items()):
        names = "、".join(headers[c - 1] or f"#{c}" for c in sorted(cols))
        notes.merged.append((names, first, last))
    return problems


def ledger_dataset(sheets: list[Sheet]) -> tablib.Dataset:
    """The ledger's rows as a Dataset (original headers, then the hidden columns _row and
    _problem), with `dataset.ledger_notes` saying what was found."""
    sheet, header_row, skipped = _choose_sheet(sheets)
    notes = LayoutNotes(sheet=sheet.name, skipped_sheets=skipped, header_row=header_row)
    headers = _headers(sheet, header_row)
    width = len(headers)
    problems = _data_merge_problems(sheet, header_row, headers, notes)
    dataset = tablib.Dataset(headers=[*headers, COL_ROW, COL_PROBLEM])
    for number in range(header_row + 1, len(sheet.rows) + 1):
        values = list(sheet.rows[number - 1][:width])
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        reason = _skip_reason(values)
        if reason:
            notes.skipped_rows.append((number, reason))
            continue
        if len(dataset) >= MAX_IMPORT_ROWS:
            raise SpreadsheetRefused(
                _("The file has more than %(max)s rows; split it.") % {"max": MAX_IMPORT_ROWS}
            )
        if number in sheet.hidden_rows:
            notes.hidden_rows.append(number)
        values += [None] * (width - len(values))
        dataset.append([*values, number, problems.get(number, "")])
    dataset.ledger_notes = notes
    return dataset
