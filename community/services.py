from django.db import transaction

from community.models import Community
from governance.models import Star
from governance.stars import DEFAULT_STARS


@transaction.atomic
def create_community(*, name: str, slug: str, regiment: str = "", division: str = "") -> Community:
    """Create a community together with its six stars."""
    community = Community.objects.create(name=name, slug=slug, regiment=regiment, division=division)
    ensure_stars(community=community)
    return community


@transaction.atomic
def ensure_stars(*, community: Community) -> list[Star]:
    """Give the community any of the six default stars it lacks; existing stars are kept."""
    existing = set(Star.objects.filter(community=community).values_list("code", flat=True))
    Star.objects.bulk_create(
        Star(
            community=community,
            code=code,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            order=order,
        )
        for order, (code, name, name_en, description, description_en) in enumerate(
            DEFAULT_STARS, start=1
        )
        if code not in existing
    )
    return list(Star.objects.filter(community=community))
