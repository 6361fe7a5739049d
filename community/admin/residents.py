"""Households, residents (protected personal data, reveal, Excel import and export) and
care tags in the back office."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from accounts.access import home_community, scoped
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from accounts.paginator import EstimatedCountPaginator
from community import services, views
from community.admin.filters import (
    CommunityFilterMixin,
    HouseholdAsOfFilter,
    ResidentAsOfFilter,
    ScopedRelatedFilter,
)
from community.admin.visits import HouseholdVisitInline, ResidentVisitInline
from community.forms import HouseholdForm, ReasonExportForm, ResidentForm, ResidentInlineFormSet
from community.models import CareTag, Household, Resident, ResidentTag
from community.resources import LedgerFile, ResidentResource, error_lines, imported_ids
from community.search import (
    ADDRESS_FIELD,
    mask_search_term,
    search_households,
    search_residents,
)
from community.search_privacy import NoFullNumberInUrlMixin
from community.uploads import SpreadsheetRefused
from privacy.models import AccessLog

SENSITIVE = "community.view_sensitive_data"


def can_see_sensitive(request) -> bool:
    return request.user.has_perm(SENSITIVE)


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
        HouseholdAsOfFilter,
    ]
    search_fields = [ADDRESS_FIELD, "head__name"]
    search_help_text = _(
        "The address as shown (e.g. 康乐小区1排2号), the head's name, or the contact phone's "
        "last 4 digits."
    )
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
    import_formats = [LedgerFile]
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
    search_fields = ["name", ADDRESS_FIELD]
    search_help_text = _(
        "A name, the household's address as shown (e.g. 康乐小区1排2号), the phone's last 4 "
        "digits, a full mobile number or a full ID number."
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
            ResidentAsOfFilter,
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
