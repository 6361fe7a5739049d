from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.admin._people import PeopleFieldsMixin
from governance.forms.projects import ContractForm, MilestonePhotoForm
from governance.models import (
    BudgetLine,
    Contract,
    Inspection,
    Milestone,
    MilestonePhoto,
    Payment,
    Project,
)
from governance.models.council import Motion
from governance.queries.projects import projects_with_figures


class BudgetLineInline(ScopedInlineMixin, admin.TabularInline):
    model = BudgetLine
    fields = ["order", "title", "amount"]
    extra = 0


class MilestoneInline(ScopedInlineMixin, admin.TabularInline):
    model = Milestone
    fields = ["order", "title", "due_on", "progress", "done_on"]
    extra = 0
    show_change_link = True


class MotionInline(ScopedInlineMixin, admin.TabularInline):
    model = Motion
    fields = ["title", "status", "execution", "executed_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("council decisions")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(CommunityScopedAdmin):
    list_display = ["name", "status", "budget", "spent_column", "variance_column", "progress"]
    list_filter = ["status", "is_public"]
    list_select_related = ["community", "compound"]
    search_fields = ["name", "summary"]
    readonly_fields = ["created_at"]
    inlines = [BudgetLineInline, MilestoneInline, MotionInline]

    def get_queryset(self, request):
        return projects_with_figures(super().get_queryset(request))

    @admin.display(description=_("spent (yuan)"), ordering="spent")
    def spent_column(self, obj):
        return obj.spent

    @admin.display(description=_("budget left (yuan)"))
    def variance_column(self, obj):
        variance = obj.budget - obj.spent
        if variance < 0:
            return format_html('<strong class="errornote">{}</strong>', variance)
        return variance

    @admin.display(description=_("progress (%)"), ordering="progress_avg")
    def progress(self, obj):
        return round(obj.progress_avg or 0)


class PaymentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = sum(
            (form.cleaned_data.get("amount") or Decimal(0))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if total > self.instance.amount:
            raise ValidationError(
                _("Payments total ¥%(total)s, more than the contract amount ¥%(amount)s.")
                % {"total": total, "amount": self.instance.amount}
            )


class PaymentInline(ScopedInlineMixin, admin.TabularInline):
    model = Payment
    formset = PaymentFormSet
    fields = ["paid_on", "amount", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0


@admin.register(Contract)
class ContractAdmin(CommunityScopedAdmin):
    form = ContractForm
    list_display = ["title", "contractor", "project", "budget_line", "amount", "signed_on"]
    list_filter = ["project"]
    list_select_related = ["project", "budget_line"]
    search_fields = ["title", "contractor"]
    inlines = [PaymentInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Payment) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
        formset.save_m2m()
        for instance in instances:
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


class MilestonePhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = MilestonePhoto
    form = MilestonePhotoForm
    fields = ["stage", "image", "alt_text"]
    extra = 0


@admin.register(Milestone)
class MilestoneAdmin(CommunityScopedAdmin):
    list_display = ["title", "project", "due_on", "progress", "done_on"]
    list_filter = ["project"]
    list_select_related = ["project"]
    search_fields = ["title"]
    inlines = [MilestonePhotoInline]


@admin.register(Inspection)
class InspectionAdmin(PeopleFieldsMixin, CommunityScopedAdmin):
    list_display = ["inspected_on", "project", "milestone", "supervisor", "outcome"]
    list_filter = ["outcome", "project"]
    list_select_related = ["project", "milestone", "supervisor"]
    search_fields = ["findings"]
    people_fields = ("supervisor",)
    date_hierarchy = "inspected_on"
