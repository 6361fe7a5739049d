"""Notices: publishing and withdrawing them (the public pages follow at once)."""

from django.db import transaction
from django.utils import timezone

from governance.models import Notice
from governance.queries.caching import bump_public_version


@transaction.atomic
def publish_notices(*, queryset) -> int:
    _bump_public_pages(queryset)
    return queryset.exclude(status=Notice.Status.PUBLISHED).update(
        status=Notice.Status.PUBLISHED, updated_at=timezone.now()
    )


@transaction.atomic
def withdraw_notices(*, queryset) -> int:
    _bump_public_pages(queryset)
    return queryset.filter(status=Notice.Status.PUBLISHED).update(
        status=Notice.Status.DRAFT, updated_at=timezone.now()
    )


def _bump_public_pages(queryset) -> None:
    """update() sends no signals: invalidate the cached public pages
    (governance.queries.caching)."""
    for community_id in set(queryset.values_list("community_id", flat=True)):
        bump_public_version(community_id)
