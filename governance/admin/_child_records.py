"""A record whose inline rows are other people's work: a pairing's contacts, a course's
enrolments. A user who may add or change those rows but not the record itself (a grid worker
recording a pairing contact, the jobs star's lead registering trainees) opens the record's
page with the record's own fields read-only and saves the rows; the record is not written."""

from django.contrib.admin.utils import flatten_fieldsets

from accounts.admin_base import VERSION_FIELD


class ChildRecordsMixin:
    """For a CommunityScopedAdmin with inlines of `child_models`."""

    child_models: tuple = ()

    def changes_record(self, request, obj=None) -> bool:
        """The model permission to change the record itself."""
        return super().has_change_permission(request, obj)

    def keeps_children(self, request) -> bool:
        user = request.user
        return any(
            user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
            for model in self.child_models
            for action in ("add", "change")
        )

    def has_change_permission(self, request, obj=None):
        if self.changes_record(request, obj):
            return True
        return (
            obj is not None
            and self.keeps_children(request)
            and self.has_view_permission(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or self.changes_record(request, obj):
            return readonly
        if self.fieldsets or self.fields:
            shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        else:
            opts = self.model._meta
            shown = [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable]
        hidden = {*(self.get_exclude(request, obj) or ()), self.model._meta.pk.name, VERSION_FIELD}
        return readonly + [name for name in shown if name not in hidden and name not in readonly]

    def save_model(self, request, obj, form, change):
        if change and not self.changes_record(request, obj):
            return  # only the inline rows are the user's to write
        super().save_model(request, obj, form, change)
