"""Home visits in the back office: the visit list, the visits due, and the read-only visit
rows of a household or resident."""

from django.contrib import admin
from django.urls import path

from accounts.access import scoped
from accounts.admin_base import CommunityScopedAdmin
from community import services, views
from community.admin.filters import CommunityFilterMixin, ScopedRelatedFilter
from community.forms import VisitForm
from community.models import Visit


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
    fields = [*VisitForm.Meta.fields, "change_reason", "visitor"]
    readonly_fields = ["visitor"]
    change_list_template = "admin/community/visit/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_place()
            .defer("resident__id_number", "resident__phone")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.visitor = request.user
        services.save_visit(
            visit=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def delete_model(self, request, obj):
        services.delete_visit(visit=obj, actor=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

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
