"""Objections residents sent from the public site during a notice period (公示).

Staff never add one, and answer each once: while it is open it can be answered, after that it is
read only. The sender's phone is shown masked.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin
from privacy.masks import mask_phone


class ObjectionAdmin(CommunityScopedAdmin):
    list_filter = ["status"]
    search_fields = ["text", "name"]

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != self.model.Status.OPEN:
            return False  # answered or settled: read only
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["response"].required = True
        return form
