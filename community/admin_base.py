"""The back office's base ModelAdmin: every list, form, choice and autocomplete is scoped.

Subclass CommunityScopedAdmin for any model registered with community.access.register_scope:
rows of other communities (and, for grid workers, other grids) are invisible and answer 404;
foreign-key choices are limited the same way; a new row gets the editor's community.
"""

from django.contrib import admin
from django.http import Http404

from community.access import SCOPES, home_community, scoped


class CommunityScopedAdmin(admin.ModelAdmin):
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "does not exist"; out-of-scope rows answer 404
        # like missing ones, so nobody learns whether another grid's record exists.
        raise Http404

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related in SCOPES:
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = scoped(queryset, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related in SCOPES:
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = scoped(queryset, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self._fills_community(request):
            exclude.append("community")
        return exclude

    def save_model(self, request, obj, form, change):
        if self._fills_community(request) and not getattr(obj, "community_id", True):
            obj.community = home_community(request.user)
        super().save_model(request, obj, form, change)

    def _fills_community(self, request) -> bool:
        has_field = any(f.name == "community" for f in self.model._meta.concrete_fields)
        return has_field and home_community(request.user) is not None


class ScopedInlineMixin:
    """For inlines: the same choice limiting as CommunityScopedAdmin."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related in SCOPES:
            queryset = kwargs.get("queryset")
            if queryset is None:
                queryset = related._default_manager.all()
            kwargs["queryset"] = scoped(queryset, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
