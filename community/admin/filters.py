"""The list filters the registry shares: place filters that list only the rows the user may
see, and a "community" filter first for users who see several communities."""

import datetime

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.access import SCOPES, community_ids, scoped
from community.models import Building, Resident

# A filter lists at most this many choices. A user who sees every community (a superuser, the
# division) would otherwise get every grid, compound and building of the division in the
# sidebar (2,000 buildings at 50 communities: most of the resident list's time); past the
# limit they choose a community first (the "community" filter) and get its places.
FILTER_CHOICES_LIMIT = 200
COMMUNITY_PARAMETER = "community__id__exact"


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A foreign-key filter whose choices are only the rows the user may see (at most
    FILTER_CHOICES_LIMIT; within the chosen community, if one is chosen)."""

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        queryset = scoped(model._default_manager.all(), request.user)
        chosen = request.GET.get(COMMUNITY_PARAMETER, "")
        if chosen.isdigit() and model in SCOPES:
            queryset = queryset.filter(**{SCOPES[model][0]: chosen})
        if model is Building:
            queryset = queryset.select_related("compound")
        rows = list(queryset[: FILTER_CHOICES_LIMIT + 1])
        if len(rows) > FILTER_CHOICES_LIMIT:
            return []
        return [(obj.pk, str(obj)) for obj in rows]


def spans_communities(user) -> bool:
    """True for a user who sees more than one community (or all of them)."""
    ids = community_ids(user)
    return ids is None or len(ids) > 1


class CommunityFilterMixin:
    """A "community" filter first, for users who see several communities: the place filters
    then list the chosen community's grids, compounds and buildings."""

    def get_list_filter(self, request):
        return self.with_community_filter(request, super().get_list_filter(request))

    @staticmethod
    def with_community_filter(request, filters):
        filters = list(filters)
        if spans_communities(request.user):
            filters.insert(0, ("community", ScopedRelatedFilter))
        return filters


class AsOfFilter(admin.SimpleListFilter):
    """The rows as of a day (`?living_on=2025-01-01`: those living here on its eve), the
    population an annual figure counts. Only shown when a link sets it: a figure's link lists
    exactly the records it counts."""

    title = _("living here at the end of the period")
    parameter_name = "living_on"

    def day(self):
        try:
            return datetime.date.fromisoformat(self.value() or "")
        except ValueError:
            return None

    def lookups(self, request, model_admin):
        day = self.day()
        if day is None:
            return []
        last = day - datetime.timedelta(days=1)
        return [(self.value(), _("On %(day)s") % {"day": last.isoformat()})]

    def living(self, queryset_of_residents):
        return queryset_of_residents.living_on(self.day())


class ResidentAsOfFilter(AsOfFilter):
    def queryset(self, request, queryset):
        return self.living(queryset) if self.day() else queryset


class HouseholdAsOfFilter(AsOfFilter):
    title = _("lived in at the end of the period")

    def queryset(self, request, queryset):
        if not self.day():
            return queryset
        residents = self.living(Resident.objects.filter(household=OuterRef("pk")))
        return queryset.filter(Exists(residents))
