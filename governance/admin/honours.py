from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.admin._objections import ObjectionAdmin
from governance.admin._people import PeopleFieldsMixin
from governance.models import HonourCampaign, Nomination, NominationObjection
from governance.services import honours as honour_services


@admin.register(HonourCampaign)
class HonourCampaignAdmin(CommunityScopedAdmin):
    list_display = ["title", "year", "stage", "shortlisted", "notice_starts_on", "notice_ends_on"]
    list_filter = ["stage"]
    list_select_related = ["community"]
    search_fields = ["title"]
    readonly_fields = ["stage", "notice_starts_on", "notice_ends_on", "closed_at"]
    actions = ["open_notice", "confirm_winners"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_shortlisted=Count(
                    "nominations",
                    filter=Q(nominations__status__in=["shortlisted", "winner"]),
                )
            )
        )

    @admin.display(description=_("shortlisted or won"), ordering="n_shortlisted")
    def shortlisted(self, obj):
        return obj.n_shortlisted

    @admin.action(
        description=_("Open the five-day public notice of the shortlist from today"),
        permissions=["change"],
    )
    def open_notice(self, request, queryset):
        self.act_on_each(
            request,
            queryset.select_related("community"),
            lambda campaign: honour_services.open_notice(
                campaign=campaign, starts_on=timezone.localdate(), user=request.user
            ),
            lambda campaign, _result: (
                _("%(campaign)s: on public notice until %(end)s.")
                % {"campaign": campaign, "end": campaign.notice_ends_on}
            ),
        )

    @admin.action(description=_("Confirm the winners after the notice"), permissions=["change"])
    def confirm_winners(self, request, queryset):
        self.act_on_each(
            request,
            queryset,
            lambda campaign: honour_services.confirm_winners(
                campaign=campaign, today=timezone.localdate()
            ),
            lambda campaign, count: (
                _("%(campaign)s: %(count)d winners confirmed.")
                % {"campaign": campaign, "count": count}
            ),
        )


class NominationObjectionInline(ScopedInlineMixin, admin.TabularInline):
    model = NominationObjection
    fields = ["submitted_at", "name", "text", "status", "response"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(PeopleFieldsMixin, CommunityScopedAdmin):
    list_display = ["__str__", "campaign", "kind", "status", "open_objections"]
    list_filter = ["campaign", "kind", "status"]
    list_select_related = [
        "campaign",
        "household__building__compound",
        "household__unit__building__compound",
        "resident",
        "building__compound",
        "unit__building__compound",
    ]
    search_fields = ["citation", "resident__name"]
    people_fields = ("household", "resident")
    readonly_fields = ["status", "review_note", "reviewed_by", "reviewed_at"]
    inlines = [NominationObjectionInline]
    actions = ["shortlist", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_open=Count("objections", filter=Q(objections__status="open")))
        )

    @admin.display(description=_("open objections"), ordering="n_open")
    def open_objections(self, obj):
        return obj.n_open

    def has_review_permission(self, request) -> bool:
        """Reviewing nominations is the campaign's (staff, the secretary): a star member who
        nominates may correct a nomination but not shortlist it."""
        return request.user.has_perm("governance.change_honourcampaign")

    @admin.action(description=_("Shortlist the selected nominations"), permissions=["review"])
    def shortlist(self, request, queryset):
        self.act_on_each(
            request,
            queryset.select_related("campaign"),
            lambda nomination: honour_services.review_nomination(
                nomination=nomination, shortlist=True, note="", user=request.user
            ),
        )

    @admin.action(description=_("Do not select the selected nominations"), permissions=["review"])
    def reject(self, request, queryset):
        self.act_on_each(
            request,
            queryset.select_related("campaign"),
            lambda nomination: honour_services.review_nomination(
                nomination=nomination,
                shortlist=False,
                note=str(_("Not selected at the review.")),
                user=request.user,
            ),
        )


@admin.register(NominationObjection)
class NominationObjectionAdmin(ObjectionAdmin):
    list_display = ["submitted_at", "nomination", "name", "status"]
    # The nomination's label names its nominee (a household, resident, building or unit).
    list_select_related = [
        "nomination__campaign",
        "nomination__household__building__compound",
        "nomination__household__unit__building__compound",
        "nomination__resident",
        "nomination__building__compound",
        "nomination__unit__building__compound",
    ]
    fields = ["nomination", "submitted_at", "name", "phone_masked", "text", "status", "response"]
    readonly_fields = ["nomination", "submitted_at", "name", "phone_masked", "text"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["status"].choices = [
            c for c in NominationObjection.Status.choices if c[0] != "open"
        ]
        return form

    def save_model(self, request, obj, form, change):
        # The service writes the row (and withdraws the nomination when upheld).
        upheld = obj.status == NominationObjection.Status.UPHELD
        obj.status = NominationObjection.Status.OPEN
        honour_services.settle_objection(
            objection=obj, upheld=upheld, response=obj.response, user=request.user
        )
