from django.contrib import admin
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.admin._child_records import ChildRecordsMixin
from governance.admin._people import PeopleFieldsMixin
from governance.models import Pairing, PairingContact


class PairingContactInline(ScopedInlineMixin, admin.TabularInline):
    model = PairingContact
    fields = ["contacted_on", "kind", "help_given", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0


@admin.register(Pairing)
class PairingAdmin(ChildRecordsMixin, PeopleFieldsMixin, CommunityScopedAdmin):
    """Staff set the pairings up; the unity star and the grid workers record their contacts
    on the pairing's page (ChildRecordsMixin)."""

    list_display = [
        "__str__",
        "helper_kind",
        "started_on",
        "ended_on",
        "contact_count",
        "last_contact",
    ]
    list_filter = ["helper_kind"]
    list_select_related = [
        "helper_party_member",
        "helper_household__building__compound",
        "helper_household__unit__building__compound",
        "helped_household__building__compound",
        "helped_household__unit__building__compound",
    ]
    search_fields = ["helper_party_member__name", "goals"]
    people_fields = ("helper_party_member", "helper_household", "helped_household")
    date_hierarchy = "started_on"
    inlines = [PairingContactInline]
    child_models = (PairingContact,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_contacts=Count("contacts"), last=Max("contacts__contacted_on"))
        )

    @admin.display(description=_("contacts"), ordering="n_contacts")
    def contact_count(self, obj):
        return obj.n_contacts

    @admin.display(description=_("last contact"), ordering="last")
    def last_contact(self, obj):
        return obj.last

    def save_formset(self, request, form, formset, change):
        for contact in formset.save(commit=False):
            if contact.recorded_by_id is None:
                contact.recorded_by = request.user
            contact.save()
        for obj in formset.deleted_objects:
            obj.delete()
