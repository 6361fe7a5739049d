"""One family of masks for personal data: what lists, exports, public pages and logs show.

An ID number or a mobile number keeps its first 3 and last 4 characters (650***********1234,
138****1234); a name keeps its surname (张*). mask_text() applies the same masks to free
text (log lines). Kept free of Django imports: the LOGGING setting loads it while settings are
being read.
"""

import re

ID_NUMBER = re.compile(r"(?<![0-9])\d{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")


def mask_middle(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """Stars in place of everything but the first and last characters; a value too short
    to keep both is starred whole."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_id_number(value: str) -> str:
    """650***********1234: the first 3 and last 4 characters."""
    return mask_middle(value)


def mask_phone(value: str) -> str:
    """138****1234."""
    return mask_middle(value)


def mask_name(name: str) -> str:
    """张学福 -> 张*; public pages never show more of a resident's name."""
    return f"{name[:1]}*" if name else ""


def mask_text(text: str) -> str:
    """Every national ID number and mobile number inside a text, masked as above."""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
