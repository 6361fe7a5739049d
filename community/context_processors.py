from django.utils.functional import SimpleLazyObject

from community.queries import community_for_request
from community.views import ELDER_COOKIE


def portal(request):
    """The header's community (queried only if a template uses it) and the elder-mode choice."""
    return {
        "portal_community": SimpleLazyObject(lambda: community_for_request(request)),
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
    }
