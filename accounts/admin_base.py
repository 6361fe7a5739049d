"""The back office's base ModelAdmin: every list, form, choice and autocomplete is scoped.

Subclass CommunityScopedAdmin for any model registered with accounts.access.register_scope:
rows of other communities (and, for grid workers, other grids) are invisible and answer 404;
foreign-key choices are limited the same way; a new row gets the editor's community.
"""

import hashlib
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.access import SCOPES, home_community, scoped

VERSION_FIELD = "record_version"


def record_version(obj) -> str:
    """A fingerprint of the row as loaded: it changes whenever anybody saves the row."""
    row = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    text = json.dumps(row, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_version(model, pk) -> str:
    """The row's fingerprint now. On PostgreSQL the row stays locked until the admin's
    transaction ends; SQLite's IMMEDIATE transactions already serialise writers."""
    if connection.features.has_select_for_update:
        rows = model._base_manager.filter(pk=pk).order_by().select_for_update(of=("self",))
        list(rows.values_list("pk"))
        return record_version(model._base_manager.get(pk=pk))
    return None


class OptimisticLockingMixin:
    """Two people editing one record: the form carries the fingerprint of the row it was
    opened on; saving checks it against the row (locked, inside the admin's transaction) and
    refuses with a clear message if somebody else saved in between, so no update is lost."""

    optimistic_locking = True

    def related_version(self, obj) -> str:
        """A fingerprint of the rows saved together with obj (its inlines), read now; empty
        by default. An admin whose inlines matter overrides it."""
        return ""

    def _versioned_form(self, base, obj):
        model, related_version = self.model, self.related_version
        # obj was just read by the change view: on a POST, that is the row as it is now.
        version = record_version(obj) + related_version(obj)

        def clean(form):
            cleaned = base.clean(form)
            sent = form.data.get(VERSION_FIELD)
            # The row first (on PostgreSQL that locks it), then the rows saved with it.
            current = current_version(model, obj.pk)
            if current is not None:
                current += related_version(obj)
            if sent and sent != (current or version):
                raise ValidationError(
                    _(
                        "Somebody else saved this record after you opened it. Your changes "
                        "were not saved: open the record again to see theirs, then redo yours."
                    ),
                    code="conflict",
                )
            return cleaned

        field = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=version,
        )
        return type(base.__name__, (base,), {VERSION_FIELD: field, "clean": clean})

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.optimistic_locking and obj is not None and obj.pk is not None:
            kwargs["form"] = self._versioned_form(kwargs.get("form") or self.form, obj)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not (self.optimistic_locking and obj is not None and obj.pk is not None):
            return fieldsets
        if VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        if not self.has_change_permission(request, obj):
            return fieldsets  # read-only: nothing to save, nothing to check
        (name, options), *rest = fieldsets
        first = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return [first, *rest]


def scope_choices(db_field, request, kwargs) -> None:
    """A relation to a scoped model offers only the rows within the user's scope."""
    related = db_field.related_model
    if related in SCOPES:
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = related._default_manager.all()
        kwargs["queryset"] = scoped(queryset, request.user)


class CommunityScopedAdmin(OptimisticLockingMixin, admin.ModelAdmin):
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "does not exist"; out-of-scope rows answer 404
        # like missing ones, so nobody learns whether another grid's record exists.
        raise Http404

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self._fills_community(request):
            exclude.append("community")
        return exclude

    def save_model(self, request, obj, form, change):
        if self._fills_community(request) and not getattr(obj, "community_id", True):
            obj.community = home_community(request.user)
        self.save_record(obj)

    def save_record(self, obj) -> None:
        """How the admin writes the record: an admin whose model has a service saves through it."""
        obj.save()

    def act_on_each(self, request, records, step, success=None) -> None:
        """An admin action's work: step(record) on each selected record, one at a time.

        A record the service refuses (ValidationError) is reported with its reasons and the
        others go on; success(record, result), when given, is the message for one that went
        through.
        """
        for record in records:
            try:
                result = step(record)
            except ValidationError as error:
                self.message_user(request, f"{record}: {'; '.join(error.messages)}", messages.ERROR)
                continue
            if success is not None:
                self.message_user(request, success(record, result), messages.SUCCESS)

    def _fills_community(self, request) -> bool:
        has_field = any(f.name == "community" for f in self.model._meta.concrete_fields)
        return has_field and home_community(request.user) is not None


class ReadOnlyAdmin(CommunityScopedAdmin):
    """A log or computed record: listed and opened within the user's scope, never written here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInlineMixin:
    """For inlines: the same scoping as CommunityScopedAdmin, of the rows listed (a course
    opened by a grid worker lists their grids' enrolments only) and of the choices."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
