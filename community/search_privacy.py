"""Full ID numbers and mobile numbers never travel in a changelist's URL.

A GET search (?q=…) ends up in server access logs, browser history and proxies. The resident
and household changelists therefore refuse a search term holding a full ID number (18
characters, GB 11643; or 15 legacy digits) or a full mobile number (11 digits): they answer
with a redirect to the list without it and a message pointing to the POST lookup
(community.views.find_resident, "Find by ID number or phone"). static/js/search_privacy.js
sends such a term to that lookup before the browser puts it in a URL; the redirect is the
guarantee when scripts are off. Names, addresses and the last 4 digits still search by GET.
"""

import re
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-–—]")  # spaces and dashes people type inside numbers
# Not preceded by a digit (or preceded by +86/0086) and not followed by one.
_FULL_ID = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dXx])")
_FULL_MOBILE = re.compile(r"(?:(?<!\d)|(?<=86))1\d{10}(?!\d)")

FULL_NUMBER_REFUSED = _(
    "Full ID numbers and mobile numbers are not searched through the address bar, where "
    "browser history and server logs would keep them. Use “Find by ID number or phone” on "
    "the residents page; names and the last 4 digits can still be searched here."
)


def holds_full_number(term: str) -> bool:
    """True when the term contains a full ID number or a full mobile number."""
    # NFKC: full-width digits from a Chinese input method become ASCII digits.
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", term or ""))
    return bool(_FULL_ID.search(compact) or _FULL_MOBILE.search(compact))


class NoFullNumberInUrlMixin:
    """For a ModelAdmin (before CommunityScopedAdmin in the bases): refuses a GET search for
    a full ID or mobile number, and loads the script that keeps it out of the URL."""

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "GET"
            and holds_full_number(request.GET.get(SEARCH_VAR, ""))
            and self.has_view_or_change_permission(request)
        ):
            messages.warning(request, FULL_NUMBER_REFUSED)
            params = request.GET.copy()
            del params[SEARCH_VAR]
            query = params.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().changelist_view(request, extra_context)

    @property
    def media(self):
        return super().media + forms.Media(js=["js/search_privacy.js"])
