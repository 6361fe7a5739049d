import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.access import scoped
from community.models import Community, Grid, Household, Resident, ResidentTag, Visit

# The public site's community, cached (every public page needs it; it changes perhaps once a
# year). A save or delete of any community deletes the entry (community.apps connects
# forget_public_community); with the default per-process local-memory cache another gunicorn
# worker may show a renamed community for up to PUBLIC_COMMUNITY_TIMEOUT seconds.
PUBLIC_COMMUNITY_KEY = "hx:public-community"
PUBLIC_COMMUNITY_TIMEOUT = 60


def public_community() -> Community | None:
    """The community the public site shows: the configured one, else the oldest.

    One query, or none while the cached answer is fresh. "No community yet" is not cached, so
    the site appears as soon as the first community is created."""
    community = cache.get(PUBLIC_COMMUNITY_KEY)
    if community is None:
        community = _find_public_community()
        if community is not None:
            cache.set(PUBLIC_COMMUNITY_KEY, community, PUBLIC_COMMUNITY_TIMEOUT)
    return community


def forget_public_community(**kwargs) -> None:
    """Receiver of Community's post_save/post_delete: the next request looks it up again."""
    cache.delete(PUBLIC_COMMUNITY_KEY)
    transaction.on_commit(lambda: cache.delete(PUBLIC_COMMUNITY_KEY))


def _find_public_community() -> Community | None:
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


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (two dates), on SQLite and PostgreSQL."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return f"({later[0]} - {earlier[0]})", [*later[1], *earlier[1]]

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        return (
            f"CAST(julianday({later[0]}) - julianday({earlier[0]}) AS INTEGER)",
            [*later[1], *earlier[1]],
        )


def active_tags(*, today: dt.date):
    """Care tags in force today, of residents who still live here."""
    return ResidentTag.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        since__lte=today,
        resident__moved_out__isnull=True,
    )


def due_visits(user, *, today: dt.date | None = None, grid: Grid | None = None):
    """The households a user should visit, most urgent first.

    A household is on the list when one of its current residents has a care tag; it is due
    every N days, N being the smallest visit frequency among those tags, counted from its
    last visit (never visited: due now). All computed in SQL, one row per household:
    `interval`, `last_visit`, `days_since` (None if never visited) and `overdue_days`
    (> 0: overdue by that many days; None: never visited).
    """
    today = today or timezone.localdate()
    interval = Subquery(
        active_tags(today=today)
        .filter(resident__household=OuterRef("pk"))
        .values("resident__household")
        .annotate(days=Min("tag__visit_every_days"))
        .values("days")[:1],
        output_field=IntegerField(),
    )
    last_visit = Subquery(
        Visit.objects.filter(household=OuterRef("pk"))
        .values("household")
        .annotate(last=Max("visited_on"))
        .values("last")[:1],
        output_field=DateField(),
    )
    households = scoped(Household.objects.all(), user)
    if grid is not None:
        households = households.filter(building__grid=grid)
    today_value = Value(today, output_field=DateField())
    return (
        households.annotate(interval=interval, last_visit=last_visit)
        .filter(interval__isnull=False)
        .annotate(days_since=DaysBetween(today_value, F("last_visit")))
        .annotate(
            overdue_days=ExpressionWrapper(
                F("days_since") - F("interval"), output_field=IntegerField()
            ),
            due_in_days=ExpressionWrapper(
                F("interval") - F("days_since"), output_field=IntegerField()
            ),
            never_visited=Case(
                When(last_visit__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("building__compound", "building__grid", "unit")
        .order_by("-never_visited", F("overdue_days").desc(nulls_last=True), "pk")
    )


def with_tagged_residents(households, *, today: dt.date | None = None):
    """Prefetch each household's current residents and their tags in force (2 queries)."""
    today = today or timezone.localdate()
    tags = active_tags(today=today).select_related("tag")
    residents = Resident.objects.current().defer("id_number", "phone")
    return households.prefetch_related(
        Prefetch(
            "residents",
            queryset=residents.prefetch_related(Prefetch("tags", queryset=tags)),
            to_attr="current_residents",
        )
    )


def find_same_id_number(*, community_id: int, id_number: str, exclude_pk: int | None = None):
    """The resident already registered with this ID number in the community, if any."""
    qs = Resident.objects.filter(community_id=community_id).by_id_number(id_number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.only("pk", "name", "community_id").first()
