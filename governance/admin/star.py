from django.contrib import admin

from governance.models import Star


@admin.register(Star)
class StarAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "community", "order"]
    list_filter = ["community"]
    list_select_related = ["community"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["community", "order"]
    readonly_fields = ["community", "code"]

    def has_add_permission(self, request):
        # Stars come with their community (create_community); six per community.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
