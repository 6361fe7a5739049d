"""The registry's back office: places, residents, visits, party members, the access log.

Every admin is scoped (CommunityScopedAdmin): other communities' rows, and for grid
workers other grids' rows, are invisible in lists, detail pages, autocompletes and
foreign-key choices, and answer 404. ID numbers and phones appear masked; ethnicity and
care tags only for users holding community.view_sensitive_data.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from accounts.access import SCOPES, community_ids, home_community, scoped
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from accounts.paginator import EstimatedCountPaginator
from community import services, views
from community.forms import (
    HouseholdForm,
    PartyMemberForm,
    ReasonExportForm,
    ResidentForm,
    ResidentInlineFormSet,
    VisitForm,
)
from community.models import (
    Building,
    CareTag,
    Community,
    Compound,
    Grid,
    GridMember,
    Household,
    PartyMember,
    Resident,
    ResidentTag,
    Unit,
    Visit,
    VolunteerService,
)
from community.resources import LedgerXLSX, ResidentResource, error_lines, imported_ids
from community.search import mask_search_term, search_households, search_residents
from community.search_privacy import NoFullNumberInUrlMixin, NoFullNumberSearchMixin
from community.uploads import SpreadsheetRefused
from privacy.models import AccessLog

SENSITIVE = "community.view_sensitive_data"


def can_see_sensitive(request) -> bool:
    return request.user.has_perm(SENSITIVE)


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


def _staff_users(request):
    """Accounts of the user's communities (for visitor / grid-member choices)."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    ids = community_ids(request.user)
    if ids is not None:
        users = users.filter(staff_profile__community__in=ids)
    return users


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "regiment", "division", "slug"]
    search_fields = ["name", "regiment", "division"]
    prepopulated_fields = {"slug": ["name"]}


# --- Places ------------------------------------------------------------------------------


class GridMemberInline(ScopedInlineMixin, admin.TabularInline):
    model = GridMember
    extra = 0
    fields = ["user", "role"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = _staff_users(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Grid)
class GridAdmin(CommunityScopedAdmin):
    list_display = ["code", "name", "police_officer", "building_count"]
    search_fields = ["code", "name"]
    inlines = [GridMemberInline]

    ordering = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_total=Count("buildings"))

    @admin.display(description=_("buildings"), ordering="building_total")
    def building_count(self, obj):
        return obj.building_total


