from django.contrib import admin

from community.admin import CommunityAdmin
from community.models import Community
from governance.models import Star
from governance.services.stars import ensure_stars


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "community", "order"]
    list_filter = ["community"]
    list_select_related = ["community"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["community", "order"]
    readonly_fields = ["community", "code"]

    def has_add_permission(self, request):
        # Stars come with their community (set_up_community); six per community.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StarInline(admin.TabularInline):
    model = Star
    fields = ["order", "code", "name", "name_en", "description"]
    extra = 0
    can_delete = False
    max_num = len(Star.Code.choices)


class CommunityWithStarsAdmin(CommunityAdmin):
    """The registry's community admin, with the community's stars: governance adds them here
    (the registry never imports governance), and a community saved without all six gets the
    missing default ones."""

    inlines = [*CommunityAdmin.inlines, StarInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        ensure_stars(community=form.instance)


admin.site.unregister(Community)
admin.site.register(Community, CommunityWithStarsAdmin)
