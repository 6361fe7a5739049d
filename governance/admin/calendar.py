"""The working-day calendar in the back office: the State Council's schedule (loaded, shown
read-only in the list with its source) and staff's local corrections. Every save and delete goes
through governance.services.calendar, which recalculates the open requests' deadlines."""

from django.contrib import admin, messages
from django.utils.translation import gettext

from governance.models.requests import CalendarDay
from governance.services.calendar import delete_calendar_days, save_calendar_day


def _report(request, result) -> None:
    if result.recalculated:
        messages.info(
            request,
            gettext("%(count)d open request deadline(s) recalculated.")
            % {"count": result.recalculated},
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["source", "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        _report(request, save_calendar_day(day=obj, actor=request.user))

    def delete_model(self, request, obj):
        _report(request, delete_calendar_days(days=[obj], actor=request.user))

    def delete_queryset(self, request, queryset):
        _report(request, delete_calendar_days(days=queryset, actor=request.user))
