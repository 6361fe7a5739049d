from django.contrib import admin

from community.models import Community
from governance.models import Star


class StarInline(admin.TabularInline):
    model = Star
    fields = ["order", "code", "name", "name_en", "description"]
    extra = 0
    can_delete = False
    max_num = len(Star.Code.choices)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "regiment", "division", "slug"]
    search_fields = ["name", "regiment", "division"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StarInline]
