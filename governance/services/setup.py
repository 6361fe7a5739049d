"""A new community, ready for the six-star work: the registry's part and the stars."""

from django.db import transaction

from community.models import Community
from community.services import create_community
from governance.services.stars import ensure_stars


@transaction.atomic
def set_up_community(*, name: str, slug: str, regiment: str = "", division: str = "") -> Community:
    """Create a community with its default care groups and its six stars."""
    community = create_community(name=name, slug=slug, regiment=regiment, division=division)
    ensure_stars(community=community)
    return community
