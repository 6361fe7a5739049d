"""One worksheet as the ledger reader sees it, whatever program saved the file.

Cell values keep their spreadsheet type: str for text cells, int or float for numeric
cells, date/datetime for date cells, bool. That type is evidence: an ID number that arrives
as a number has lost its digits after the 15th, a door number that arrives as a date was
rewritten by the spreadsheet program.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from community.uploads import SpreadsheetRefused

MAX_IMPORT_ROWS = 50_000
MAX_COLUMNS = 200


@dataclass
class Sheet:
    name: str
    hidden: bool = False
    rows: list[list] = field(default_factory=list)  # rows[0] is spreadsheet row 1
    hidden_rows: set[int] = field(default_factory=set)  # spreadsheet row numbers
    # Merged ranges: (first row, first column, last row, last column), 1-based, inclusive.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def cell(self, row: int, column: int):
        """The value at a 1-based row and column (None past the row's end)."""
        values = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return values[column - 1] if 0 < column <= len(values) else None


class TooManyRows(SpreadsheetRefused):
    pass


def check_row_count(number: int) -> None:
    if number > MAX_IMPORT_ROWS + 100:  # room for title rows, headers and footers
        raise TooManyRows(
            _("The file has more than %(max)s rows; split it.") % {"max": MAX_IMPORT_ROWS}
        )
