"""A logging filter that hides national ID numbers and mobile numbers in every log record.

Kept free of Django imports: the LOGGING setting loads it while settings are being read.
"""

import logging

from privacy.masks import mask_text


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
