"""Back office of the work ledger (台账), the star teams and the weekly dispatch (周调度).

Saving goes through governance/services/ledger.py: members keep their own star's records, and a
record of
a locked month needs the secretary and a reason (logged; the score is marked stale).
"""

import datetime

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import home_community, scoped, staff_of
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from accounts.paginator import EstimatedCountPaginator
from accounts.portal_date import view_today
from governance.forms.work import (
    WeeklyTaskForm,
    WorkLogAttachmentForm,
    WorkLogForm,
    WorkLogPhotoForm,
)
from governance.models import (
    Star,
    StarMember,
    WeeklyTask,
    WorkLog,
    WorkLogAttachment,
    WorkLogPhoto,
)
from governance.services import ledger
from governance.services.locked_months import is_month_locked


class ServiceSavedAdmin(CommunityScopedAdmin):
    """Binds the editor to the form and leaves out the community field the base class fills."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self._fills_community(request) and "community" in fields:
            fields.remove("community")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(
            form.__name__,
            (form,),
            {"actor": request.user, "community": home_community(request.user)},
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting goes through the service one record at a time (locked months, own star).
        actions.pop("delete_selected", None)
        return actions

    def _prepare(self, request, obj):
        if not obj.community_id:
            obj.community = home_community(request.user)

    def _writes(self, request, obj) -> bool:
        """Whether the user keeps this record (obj None: records of this kind); all by default."""
        return True

    def _month_of(self, obj) -> tuple[list[int], datetime.date]:
        """The record's stars and the day whose month it counts in."""
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._writes(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not (super().has_delete_permission(request, obj) and self._writes(request, obj)):
            return False
        if obj is None:
            return True
        # A record of a locked month is only changed (with a reason), never deleted here.
        star_ids, day = self._month_of(obj)
        return not is_month_locked(community=obj.community_id, star_ids=star_ids, day=day)


@admin.register(StarMember)
class StarMemberAdmin(CommunityScopedAdmin):
    list_display = ["user", "star", "role", "since"]
    list_filter = [("star", admin.RelatedOnlyFieldListFilter), "role"]
    list_select_related = ["user", "star"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "star__name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = staff_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkLogPhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = WorkLogPhoto
    form = WorkLogPhotoForm
    fields = ["preview", "image", "alt_text", "order"]
    readonly_fields = ["preview"]
    extra = 0

    @admin.display(description=_("thumbnail"))
    def preview(self, obj):
        if obj and obj.thumbnail:
            return format_html(
                '<img src="{}" alt="{}" width="96">', obj.thumbnail.url, obj.alt_text
            )
        return "—"


class WorkLogAttachmentInline(ScopedInlineMixin, admin.TabularInline):
    model = WorkLogAttachment
    form = WorkLogAttachmentForm
    fields = ["title", "file"]
    extra = 0


class ScopedStarFilter(admin.RelatedFieldListFilter):
    """The stars of the user's own communities, in one query."""

    def field_choices(self, field, request, model_admin):
        stars = scoped(Star.objects.select_related("community"), request.user)
        return [(star.pk, str(star)) for star in stars]


@admin.register(WorkLog)
class WorkLogAdmin(ServiceSavedAdmin):
    form = WorkLogForm
    list_display = [
        "date",
        "title",
        "kind",
        "star_names",
        "participants",
        "households_reached",
        "brochures",
        "online_posts",
        "is_public",
        "author",
    ]
    # The user's stars, not "related only": that scans every entry's stars (1 s at 1 M rows).
    list_filter = [("stars", ScopedStarFilter), "kind", "is_public"]
    list_select_related = ["author"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "date"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["author", "created_at", "updated_at"]
    fields = [
        "community",
        "stars",
        "date",
        "kind",
        "title",
        "description",
        "place",
        ("participants", "households_reached"),
        ("brochures", "online_posts"),
        "is_public",
        "change_reason",
        "author",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = []
    inlines = [WorkLogPhotoInline, WorkLogAttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("stars")

    @admin.display(description=_("stars"))
    def star_names(self, obj):
        return "、".join(star.name for star in obj.stars.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "stars":
            kwargs["widget"] = admin.widgets.FilteredSelectMultiple(_("stars"), False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _writes(self, request, obj) -> bool:
        if obj is None or ledger.writes_every_star(request.user):
            return True
        return ledger.writes_entry(request.user, obj)

    def _month_of(self, obj):
        return [star.id for star in obj.stars.all()], obj.date

    def save_model(self, request, obj, form, change):
        self._prepare(request, obj)
        ledger.save_work_log(
            worklog=obj,
            stars=form.cleaned_data["stars"],
            actor=request.user,
            reason=form.cleaned_data.get("change_reason", ""),
        )

    def save_related(self, request, form, formsets, change):
        # The stars were set by the service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkLogPhoto:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for photo in formset.deleted_objects:
            photo.delete()
        for photo_form in formset.forms:
            if photo_form in formset.deleted_forms or not photo_form.has_changed():
                continue
            image = None
            if "image" in photo_form.changed_data:
                image = photo_form.cleaned_data["image"]
            ledger.save_work_log_photo(photo=photo_form.instance, actor=request.user, image=image)

    def delete_model(self, request, obj):
        ledger.delete_work_log(worklog=obj, actor=request.user)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        today = view_today()
        overdue = WeeklyTask.objects.overdue(today).values("id")
        if self.value() == "yes":
            return queryset.filter(id__in=overdue)
        if self.value() == "no":
            return queryset.exclude(id__in=overdue)
        return queryset


@admin.register(WeeklyTask)
class WeeklyTaskAdmin(ServiceSavedAdmin):
    form = WeeklyTaskForm
    list_display = [
        "title",
        "star",
        "week_label",
        "owner",
        "due_date",
        "status",
        "overdue_flag",
        "week_link",
    ]
    list_filter = [("star", admin.RelatedOnlyFieldListFilter), "status", OverdueFilter]
    list_select_related = ["star", "owner"]
    search_fields = ["title", "description", "outcome"]
    date_hierarchy = "due_date"
    readonly_fields = ["carried_from", "created_by", "created_at", "updated_at"]
    fields = [
        "community",
        "star",
        "week_start",
        "title",
        "description",
        "owner",
        "due_date",
        "status",
        "outcome",
        "closed_on",
        "change_reason",
        "carried_from",
        "created_by",
        "created_at",
        "updated_at",
    ]
    actions = ["carry_over"]

    @admin.display(description=_("week"), ordering="week_start")
    def week_label(self, obj):
        year, week = obj.iso_week
        return _("%(year)d week %(week)d") % {"year": year, "week": week}

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj):
        return obj.is_overdue(view_today())

    @admin.display(description=_("week view"))
    def week_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_week_url(), _("Week view"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = staff_of(request.user)
        if db_field.name == "star" and not ledger.writes_every_star(request.user):
            kwargs["queryset"] = ledger.writable_stars(request.user, home_community(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _writes(self, request, obj) -> bool:
        return obj is None or ledger.can_write_star(request.user, obj.star_id)

    def _month_of(self, obj):
        return [obj.star_id], obj.due_date

    def save_model(self, request, obj, form, change):
        self._prepare(request, obj)
        ledger.save_weekly_task(
            task=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def delete_model(self, request, obj):
        ledger.delete_weekly_task(task=obj, actor=request.user)

    @admin.action(
        description=_("Carry the open tasks of these weeks into the next week"),
        permissions=["change"],
    )
    def carry_over(self, request, queryset):
        star_ids = None
        if not ledger.writes_every_star(request.user):
            star_ids = ledger.own_star_ids(request.user)
        weeks = (
            queryset.filter(status__in=WeeklyTask.OPEN_STATUSES)
            .values_list("community_id", "week_start")
            .distinct()
            .order_by("week_start")
        )
        carried = 0
        for community_id, week in weeks:
            carried += len(
                ledger.carry_open_tasks(community=community_id, week=week, star_ids=star_ids)
            )
        self.message_user(
            request,
            ngettext("%(count)d task carried over.", "%(count)d tasks carried over.", carried)
            % {"count": carried},
            messages.SUCCESS,
        )
