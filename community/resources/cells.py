"""Reading single cells whose spreadsheet type or form says something went wrong.

- ID numbers: a number cell keeps only 15 significant digits (Excel, WPS and LibreOffice
  alike store a double), so 650102196003011234 comes back as 650102196003011000 and about
  one in eleven such numbers still passes the check character. An ID number that arrives as
  a number, or as text in scientific notation (6.50102E+17), is refused: its last digits
  are gone and no reader can get them back.
- Places: typing 1-1 or 3-2 into a General cell makes it a date (2024-01-01), so a date in
  楼栋, 单元 or 门牌号 is refused: the original text is gone too.
- Dates: date cells; text in the usual forms (2024-05-01, 2024/5/1, 2024.5.1, 20240501,
  2024年5月1日); a number in a date column, which is either a date cell whose format was
  lost (an Excel serial number: days since 1899-12-30) or yyyymmdd typed as a number; and
  year-and-month forms (1960.03, 1960-03, 1960年3月), which are returned as MonthOnly for
  the caller to resolve (a birth date from the ID number) or refuse.
"""

import datetime as dt
import re
from dataclasses import dataclass

from community.normalize import compact_identifier, normalize_identifier

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug)
MAX_SERIAL = 73050  # 2099-12-31
SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")
FULL_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MONTH_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


@dataclass(frozen=True)
class MonthOnly:
    """A year and month without a day; `months` holds more than one month when a number
    cell lost a trailing zero (1960.1 may have been typed 1960.10)."""

    year: int
    months: tuple[int, ...]
    text: str


class NotADate(ValueError):
    pass


def arrived_as_number(value) -> bool:
    """True for a number cell, or text a spreadsheet wrote from one (6.50102E+17)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(SCIENTIFIC.match(compact_identifier(value)))


def arrived_as_date(value) -> bool:
    """True for a date cell, or text a spreadsheet wrote from one (2024-01-01 00:00:00)."""
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and bool(DATE_LIKE.match(value.strip()))


def _from_number(value) -> dt.date | MonthOnly:
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
        year, _dot, month = text.partition(".")
        if len(year) == 4 and len(month) <= 2 and 1 <= int(month) <= 12:
            months = (int(month), int(month) * 10) if len(month) == 1 and month == "1" else ()
            return MonthOnly(int(year), months or (int(month),), text)
        raise NotADate(text)
    number = int(value)
    if 1 <= number <= MAX_SERIAL:
        return EXCEL_EPOCH + dt.timedelta(days=number)
    if 18000101 <= number <= 29991231:
        return _from_text(str(number))
    raise NotADate(str(number))


def _from_text(text: str) -> dt.date | MonthOnly:
    for fmt in FULL_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    for form in MONTH_FORMS:
        match = form.match(text)
        if match and 1 <= int(match.group(2)) <= 12:
            return MonthOnly(int(match.group(1)), (int(match.group(2)),), text)
    raise NotADate(text)


def read_date(value) -> dt.date | MonthOnly | None:
    """A date cell's date; raises NotADate when the cell holds something else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise NotADate(str(value))
    if isinstance(value, int | float):
        return _from_number(value)
    text = normalize_identifier(value)
    if DATE_LIKE.match(text):
        text = re.split(r"[ T]", text)[0]
    return _from_text(text.replace(" ", ""))
