from django.contrib import admin
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from accounts.access import home_community
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.admin._child_records import ChildRecordsMixin
from governance.admin._people import PeopleFieldsMixin
from governance.forms.unity import PairingContactFormSet, PairingForm
from governance.models import Pairing, PairingContact
from governance.services import unity


class PairingContactInline(ScopedInlineMixin, admin.TabularInline):
    model = PairingContact
    formset = PairingContactFormSet
    fields = ["contacted_on", "kind", "help_given", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})


@admin.register(Pairing)
class PairingAdmin(ChildRecordsMixin, PeopleFieldsMixin, CommunityScopedAdmin):
    """Staff set the pairings up; the unity star and the grid workers record their contacts
    on the pairing's page (ChildRecordsMixin). A pairing or contact counted in a locked month
    changes only with the secretary's reason, given on the pairing's form
    (governance.services.unity)."""

    form = PairingForm

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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"actor": request.user, "community": home_community(request.user)}
        return type(form.__name__, (form,), attrs)

    def save_model(self, request, obj, form, change):
        if change and not self.changes_record(request, obj):
            return  # only the contacts are the user's to write (ChildRecordsMixin)
        if self._fills_community(request) and not obj.community_id:
            obj.community = home_community(request.user)
        unity.save_pairing(
            pairing=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        for contact in formset.save(commit=False):
            unity.save_contact(contact=contact, actor=request.user, reason=reason)
        for obj in formset.deleted_objects:
            unity.delete_contact(contact=obj, actor=request.user, reason=reason)
