"""The two rates the scoring takes from the registry's records (indicators `visit_coverage` and
`dual_registration_service`), each one aggregate query whatever the number of rows.

- 重点人群走访覆盖率 (`visit_coverage`): the key-group households are those where a resident
  who still lived there carried a care tag (重点人群 / 关爱对象) at some time in the period;
  the rate is how many of them had a home visit in the period, of any purpose.
- 党员双报到服务率 (`dual_registration_service`): the dual-registered party members are those
  registered with the community (双报到) before the period ends; the rate is how many of them
  have at least one VERIFIED record of volunteer service in the period (hours not verified yet,
  or un-verified by a correction, do not count until they are verified).

Neither figure belongs to one star's records: the rate is the community's whichever star the
indicator is attached to.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from community.models import Household, PartyMember, ResidentTag, Visit, VolunteerService
from governance.queries.indicators import rate_source
from governance.queries.links import admin_url, day


def key_group_tags(*, start, end):
    """Care tags in force at some time in [start, end), of residents living here then."""
    return ResidentTag.objects.filter(
        Q(until__isnull=True) | Q(until__gte=start),
        Q(resident__moved_out__isnull=True) | Q(resident__moved_out__gte=start),
        since__lt=end,
    )


def _visits_url(*, community, start, end, star=None) -> str:
    params = {"visited_on__gte": day(start), "visited_on__lt": day(end)}
    return admin_url("admin:community_visit_changelist", params)


@rate_source(
    "visit_coverage",
    gettext_lazy("Key-group households visited in the period"),
    records_url=_visits_url,
)
def visit_coverage(*, community, start, end, star=None) -> tuple[int, int]:
    """(key-group households visited in [start, end), key-group households then).

    Written as IN (subquery) sets, not per-household EXISTS: each set is read once, so the
    query stays one pass over the tags and the period's visits whatever plan the database
    picks (a per-household EXISTS under stale statistics ran for minutes on PostgreSQL)."""
    households = (
        key_group_tags(start=start, end=end)
        .filter(resident__community=community)
        .values("resident__household_id")
    )
    visited = Visit.objects.filter(
        visited_on__gte=start, visited_on__lt=end, household_id__in=households
    ).values("household_id")
    counts = Household.objects.filter(pk__in=households).aggregate(
        total=Count("id"), done=Count("id", filter=Q(pk__in=visited))
    )
    return counts["done"], counts["total"]


def _services_url(*, community, start, end, star=None) -> str:
    params = {
        "served_on__gte": day(start),
        "served_on__lt": day(end),
        "party_member__isnull": "False",
    }
    return admin_url("admin:community_volunteerservice_changelist", params)


@rate_source(
    "dual_registration_service",
    gettext_lazy("Dual-registered party members with verified service in the period"),
    records_url=_services_url,
)
def dual_registration_service(*, community, start, end, star=None) -> tuple[int, int]:
    """(dual-registered members with verified service in [start, end), members registered
    before `end`)."""
    served = VolunteerService.objects.filter(
        party_member=OuterRef("pk"),
        served_on__gte=start,
        served_on__lt=end,
        verified_by__isnull=False,
    )
    counts = (
        PartyMember.objects.filter(community=community, dual_registered_on__lt=end)
        .annotate(served=Exists(served))
        .aggregate(total=Count("id"), done=Count("id", filter=Q(served=True)))
    )
    return counts["done"], counts["total"]
