from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.models import Notice, NoticeAttachment
from governance.services import notices as notice_services


class NoticeAttachmentInline(ScopedInlineMixin, admin.TabularInline):
    model = NoticeAttachment
    fields = ["title", "file"]
    extra = 0


@admin.register(Notice)
class NoticeAdmin(CommunityScopedAdmin):
    list_display = ["title", "category", "status", "pinned", "publish_at", "expires_at", "visible"]
    list_filter = ["status", "category", "pinned"]
    list_select_related = ["community"]
    search_fields = ["title", "body"]
    date_hierarchy = "publish_at"
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [NoticeAttachmentInline]
    actions = ["publish", "withdraw"]

    @admin.display(description=_("visible to residents now"), boolean=True)
    def visible(self, obj):
        now = timezone.now()
        return (
            obj.status == Notice.Status.PUBLISHED
            and obj.publish_at <= now
            and (obj.expires_at is None or obj.expires_at > now)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected notices"), permissions=["change"])
    def publish(self, request, queryset):
        count = notice_services.publish_notices(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notice published.", "%(count)d notices published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw the selected notices (back to draft)"), permissions=["change"]
    )
    def withdraw(self, request, queryset):
        count = notice_services.withdraw_notices(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notice withdrawn.", "%(count)d notices withdrawn.", count)
            % {"count": count},
            messages.SUCCESS,
        )
