"""The back office for disputes (矛盾纠纷), their parties and sessions, and legal consultations.

A dispute is worked on in its ordinary change form, mediation sessions and parties inline.
Two people saving it from pages opened at the same state: the second is refused (the
fingerprint of accounts.admin_base.OptimisticLockingMixin), and here the fingerprint also
covers the inline rows (related_version), so a session recorded or edited in between counts
as a change.
"""

import hashlib

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.access import grid_ids, home_community, scope, staff_of
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin, record_version
from community.models import Resident
from governance.admin._people import PeopleFieldsMixin
from governance.forms.disputes import DisputeForm, DisputePartyForm
from governance.models import Dispute, DisputeParty, LegalConsultation, MediationSession
from governance.services.disputes import delete_dispute, dispute_facts, save_dispute
from governance.services.locked_months import community_stars, locked_facts


class OwnGridMixin:
    """A grid worker's dispute or consultation names one of their grids (the first by
    default): a record without one would vanish from their own lists as soon as it is saved."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        grids = grid_ids(request.user)
        if db_field.name == "grid" and grids is not None:
            kwargs["required"] = True
            kwargs["initial"] = grids[0] if grids else None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def inline_version(dispute_id) -> str:
    """A fingerprint of the dispute's parties and mediation sessions as they are now."""
    rows = [
        *DisputeParty.objects.filter(dispute_id=dispute_id).order_by("pk"),
        *MediationSession.objects.filter(dispute_id=dispute_id).order_by("pk"),
    ]
    text = "|".join(f"{row._meta.model_name}:{record_version(row)}" for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class DisputePartyInline(PeopleFieldsMixin, ScopedInlineMixin, admin.TabularInline):
    """The picker offers the editor's own residents (a grid worker: their grids'); a party
    of another grid is named by their full ID or mobile number (DisputePartyForm)."""

    model = DisputeParty
    form = DisputePartyForm
    fields = ["role", "resident", "party_number", "name"]
    people_fields = ("resident",)
    extra = 0
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        residents = scope(Resident.objects.all(), request.user, community_path="community")
        formset.form = type(
            formset.form.__name__, (formset.form,), {"community_residents": residents}
        )
        return formset


class MediationSessionInline(ScopedInlineMixin, admin.StackedInline):
    model = MediationSession
    fields = [("held_on", "place", "result"), "mediators", "summary"]
    extra = 0


@admin.register(Dispute)
class DisputeAdmin(OwnGridMixin, CommunityScopedAdmin):
    form = DisputeForm
    list_display = [
        "title",
        "kind",
        "risk_badge",
        "is_major",
        "grid",
        "mediator",
        "found_on",
        "status",
        "outcome",
        "session_count",
    ]
    list_filter = ["status", "outcome", "risk_level", "is_major", "kind", "source"]
    list_select_related = ["grid", "mediator"]
    search_fields = ["title", "description", "parties__name"]
    date_hierarchy = "found_on"
    raw_id_fields = ["service_request"]
    inlines = [DisputePartyInline, MediationSessionInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "description", ("kind", "source"), ("risk_level", "is_major")]},
        ),
        (_("Who handles it"), {"fields": [("grid", "star"), "mediator", "service_request"]}),
        (
            _("Progress and outcome"),
            {
                "fields": [
                    ("found_on", "mediation_accepted_on"),
                    ("status", "outcome", "closed_on"),
                    ("agreement_signed", "agreement_fulfilled"),
                    "agreement",
                    "change_reason",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sessions_count=Count("sessions"))

    def related_version(self, obj) -> str:
        """The parties and mediation sessions are saved with the dispute (inlines)."""
        return inline_version(obj.pk)

    @admin.display(description=_("sessions"), ordering="sessions_count")
    def session_count(self, obj):
        return obj.sessions_count

    @admin.display(description=_("risk level"), ordering="risk_level")
    def risk_badge(self, obj):
        return format_html(
            '<span class="hx-risk hx-risk-{}">{}</span>',
            obj.risk_level,
            obj.get_risk_level_display(),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"actor": request.user, "community": home_community(request.user)}
        return type(form.__name__, (form,), attrs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

    def save_model(self, request, obj, form, change):
        if self._fills_community(request) and not obj.community_id:
            obj.community = home_community(request.user)
        save_dispute(
            dispute=obj, actor=request.user, reason=form.cleaned_data.get("change_reason", "")
        )

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        # A dispute counted in a locked month is only changed (with a reason), never deleted.
        facts_of = dispute_facts(obj, community_stars(obj.community_id))
        return not locked_facts(community=obj.community_id, facts_of=facts_of)

    def delete_model(self, request, obj):
        delete_dispute(dispute=obj, actor=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mediator":
            kwargs["queryset"] = staff_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(LegalConsultation)
class LegalConsultationAdmin(OwnGridMixin, PeopleFieldsMixin, CommunityScopedAdmin):
    list_display = ["consulted_on", "topic", "grid", "adviser", "referred"]
    list_filter = ["topic", "referred"]
    list_select_related = ["grid"]
    search_fields = ["question", "advice", "name", "adviser"]
    date_hierarchy = "consulted_on"
    people_fields = ("resident",)
    fields = [
        "consulted_on",
        "topic",
        ("resident", "name"),
        "question",
        "advice",
        ("adviser", "referred"),
        ("grid", "star"),
    ]
