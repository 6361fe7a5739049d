"""Back-office search over protected fields without decrypting anything.

- a full ID number (18 characters, or 15 legacy digits): exact match on its blind index;
- a full mobile number, or a landline with its area code: exact match on its blind index;
- 4 digits: the phone's last 4 digits (a stored column);
- anything else: the admin's ordinary search (names, addresses). An address is searched as
  the lists show it, compound + building + unit + door in one string (康乐小区1排2号,
  星光花苑二期3号楼1单元101): any part of it, typed with or without spaces, finds the
  household and its residents.
"""

import re

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext as _

from community.normalize import normalize_identifier
from community.validators import normalize_id_number, normalize_phone
from privacy.crypto import blind_index
from privacy.masks import mask_id_number, mask_phone

_LAST4 = re.compile(r"^\d{4}$")
_ID_LIKE = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_MOBILE_LIKE = re.compile(r"^(\+86|0086)?1\d{10}$")
_LANDLINE_LIKE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def _protected_filter(term: str, *, id_field: str | None, phone_field: str, last4_field: str):
    term = normalize_identifier(term).replace(" ", "")  # full-width digits typed with a Chinese IME
    if id_field and _ID_LIKE.match(term):
        try:
            value = normalize_id_number(term)
        except ValidationError:
            return {id_field: "-"}  # a malformed number matches nobody
        return {id_field: blind_index(value, purpose="id_number")}
    if (_MOBILE_LIKE.match(term) or _LANDLINE_LIKE.match(term)) and phone_field:
        try:
            value = normalize_phone(term)
        except ValidationError:
            return {phone_field: "-"}
        return {phone_field: blind_index(value, purpose="phone")}
    if _LAST4.match(term):
        return {last4_field: term}
    return None


def protected_lookup(term: str) -> dict | None:
    """The exact-match filter for a full ID number or mobile number; None otherwise."""
    lookup = _protected_filter(
        term, id_field="id_number_hash", phone_field="phone_hash", last4_field="phone_last4"
    )
    return None if lookup is None or "phone_last4" in lookup else lookup


# The search field an admin lists to search the displayed address (see displayed_address).
ADDRESS_FIELD = "displayed_address"


def displayed_address(household_path: str = "") -> Concat:
    """A household's address as str(household) shows it, in SQL: compound name, building
    number, unit number (if any) and door number, with nothing between them.

    household_path: the lookup from the searched model to its household ("household__" for
    residents; "" for households)."""
    p = household_path
    return Concat(
        F(f"{p}building__compound__name"),
        F(f"{p}building__number"),
        Coalesce(F(f"{p}unit__number"), Value("")),
        F(f"{p}door_number"),
        output_field=CharField(),
    )


def _with_address(model_admin, request, queryset, search_term, household_path: str):
    """The admin's ordinary search, where ADDRESS_FIELD (in the admin's search_fields) matches
    any part of the displayed address. Spaces typed inside an address split it into words
    that must each match, as in every admin search."""
    queryset = queryset.annotate(**{ADDRESS_FIELD: displayed_address(household_path)})
    return admin.ModelAdmin.get_search_results(model_admin, request, queryset, search_term)


def search_residents(model_admin, request, queryset, search_term):
    lookup = _protected_filter(
        search_term, id_field="id_number_hash", phone_field="phone_hash", last4_field="phone_last4"
    )
    if lookup is not None:
        return queryset.filter(**lookup), False
    return _with_address(model_admin, request, queryset, search_term, "household__")


def search_households(model_admin, request, queryset, search_term):
    term = search_term.strip()
    if _LAST4.match(term):
        # 4 digits: the contact phone's last 4 digits, or a door or building number.
        return queryset.filter(
            Q(contact_phone_last4=term) | Q(door_number=term) | Q(building__number=term)
        ), False
    return _with_address(model_admin, request, queryset, search_term, "")


def mask_search_term(term: str) -> str:
    """The search box shows a searched ID number or mobile number masked."""
    compact = normalize_identifier(term).replace(" ", "")
    if _ID_LIKE.match(compact):
        return mask_id_number(compact.upper())
    if _MOBILE_LIKE.match(compact):
        return mask_phone(compact[-11:])
    return term


def resident_by_number(residents, term: str):
    """The one resident among `residents` whose full ID number or full mobile number is `term`
    (an exact match on its blind index: nothing is listed), or None when no one or several
    match. A term that is not a full number raises ValidationError."""
    lookup = protected_lookup(term)
    if lookup is None:
        raise ValidationError(_("Enter a full ID number or a full mobile number."), code="number")
    matches = list(residents.filter(**lookup)[:2])
    return matches[0] if len(matches) == 1 else None
