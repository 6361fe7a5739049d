"""Validation of residents' ID numbers (GB 11643-1999) and mobile numbers.

Messages never repeat the number itself: they end up in forms, import previews and logs.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-]")


def id_number_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def _birth_date(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def normalize_id_number(value: str, *, today: dt.date | None = None) -> str:
    """Return the 18-character ID number, converting a 15-digit legacy number.

    Raises ValidationError (codes: id_format, id_checksum, id_birth_date, id_future) with
    a message that names the problem but not the number.
    """
    raw = _SEPARATORS.sub("", str(value or "")).upper()
    if _ID15.match(raw):
        # Legacy numbers: insert the century "19" and compute the check character.
        body = raw[:6] + "19" + raw[6:]
        raw = body + id_number_check_character(body)
    elif not _ID18.match(raw):
        raise ValidationError(
            _("The ID number must have 18 characters (17 digits and a digit or X)."),
            code="id_format",
        )
    elif id_number_check_character(raw[:17]) != raw[17]:
        raise ValidationError(_("The ID number's check character is wrong."), code="id_checksum")
    born = _birth_date(raw[6:14])
    if born is None or born.year < 1880:
        raise ValidationError(
            _("The ID number does not contain a real birth date."), code="id_birth_date"
        )
    if born > (today or timezone.localdate()):
        raise ValidationError(
            _("The ID number contains a birth date in the future."), code="id_future"
        )
    return raw


def birth_date_from_id(id_number: str) -> dt.date:
    return _birth_date(id_number[6:14])


def gender_from_id(id_number: str) -> str:
    """ "M" when the sequence number (17th digit) is odd, "F" when it is even."""
    return "M" if int(id_number[16]) % 2 else "F"


def check_id_number_matches(
    id_number: str, *, birth_date: dt.date | None, gender: str | None
) -> dict[str, ValidationError]:
    """Errors keyed by field when the entered birth date or gender disagree with the number."""
    errors: dict[str, ValidationError] = {}
    if birth_date and birth_date != birth_date_from_id(id_number):
        errors["birth_date"] = ValidationError(
            _("The birth date does not match the ID number."), code="id_birth_mismatch"
        )
    if gender and gender != gender_from_id(id_number):
        errors["gender"] = ValidationError(
            _("The gender does not match the ID number."), code="id_gender_mismatch"
        )
    return errors


def normalize_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number, after stripping +86 / 0086 and separators."""
    raw = _SEPARATORS.sub("", str(value or ""))
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix):
            raw = raw[len(prefix) :]
            break
    if raw.endswith(".0"):  # a number typed into a numeric Excel cell
        raw = raw[:-2]
    if not _MOBILE.match(raw):
        raise ValidationError(
            _("The mobile number must have 11 digits and start with 13 to 19."),
            code="mobile_format",
        )
    return raw


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)
