"""Back office of the scores' inputs (indicators, weights, manual values, vetoes) and results.

Scores are calculated, reviewed and locked on the dashboard (/dashboard/); here they are read.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import home_community, is_secretary
from accounts.admin_base import CommunityScopedAdmin, ReadOnlyAdmin
from governance.admin.work import ServiceSavedAdmin
from governance.forms.scoring import IndicatorForm, ManualValueForm, VetoEventForm
from governance.models import (
    Indicator,
    LockedChange,
    ManualValue,
    MonthlyScore,
    QuarterlyAssessment,
    ScoringRule,
    VetoEvent,
)
from governance.services import scoring


@admin.register(ScoringRule)
class ScoringRuleAdmin(CommunityScopedAdmin):
    list_display = [
        "valid_from",
        "weight_objective",
        "weight_review",
        "weight_satisfaction",
        "bonus_cap",
        "deduction_per_task",
        "deduction_cap",
        "max_score",
    ]
    list_select_related = ["community"]


@admin.register(Indicator)
class IndicatorAdmin(CommunityScopedAdmin):
    form = IndicatorForm
    list_display = ["name", "star", "source", "monthly_target", "weight", "is_active", "order"]
    list_editable = ["monthly_target", "weight", "is_active"]
    list_filter = [("star", admin.RelatedOnlyFieldListFilter), "source", "is_active"]
    list_select_related = ["star"]
    search_fields = ["name"]
    ordering = ["star__order", "order", "id"]

    def save_model(self, request, obj, form, change):
        if not obj.community_id:
            obj.community = home_community(request.user) or obj.star.community
        super().save_model(request, obj, form, change)


class ReasonAdmin(ServiceSavedAdmin):
    """Forms with a "reason for the change" field, saved through a service."""


class IndicatorListFilter(admin.RelatedOnlyFieldListFilter):
    """The indicators in use, labelled "star · name" in one query (not one per indicator)."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values_list("indicator_id", flat=True)
        indicators = Indicator.objects.filter(pk__in=used).select_related("star")
        return [(indicator.pk, str(indicator)) for indicator in indicators]


@admin.register(ManualValue)
class ManualValueAdmin(ReasonAdmin):
    form = ManualValueForm
    list_display = ["indicator", "month", "value", "note", "entered_by"]
    list_filter = [("indicator", IndicatorListFilter), "month"]
    list_select_related = ["indicator__star", "entered_by"]
    readonly_fields = ["entered_by", "entered_at"]

    def get_fields(self, request, obj=None):
        return ["indicator", "month", "value", "note", "change_reason", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(source=Indicator.Source.MANUAL)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        scoring.save_manual_value(
            value=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VetoEvent)
class VetoEventAdmin(ReasonAdmin):
    form = VetoEventForm
    list_display = ["date", "star", "kind", "recorded_by"]
    list_filter = [("star", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["star", "recorded_by"]
    date_hierarchy = "date"
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_fields(self, request, obj=None):
        fields = ["community", "star", "date", "kind", "description", "change_reason"]
        if self._fills_community(request):
            fields.remove("community")
        return [*fields, *self.readonly_fields]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_secretary(request.user)

    def _writes(self, request, obj) -> bool:
        return is_secretary(request.user)

    def _month_of(self, obj):
        return [obj.star_id], obj.date

    def save_model(self, request, obj, form, change):
        self._prepare(request, obj)
        scoring.save_veto_event(
            event=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def delete_model(self, request, obj):
        scoring.delete_veto_event(event=obj, actor=request.user)


@admin.register(MonthlyScore)
class MonthlyScoreAdmin(ReadOnlyAdmin):
    list_display = [
        "month_label",
        "star",
        "state",
        "objective",
        "review",
        "satisfaction",
        "bonus",
        "deduction",
        "vetoed",
        "total",
        "rank",
        "stale",
        "explain",
    ]
    list_filter = ["state", "stale", "vetoed", ("star", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["star"]
    date_hierarchy = "month"
    ordering = ["-month", "rank", "star__order"]

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("explanation"))
    def explain(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("How it is made"))


@admin.register(LockedChange)
class LockedChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "score", "record", "action", "reason", "user"]
    list_select_related = ["score__star", "user"]
    date_hierarchy = "at"


@admin.register(QuarterlyAssessment)
class QuarterlyAssessmentAdmin(ReadOnlyAdmin):
    list_display = [
        "year",
        "quarter",
        "star",
        "mean_score",
        "vetoed",
        "status",
        "grade",
        "stale",
        "page",
    ]
    list_filter = [
        "year",
        "quarter",
        "status",
        "stale",
        ("star", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["star"]

    @admin.display(description=_("assessment page"))
    def page(self, obj):
        url = reverse(
            "governance:dashboard-quarter", kwargs={"year": obj.year, "quarter": obj.quarter}
        )
        return format_html('<a href="{}">{}</a>', url, pgettext_lazy("link", "Open"))
