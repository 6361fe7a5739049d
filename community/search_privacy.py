"""Full ID numbers and mobile numbers never travel in a URL (docs/privacy.md, "Searching").

A GET search (?q=… on a changelist, ?term=… on the admin's autocomplete) ends up in server
access logs, browser history and proxies. So:

- Changelists that search personal numbers (residents, households, service requests) refuse a
  search term holding a full ID number (18 characters, GB 11643; or 15 legacy digits) or a full
  mobile number (11 digits): they answer with a redirect to the list without it (the other
  filters stay) and a message pointing to the page's POST lookup (residents:
  community.views.find_resident; requests: ServiceRequestAdmin.find_view).
- The search itself (get_search_results, which the autocomplete also calls) never looks up a
  full number: it answers no rows without running a query. Nothing is logged of the term.
- static/js/search_privacy.js (loaded on every admin page by templates/admin/base_site.html)
  posts such a search to the lookup named by the page's data-number-lookup link before the
  browser puts it in a URL, and keeps select2 autocompletes from sending it. The server-side
  refusals are the guarantee when scripts are off.

Names, addresses, references and the last 4 digits still search by GET.
"""

import re
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from community.validators import normalize_phone

_SEPARATORS = re.compile(r"[\s\-–—]")  # spaces and dashes people type inside numbers
# Not preceded by a digit (or preceded by +86/0086) and not followed by one.
_FULL_ID = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")
_FULL_MOBILE = re.compile(r"(?:(?<!\d)|(?<=86))1\d{10}(?!\d)")

FULL_NUMBER_REFUSED = _(
    "Full ID numbers and mobile numbers are not searched through the address bar, where "
    "browser history and server logs would keep them. Use “Find by ID number or phone” on "
    "the residents page; names and the last 4 digits can still be searched here."
)


def compact(term: str) -> str:
    """The term without spaces and dashes; full-width digits (from a Chinese input method)
    become ASCII digits."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", term or ""))


def holds_full_number(term: str) -> bool:
    """True when the term contains a full ID number or a full mobile number."""
    text = compact(term)
    return bool(_FULL_ID.search(text) or _FULL_MOBILE.search(text))


class NoFullNumberSearchMixin:
    """For a ModelAdmin (before CommunityScopedAdmin in the bases): its search, and so its
    autocomplete (/admin/autocomplete/?term=…), never looks up a full ID or mobile number.

    Such a term answers no rows at once: no query runs, nothing is logged. Admins put their
    own search in get_partial_search_results(), not in get_search_results()."""

    def get_search_results(self, request, queryset, search_term):
        if holds_full_number(search_term):
            return queryset.none(), False
        return self.get_partial_search_results(request, queryset, search_term)

    def get_partial_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term)


class NoFullNumberInUrlMixin(NoFullNumberSearchMixin):
    """Also refuses a changelist GET search for a full ID or mobile number: a redirect to the
    list without it (other filters kept) and full_number_refused as a warning. The page's
    changelist template offers the POST lookup as a link marked data-number-lookup, which
    static/js/search_privacy.js uses to send such a search there instead."""

    full_number_refused = FULL_NUMBER_REFUSED

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "GET"
            and holds_full_number(request.GET.get(SEARCH_VAR, ""))
            and self.has_view_or_change_permission(request)
        ):
            messages.warning(request, self.full_number_refused)
            params = request.GET.copy()
            del params[SEARCH_VAR]
            query = params.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().changelist_view(request, extra_context)


class FindByPhoneForm(forms.Form):
    """A POST lookup's form: one full mobile number (+86, spaces, dashes and full-width digits
    allowed). The view renders a fresh form, so the number is never echoed back."""

    term = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "inputmode": "tel"}
        ),
    )

    def clean_term(self):
        try:
            return normalize_phone(compact(self.cleaned_data["term"]))
        except ValidationError:
            raise ValidationError(
                _("Enter a full mobile number: 11 digits starting with 13 to 19."),
                code="not_a_mobile",
            ) from None
