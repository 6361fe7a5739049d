"""The audit trail in the back office: read-only, by record and by user.

Registered from CommunityConfig.ready(). Each row links to the whole history of its record
(?model=…&object_id=…) and to everything its user did (?actor__id__exact=…).
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ReadOnlyAdmin
from privacy.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "ip", "action", "model", "record_trail", "user_trail"]
    list_filter = ["action", "model"]
    search_fields = ["actor_name", "object_id", "ip", "object_repr"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = [
        "at",
        "actor_name",
        "ip",
        "action",
        "model",
        "object_id",
        "object_repr",
        "changes",
        "community",
    ]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in {"model", "object_id", "actor__id__exact"} or super().lookup_allowed(
            lookup, value, request
        )

    @admin.display(description=_("record"))
    def record_trail(self, obj):
        if not obj.object_id:
            return obj.object_repr
        query = urlencode({"model": obj.model, "object_id": obj.object_id})
        return format_html('<a href="?{}">{} #{}</a>', query, obj.object_repr, obj.object_id)

    @admin.display(description=_("user's trail"))
    def user_trail(self, obj):
        if not obj.actor_id:
            return ""
        return format_html('<a href="?actor__id__exact={}">{}</a>', obj.actor_id, _("all"))
