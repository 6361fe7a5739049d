from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from community.models import Community


def public_community() -> Community | None:
    """The community the public site shows: the configured one, else the oldest (one query)."""
    return (
        Community.objects.annotate(
            preferred=Case(
                When(slug=settings.PORTAL_COMMUNITY_SLUG, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("preferred", "id")
        .first()
    )


def community_for_request(request) -> Community | None:
    """public_community(), looked up once per request."""
    if not hasattr(request, "_public_community"):
        request._public_community = public_community()
    return request._public_community
