"""Places in the back office: communities, grids (with their grid workers), compounds,
buildings and units."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.access import staff_of
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from community.admin.filters import CommunityFilterMixin, ScopedRelatedFilter
from community.models import Building, Community, Compound, Grid, GridMember, Unit


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "regiment", "division", "slug"]
    search_fields = ["name", "regiment", "division"]
    prepopulated_fields = {"slug": ["name"]}


class GridMemberInline(ScopedInlineMixin, admin.TabularInline):
    model = GridMember
    extra = 0
    fields = ["user", "role"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = staff_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Grid)
class GridAdmin(CommunityScopedAdmin):
    list_display = ["code", "name", "police_officer", "building_count"]
    search_fields = ["code", "name"]
    inlines = [GridMemberInline]

    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_total=Count("buildings"))

    @admin.display(description=_("number of buildings"), ordering="building_total")
    def building_count(self, obj):
        return obj.building_total


@admin.register(Compound)
class CompoundAdmin(CommunityScopedAdmin):
    list_display = ["name", "building_count"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_total=Count("buildings"))

    @admin.display(description=_("number of buildings"), ordering="building_total")
    def building_count(self, obj):
        return obj.building_total


class UnitInline(ScopedInlineMixin, admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["number"]


@admin.register(Building)
class BuildingAdmin(CommunityFilterMixin, CommunityScopedAdmin):
    list_display = ["__str__", "compound", "number", "kind", "grid"]
    list_filter = [("grid", ScopedRelatedFilter), ("compound", ScopedRelatedFilter), "kind"]
    list_select_related = ["compound", "grid"]
    search_fields = ["number", "compound__name"]
    autocomplete_fields = ["compound"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(CommunityScopedAdmin):
    list_display = ["__str__", "building"]
    list_select_related = ["building__compound"]
    search_fields = ["number", "building__number", "building__compound__name"]
    autocomplete_fields = ["building"]

    def get_model_perms(self, request):
        return {}  # edited on the building page; registered for autocompletes
