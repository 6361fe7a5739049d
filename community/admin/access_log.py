"""The personal-data access log (reveals, exports, imports): read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ReadOnlyAdmin
from privacy.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
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

    @admin.display(description=_("record"))
    def record_link(self, obj):
        if obj.model == "community.resident" and obj.record_count == 1:
            url = reverse("admin:community_resident_change", args=[obj.object_ids[0]])
            return format_html('<a href="{}">#{}</a>', url, obj.object_ids[0])
        return ""
