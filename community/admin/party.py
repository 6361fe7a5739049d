"""Party members and volunteer service hours in the back office."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.admin_base import CommunityScopedAdmin
from accounts.admin_steps import Step, StepsMixin
from community import services
from community.admin.filters import CommunityFilterMixin, ScopedRelatedFilter
from community.forms import PartyMemberForm, VolunteerCorrectionForm
from community.models import PartyMember, VolunteerService
from community.search_privacy import NoFullNumberSearchMixin


@admin.register(PartyMember)
class PartyMemberAdmin(CommunityFilterMixin, NoFullNumberSearchMixin, CommunityScopedAdmin):
    form = PartyMemberForm
    list_display = [
        "display_name",
        "kind",
        "status",
        "work_unit",
        "home_branch",
        "dual_registered_on",
        "grid",
        "phone_masked",
    ]
    list_filter = ["kind", "status", ("grid", ScopedRelatedFilter)]
    list_select_related = ["resident", "grid"]
    search_fields = ["name", "resident__name", "work_unit", "home_branch"]
    autocomplete_fields = ["resident"]
    fields = [
        "kind",
        "resident",
        "name",
        "phone_entry",
        "status",
        "joined_on",
        "work_unit",
        "home_branch",
        "dual_registered_on",
        "grid",
        "skills",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("phone", "resident__id_number", "resident__phone")
        )

    @admin.display(description=pgettext_lazy("person", "name"), ordering="name")
    def display_name(self, obj):
        return obj.display_name


def _correct(request, service, data) -> str:
    try:
        services.correct_volunteer_service(
            service=service,
            reason=data["reason"],
            actor=request.user,
            **{name: data[name] for name in services.CORRECTABLE},
        )
    except PermissionDenied as error:  # hours of a locked month: the secretary's to correct
        raise ValidationError(str(error)) from None
    return _("Corrected (reason: %(reason)s); the hours wait to be verified again.") % {
        "reason": data["reason"].strip()
    }


@admin.register(VolunteerService)
class VolunteerServiceAdmin(StepsMixin, CommunityScopedAdmin):
    """Volunteer hours: recorded, then verified (the list's action). Verified hours are
    read-only; a correction (the button on the record's page) needs a reason, which the
    record's history keeps, and sends the hours back to be verified."""

    list_display = ["served_on", "person", "activity", "hours", "verified_by"]
    list_filter = ["served_on"]
    list_select_related = ["resident", "party_member__resident", "verified_by"]
    search_fields = ["activity", "resident__name", "party_member__name"]
    autocomplete_fields = ["resident", "party_member"]
    fields = ["resident", "party_member", "activity", "served_on", "hours", "verified_by"]
    readonly_fields = ["verified_by"]
    actions = ["verify"]
    date_hierarchy = "served_on"
    steps = (
        Step(
            "correct",
            _("Correct verified hours"),
            VolunteerCorrectionForm,
            _correct,
            applies=lambda service: service.verified_by_id is not None,
            help_text=_(
                "Verified hours are not edited: a correction gives its reason, is kept in the "
                "record's history, and the corrected hours must be verified again."
            ),
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("resident__id_number", "resident__phone", "party_member__phone")
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.verified_by_id is not None:
            return self.fields
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        person = obj.resident or obj.party_member
        if person is not None:
            obj.community_id = person.community_id
        super().save_model(request, obj, form, change)

    @admin.display(description=_("volunteer"))
    def person(self, obj):
        return obj.resident.name if obj.resident_id else obj.party_member.display_name

    @admin.action(description=_("Verify the selected hours"), permissions=["change"])
    def verify(self, request, queryset):
        try:
            count = services.verify_volunteer_services(user=request.user, services=queryset)
        except (PermissionDenied, ValidationError) as error:
            # Hours of a locked month: nothing is verified (the secretary corrects the month
            # after reopening it, or verifies the hours with a reason through the service).
            message = str(error) if isinstance(error, PermissionDenied) else error.messages[0]
            self.message_user(request, message, messages.ERROR)
            return
        self.message_user(request, _("%(count)s records verified.") % {"count": count})
