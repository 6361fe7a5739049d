"""Reading an OpenDocument spreadsheet (.ods, LibreOffice and WPS) into Sheets.

The sheet XML (content.xml) is streamed with the standard library's iterparse, one row at a
time: a saved .ods often ends with a row repeated a million times and cells repeated to the
last column, which are counted, never materialised. What the ledger reader needs is kept:
typed values (a float is a number, a date a date), merged cells (number-rows-spanned /
number-columns-spanned), hidden rows (visibility collapse or filter) and hidden sheets (a
table style with display false). External entities are never fetched by the parser.
"""

import datetime as dt
import zipfile
from io import BytesIO
from xml.etree import ElementTree as ET

from community.resources.sheet import MAX_COLUMNS, Sheet, check_row_count

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _inline(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag == TEXT + "line-break":
            parts.append("\n")
        elif child.tag == TEXT + "tab":
            parts.append("\t")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_of(cell) -> str:
    """The cell's paragraphs (not its comments), one line each."""
    return "\n".join(_inline(p) for p in cell.findall(TEXT + "p"))


def _value(cell):
    kind = cell.get(OFFICE + "value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(OFFICE + "value"))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        text = cell.get(OFFICE + "date-value")
        value = dt.datetime.fromisoformat(text)
        return value if "T" in text else value.date()
    if kind == "boolean":
        return cell.get(OFFICE + "boolean-value") == "true"
    text = _text_of(cell)
    return text if text != "" else None


class _SheetBuilder:
    def __init__(self, name: str, hidden: bool):
        self.sheet = Sheet(name=name, hidden=hidden)
        self.pending_blank = 0  # empty rows seen since the last row with a value

    def add_row(self, element) -> None:
        repeat = int(element.get(TABLE + "number-rows-repeated", "1"))
        hidden = element.get(TABLE + "visibility", "visible") != "visible"
        values, merges, column = [], [], 1
        for cell in element:
            if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                continue
            times = int(cell.get(TABLE + "number-columns-repeated", "1"))
            value = _value(cell) if cell.tag == TABLE + "table-cell" else None
            rows_span = int(cell.get(TABLE + "number-rows-spanned", "1"))
            cols_span = int(cell.get(TABLE + "number-columns-spanned", "1"))
            if rows_span > 1 or cols_span > 1:
                merges.append((column, rows_span, cols_span))
            if value is not None:
                values.extend([None] * (column - 1 - len(values)))
                values.extend([value] * min(times, MAX_COLUMNS))
            column += times
            if column > MAX_COLUMNS and value is None:
                break
        if not values and not merges:
            self.pending_blank += repeat
            return
        sheet = self.sheet
        for _ in range(self.pending_blank):
            sheet.rows.append([])
        self.pending_blank = 0
        for _ in range(repeat):  # identical rows in a row are saved once, repeated
            sheet.rows.append(list(values))
            number = len(sheet.rows)
            check_row_count(number)
            if hidden:
                sheet.hidden_rows.add(number)
            for col, rows_span, cols_span in merges:
                sheet.merges.append((number, col, number + rows_span - 1, col + cols_span - 1))


def read_ods(data: bytes) -> list[Sheet]:
    """Every sheet of an .ods file, in order (raises on damaged files; callers translate)."""
    with zipfile.ZipFile(BytesIO(data)) as archive, archive.open("content.xml") as content:
        hidden_styles: set[str] = set()
        sheets: list[Sheet] = []
        builder = None
        for event, element in ET.iterparse(content, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == TABLE + "table":
                    hidden = element.get(TABLE + "style-name") in hidden_styles
                    builder = _SheetBuilder(element.get(TABLE + "name", ""), hidden)
                continue
            if tag == STYLE + "style":
                props = element.find(STYLE + "table-properties")
                if props is not None and props.get(TABLE + "display") == "false":
                    hidden_styles.add(element.get(STYLE + "name"))
            elif tag == TABLE + "table-row" and builder is not None:
                builder.add_row(element)
                element.clear()
            elif tag == TABLE + "table" and builder is not None:
                sheets.append(builder.sheet)
                builder = None
                element.clear()
        return sheets
