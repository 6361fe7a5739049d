"""Limits on uploaded spreadsheets, checked before anything parses them.

An XLSX file is a zip archive: a few kilobytes can inflate to gigabytes of XML (a zip bomb).
check_spreadsheet() reads only the archive's directory and refuses files that are too big,
not a zip, or inflate too far.
"""

import zipfile
from io import BytesIO

from django.utils.translation import gettext as _

MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ARCHIVE_MEMBERS = 1000


class SpreadsheetRefused(ValueError):
    """The file must not be opened; the message says why, in the user's language."""


def check_spreadsheet(data: bytes) -> None:
    """Raise SpreadsheetRefused with a clear message when the file must not be opened."""
    if len(data) > MAX_SPREADSHEET_BYTES:
        raise SpreadsheetRefused(
            _("The file is larger than %(mb)d MB; split it.")
            % {"mb": MAX_SPREADSHEET_BYTES // 2**20}
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:
        raise SpreadsheetRefused(_("The file is not an Excel workbook (.xlsx).")) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise SpreadsheetRefused(_("The workbook has too many parts to be a ledger."))
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
            raise SpreadsheetRefused(
                _(
                    "The workbook expands to %(mb)d MB when opened; this looks like a damaged "
                    "or malicious file."
                )
                % {"mb": total // 2**20}
            )
