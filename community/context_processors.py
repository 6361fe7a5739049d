from django.utils.functional import SimpleLazyObject

from accounts.portal_date import demo_today
from community.elder_mode import ELDER_COOKIE
from community.queries import community_for_request

# A page rendered for the page cache (governance.queries.caching.cached_page) carries this
# instead of the CSRF token; the token of each visitor replaces it when the page is served. Only
# letters, digits and dashes, so HTML escaping leaves it alone, and a real token (letters and
# digits only) can never contain it.
CSRF_PLACEHOLDER = "hx-csrf-placeholder-5c1e9a7d3b"
PAGE_CACHE_ATTRIBUTE = "_hx_page_cache"


def portal(request):
    """The header's community (queried only if a template uses it), the elder-mode choice and
    the demo's day (PORTAL_TODAY, shown on staff pages while it is set)."""
    return {
        "demo_today": demo_today(),
        "portal_community": SimpleLazyObject(lambda: community_for_request(request)),
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        # A page rendered for governance.queries.caching.cached_page gets a placeholder token.
        **(
            {"csrf_token": CSRF_PLACEHOLDER}
            if getattr(request, PAGE_CACHE_ATTRIBUTE, False)
            else {}
        ),
    }