@admin.register(Compound)
class CompoundAdmin(CommunityScopedAdmin):
    list_display = ["name", "building_count"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(building_total=Count("buildings"))

    @admin.display(description=_("buildings"), ordering="building_total")
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


# --- People ------------------------------------------------------------------------------


class ResidentInline(ScopedInlineMixin, admin.TabularInline):
    model = Resident
    form = ResidentForm
    formset = ResidentInlineFormSet
    fk_name = "household"
    extra = 0
    show_change_link = True
    fields = [
        "name",
        "gender",
        "birth_date",
        "id_number_entry",
        "phone_entry",
        "relation_to_head",
        "residency_type",
        "moved_out",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("id_number", "phone")


class VisitInline(admin.TabularInline):
    """The visits of a household or resident, read-only (record new ones as visits)."""

    model = Visit
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["visited_on", "visitor", "purpose", "findings", "follow_up_needed"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user).select_related("visitor")


class ResidentVisitInline(VisitInline):
    fk_name = "resident"


class HouseholdVisitInline(VisitInline):
    fk_name = "household"


class ResidentTagInline(ScopedInlineMixin, admin.TabularInline):
    model = ResidentTag
    extra = 0
    fields = ["tag", "since", "until", "note"]
    autocomplete_fields = []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tag":
            kwargs["queryset"] = scoped(CareTag.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _allowed(self, request):
        return can_see_sensitive(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and super().has_delete_permission(request, obj)


@admin.register(Household)
class HouseholdAdmin(CommunityFilterMixin, NoFullNumberInUrlMixin, CommunityScopedAdmin):
    form = HouseholdForm
    list_display = [
        "__str__",
        "compound",
        "grid",
        "head",
        "contact_phone_masked",
        "resident_count",
        "is_low_income",
        "is_zero_employment",
    ]
    list_filter = [
        ("building__grid", ScopedRelatedFilter),
        ("building__compound", ScopedRelatedFilter),
        ("building", ScopedRelatedFilter),
        "is_low_income",
        "is_zero_employment",
    ]
    search_fields = ["door_number", "building__number", "building__compound__name", "head__name"]
    search_help_text = _("Address, head's name, or the contact phone's last 4 digits.")
    ordering = ["building__compound__name", "building__number", "unit__number", "door_number"]
    autocomplete_fields = ["building", "unit", "head"]
    fields = [
        "building",
        "unit",
        "door_number",
        "head",
        "contact_phone_entry",
        "is_low_income",
        "is_zero_employment",
    ]
    inlines = [ResidentInline, HouseholdVisitInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "building__compound", "building__grid", "unit__building__compound", "head"
            )
            .defer("contact_phone", "head__id_number", "head__phone")
            .annotate(resident_total=Count("residents"))
        )

    def get_partial_search_results(self, request, queryset, search_term):
        return search_households(self, request, queryset, search_term)

    @admin.display(description=_("compound"), ordering="building__compound__name")
    def compound(self, obj):
        return obj.building.compound

    @admin.display(description=_("grid"), ordering="building__grid__code")
    def grid(self, obj):
        return obj.building.grid

    @admin.display(description=_("residents"), ordering="resident_total")
    def resident_count(self, obj):
        return obj.resident_total


@admin.register(Resident)
class ResidentAdmin(
    CommunityFilterMixin, NoFullNumberInUrlMixin, ImportExportMixin, CommunityScopedAdmin
):
    form = ResidentForm
    resource_classes = [ResidentResource]
    import_formats = [LedgerXLSX]
    export_formats = [XLSX]
    export_form_class = ReasonExportForm
    import_template_name = "admin/community/resident/import.html"
    change_form_template = "admin/community/resident/change_form.html"
    change_list_template = "admin/community/resident/change_list.html"
    skip_admin_log = True  # the access log records the import instead
    list_display = [
        "name",
        "gender",
        "birth_date",
        "household",
        "grid",
        "id_number_masked",
        "phone_masked",
        "residency_type",
    ]
    list_display_links = ["name"]
    search_fields = ["name"]
    search_help_text = _(
        "A name, the phone's last 4 digits, a full mobile number or a full ID number."
    )
    autocomplete_fields = ["household"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).with_place()

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if can_see_sensitive(request):
            columns[3:3] = ["ethnicity_display", "tag_list"]
        return columns

    def get_list_filter(self, request):
        filters = [
            ("household__building__grid", ScopedRelatedFilter),
            ("household__building__compound", ScopedRelatedFilter),
            ("household__building", ScopedRelatedFilter),
            "residency_type",
            "gender",
        ]
        if can_see_sensitive(request):
            filters.insert(3, ("tags__tag", ScopedRelatedFilter))
        return self.with_community_filter(request, filters)

    def get_fieldsets(self, request, obj=None):
        basics = ["household", "name", "gender", "birth_date"]
        if can_see_sensitive(request):
            basics.append("ethnicity")
        return [
            (None, {"fields": basics}),
            (
                _("Protected personal data"),
                {
                    "fields": ["id_number_entry", "phone_entry"],
                    "description": _(
                        "Stored encrypted and shown masked. Revealing the full values is logged."
                    ),
                },
            ),
            (
                _("Household and status"),
                {
                    "fields": [
                        "relation_to_head",
                        "political_status",
                        "residency_type",
                        "moved_in",
                        "moved_out",
                        "notes",
                    ]
                },
            ),
        ]

    def get_inlines(self, request, obj):
        inlines = [ResidentVisitInline]
        if can_see_sensitive(request):
            inlines.insert(0, ResidentTagInline)
        return inlines

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Do not echo a searched ID number or mobile number back into the page.
        changelist.query = mask_search_term(changelist.query)
        if can_see_sensitive(request):
            tags = ResidentTag.objects.select_related("tag")
            changelist.result_list = changelist.result_list.prefetch_related(
                Prefetch("tags", queryset=tags)
            )
        return changelist

    def get_partial_search_results(self, request, queryset, search_term):
        # Full numbers never get here (NoFullNumberSearchMixin): not by GET, nor through an
        # autocomplete. They are looked up by POST only, in find_view.
        return search_residents(self, request, queryset, search_term)

    @admin.display(description=_("grid"), ordering="household__building__grid__code")
    def grid(self, obj):
        return obj.household.building.grid.code

    @admin.display(description=_("ethnicity"), ordering="ethnicity")
    def ethnicity_display(self, obj):
        return obj.get_ethnicity_display()

    @admin.display(description=_("care tags"))
    def tag_list(self, obj):
        return "、".join(t.tag.name for t in obj.tags.all())

    # -- reveal ---------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "find/",
                self.admin_site.admin_view(self.find_view),
                name="community_resident_find",
            ),
            path(
                "<path:object_id>/reveal/",
                self.admin_site.admin_view(self.reveal_view),
                name="community_resident_reveal",
            ),
            *super().get_urls(),
        ]

    def find_view(self, request):
        return views.find_resident(request, model_admin=self)

    def reveal_view(self, request, object_id):
        return views.reveal_resident(request, object_id, model_admin=self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_reveal": request.user.has_perm("community.reveal_personal_data"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # -- import / export ------------------------------------------------------------------

    def has_import_permission(self, request):
        return request.user.has_perm("community.import_resident")

    def has_export_permission(self, request):
        return request.user.has_perm("community.export_resident")

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user, "community": home_community(request.user)}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        # All rows or none: a row that fails at confirmation time rolls everything back.
        data_kwargs["rollback_on_validation_errors"] = True
        return data_kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetRefused):  # too big, a zip bomb…: say so (community/uploads)
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = getattr(response, "context_data", {}).get("result")
        if result is not None:
            response.context_data["import_errors"] = error_lines(result)
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            for line in error_lines(result)[:50]:
                messages.error(request, line)
            return HttpResponseRedirect(reverse("admin:community_resident_changelist"))
        ids = imported_ids(result)
        services.record_access(
            user=request.user,
            action=AccessLog.Action.IMPORT,
            model=Resident,
            object_ids=ids,
            reason=str(_("Excel import")),
        )
        return super().process_result(result, request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        form = kwargs.get("export_form")
        if form is None or not form.is_valid():
            raise PermissionDenied  # an export needs its reason
        resource = ResidentResource(user=request.user)
        ids = list(resource.filter_export(queryset).values_list("pk", flat=True))
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        services.record_access(
            user=request.user,
            action=AccessLog.Action.EXPORT,
            model=Resident,
            object_ids=ids,
            reason=form.cleaned_data["reason"],
            fields=[f.column_name for f in resource.get_export_fields()],
        )
        return data


@admin.register(CareTag)
class CareTagAdmin(CommunityScopedAdmin):
    list_display = ["name", "visit_every_days", "order", "resident_count"]
    list_editable = ["visit_every_days", "order"]
    search_fields = ["name"]
    ordering = ["order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resident_total=Count("residents"))

    @admin.display(description=_("residents"), ordering="resident_total")
    def resident_count(self, obj):
        return obj.resident_total

    def has_module_permission(self, request):
        return can_see_sensitive(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_see_sensitive(request) and super().has_view_permission(request, obj)


# --- Visits ------------------------------------------------------------------------------


@admin.register(Visit)
class VisitAdmin(CommunityFilterMixin, CommunityScopedAdmin):
    form = VisitForm
    list_display = [
        "visited_on",
        "household",
        "resident",
        "visitor",
        "purpose",
        "follow_up_needed",
    ]
    list_filter = [
        ("household__building__grid", ScopedRelatedFilter),
        "purpose",
        "follow_up_needed",
    ]
    date_hierarchy = "visited_on"
    search_fields = ["household__door_number", "household__building__number", "resident__name"]
    autocomplete_fields = ["household", "resident"]
    fields = [
        "household",
        "resident",
        "visited_on",
        "purpose",
        "findings",
        "follow_up_needed",
        "follow_up_note",
        "visitor",
    ]
    readonly_fields = ["visitor"]
    change_list_template = "admin/community/visit/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_place()
            .defer("resident__id_number", "resident__phone")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.visitor = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "due/",
                self.admin_site.admin_view(self.due_view),
                name="community_visit_due",
            ),
            *super().get_urls(),
        ]

    def due_view(self, request):
        return views.due_visits(request, model_admin=self)


# --- Party members and volunteers --------------------------------------------------------


@admin.register(PartyMember)
class PartyMemberAdmin(CommunityFilterMixin, NoFullNumberSearchMixin, CommunityScopedAdmin):
    form = PartyMemberForm
    list_display = [
        "display_name",
        "kind",
        "status",
        "work_unit",
        "home_branch",
        "dual_registered_on",
        "grid",
        "phone_masked",
    ]
    list_filter = ["kind", "status", ("grid", ScopedRelatedFilter)]
    list_select_related = ["resident", "grid"]
    search_fields = ["name", "resident__name", "work_unit", "home_branch"]
    autocomplete_fields = ["resident"]
    fields = [
        "kind",
        "resident",
        "name",
        "phone_entry",
        "status",
        "joined_on",
        "work_unit",
        "home_branch",
        "dual_registered_on",
        "grid",
        "skills",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("phone", "resident__id_number", "resident__phone")
        )

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        return obj.display_name


@admin.register(VolunteerService)
class VolunteerServiceAdmin(CommunityScopedAdmin):
    list_display = ["served_on", "person", "activity", "hours", "verified_by"]
    list_filter = ["served_on"]
    list_select_related = ["resident", "party_member__resident", "verified_by"]
    search_fields = ["activity", "resident__name", "party_member__name"]
    autocomplete_fields = ["resident", "party_member"]
    fields = ["resident", "party_member", "activity", "served_on", "hours", "verified_by"]
    readonly_fields = ["verified_by"]
    actions = ["verify"]
    date_hierarchy = "served_on"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("resident__id_number", "resident__phone", "party_member__phone")
        )

    def save_model(self, request, obj, form, change):
        person = obj.resident or obj.party_member
        if person is not None:
            obj.community_id = person.community_id
        super().save_model(request, obj, form, change)

    @admin.display(description=_("volunteer"))
    def person(self, obj):
        return obj.resident.name if obj.resident_id else obj.party_member.display_name

    @admin.action(description=_("Verify the selected hours"), permissions=["change"])
    def verify(self, request, queryset):
        count = services.verify_volunteer_services(user=request.user, services=queryset)
        self.message_user(request, _("%(count)s records verified.") % {"count": count})


# --- Access log --------------------------------------------------------------------------


@admin.register(AccessLog)
class AccessLogAdmin(CommunityScopedAdmin):
    list_display = ["at", "user", "action", "model", "record_count", "reason", "record_link"]
    list_filter = ["action", "model"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    search_fields = ["user__username", "reason"]
    readonly_fields = [
        "at",
        "user",
        "action",
        "model",
        "record_count",
        "object_ids",
        "fields",
        "reason",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("record"))
    def record_link(self, obj):
        if obj.model == "community.resident" and obj.record_count == 1:
            url = reverse("admin:community_resident_change", args=[obj.object_ids[0]])
            return format_html('<a href="{}">#{}</a>', url, obj.object_ids[0])
        return ""
