"""A logging filter that hides national ID numbers and mobile numbers in every log record.

Kept free of Django imports: the LOGGING setting loads it while settings are being read.
"""

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")


def mask_text(text: str) -> str:
    text = ID_NUMBER.sub(r"\1********\2", text)
    return MOBILE.sub(r"\1****\2", text)


class MaskingFilter(logging.Filter):
    """Hides national ID numbers and mobile numbers in every log record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must still be logged
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
