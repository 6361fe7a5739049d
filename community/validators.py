"""Validation of residents' ID numbers (GB 11643-1999) and phone numbers: the one normaliser of
each, used by every form, the import, search and the request forms.

- Identifiers are NFKC-folded first (community.normalize.normalize_identifier): full-width
  digits, letters and spaces typed with a Chinese input method become ASCII, so "１３８…"
  and "138…" are the same number.
- An ID number must carry a real administrative division code (GB/T 2260, current or
  historical: community.divisions) in its first six digits, a real birth date and the right
  check character.
- A mobile number must belong to a range allocated to mobile phones in China (the `phonenumbers`
  library's metadata: 140-144, 154, 16x, 179, 194 and the IoT ranges are refused). Where a
  landline is allowed (households and residents without a mobile), it needs its area code and
  is stored as 0991-2345678.

Messages never repeat the number itself: they end up in forms, import previews and logs.
"""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.divisions import is_division_code
from community.normalize import normalize_identifier

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_SEPARATORS = re.compile(r"[\s\-]")
# What people write inside a phone number: spaces, hyphens and dashes, dots, brackets.
_PHONE_NOISE = re.compile(r"[\s\-–—.()]")
_PHONE_CHARACTERS = re.compile(r"^\+?\d+$")


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
    raw = _SEPARATORS.sub("", normalize_identifier(value)).upper()
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
    if not is_division_code(raw[:6]):
        raise ValidationError(
            _(
                "The first six digits of the ID number are not an administrative division code "
                "(GB/T 2260): check the number."
            ),
            code="id_region",
        )
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


def _parse_phone(value) -> phonenumbers.PhoneNumber | None:
    """The number as phonenumbers reads it, after the forms people write are undone: 86138…,
    +86 / (+86) / 0086, spaces, hyphens, dots, brackets, full-width digits and the ".0" of a
    numeric Excel cell. None when it is not a number at all."""
    raw = normalize_identifier(value)
    if re.fullmatch(r"\d+\.0", raw):  # a number typed into a numeric Excel cell
        raw = raw[:-2]
    raw = _PHONE_NOISE.sub("", raw)
    if not _PHONE_CHARACTERS.match(raw):
        return None
    if raw.startswith("0086"):
        raw = "+86" + raw[4:]
    elif re.fullmatch(r"861\d{10}", raw):  # 86 written before a mobile number
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if number.country_code == 86 else None


def _mobile_or_none(number: phonenumbers.PhoneNumber | None) -> str | None:
    if number is None or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    return str(number.national_number)


def _unallocated(number: phonenumbers.PhoneNumber | None) -> ValidationError | None:
    """The error for 11 digits starting with 13 to 19 whose range is not allocated to mobiles."""
    digits = str(number.national_number) if number else ""
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return ValidationError(
            _(
                "Numbers starting with %(prefix)s are not allocated to mobile phones in China: "
                "check the number."
            ),
            code="mobile_unallocated",
            params={"prefix": digits[:3]},
        )
    return None


def normalize_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number, of a range allocated to mobile phones.

    Raises ValidationError: mobile_unallocated (11 digits, but e.g. 140… or 154…), mobile_format.
    """
    number = _parse_phone(value)
    mobile = _mobile_or_none(number)
    if mobile:
        return mobile
    raise _unallocated(number) or ValidationError(
        _("The mobile number must have 11 digits and start with 13 to 19."),
        code="mobile_format",
    )


def is_allocated_mobile(number: str) -> bool:
    """Whether 11 digits are a mobile number of an allocated range (no normalising)."""
    return _mobile_or_none(_parse_phone(number)) == number


def normalize_phone(value: str) -> str:
    """A mobile number (11 digits) or a landline with its area code, as 0991-2345678.

    For households and residents without a mobile. Raises ValidationError: mobile_unallocated,
    phone_area_code (a landline number without its area code), phone_format.
    """
    number = _parse_phone(value)
    mobile = _mobile_or_none(number)
    if mobile:
        return mobile
    if number is not None and phonenumbers.is_valid_number(number):
        national = str(number.national_number)
        area = phonenumbers.length_of_geographical_area_code(number)
        if area:
            return f"0{national[:area]}-{national[area:]}"
    error = _unallocated(number)
    if error:
        raise error
    if number is not None and 7 <= len(str(number.national_number)) <= 8:
        raise ValidationError(
            _("A landline number needs its area code, e.g. 0991-2345678."),
            code="phone_area_code",
        )
    raise ValidationError(
        _(
            "Enter a mobile number (11 digits) or a landline number with its area code, "
            "e.g. 0991-2345678."
        ),
        code="phone_format",
    )


def validate_id_number(value: str) -> None:
    normalize_id_number(value)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def validate_phone(value: str) -> None:
    normalize_phone(value)
