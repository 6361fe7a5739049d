from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from accounts.admin_steps import ConfirmForm, Step, StepsMixin
from governance.admin._objections import ObjectionAdmin
from governance.admin._people import PeopleFieldsMixin
from governance.forms.council import (
    AgendaForm,
    CouncilMeetingForm,
    MotionForm,
    PublishForm,
    VoteFormSet,
)
from governance.models import (
    Council,
    CouncilMeeting,
    CouncilMember,
    Motion,
    MotionObjection,
    MotionOption,
    Vote,
)
from governance.models.council import member_active_on
from governance.services import council as council_services


class CouncilMemberInline(PeopleFieldsMixin, ScopedInlineMixin, admin.TabularInline):
    model = CouncilMember
    fields = ["resident", "role", "joined_on", "left_on"]
    people_fields = ("resident",)
    extra = 0


@admin.register(Council)
class CouncilAdmin(CommunityScopedAdmin):
    list_display = ["name", "community", "established_on", "member_count"]
    list_select_related = ["community"]
    search_fields = ["name"]
    inlines = [CouncilMemberInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_members=Count(
                    "members",
                    filter=member_active_on(today, through="members"),
                )
            )
        )

    @admin.display(description=_("members today"), ordering="n_members")
    def member_count(self, obj):
        return obj.n_members


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(CommunityScopedAdmin):
    form = CouncilMeetingForm
    list_display = ["held_on", "council", "place", "attendance_column", "quorum"]
    list_filter = ["council"]
    list_select_related = ["council"]
    search_fields = ["agenda", "minutes"]
    date_hierarchy = "held_on"
    readonly_fields = ["members_total", "attendance_recorded_at"]
    fields = [
        "council",
        "held_on",
        "place",
        "agenda",
        "signed_in",
        "members_total",
        "attendance_recorded_at",
        "minutes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_present=Count("attendees"))

    @admin.display(description=_("signed in"))
    def attendance_column(self, obj):
        return f"{obj.n_present}/{obj.members_total}" if obj.attendance_recorded_at else "—"

    @admin.display(description=_("quorum (≥ 2/3)"), boolean=True)
    def quorum(self, obj):
        if obj.attendance_recorded_at is None:
            return None
        return council_services.has_quorum(present=obj.n_present, members_total=obj.members_total)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "signed_in" in form.changed_data:
            try:
                result = council_services.record_attendance(
                    meeting=form.instance, members=form.cleaned_data["signed_in"]
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return
            level = messages.SUCCESS if result.quorate else messages.WARNING
            self.message_user(
                request,
                _("%(present)d of %(total)d members signed in (quorum: %(needed)d).")
                % {
                    "present": result.present,
                    "total": result.members_total,
                    "needed": result.needed,
                },
                level,
            )


class MotionOptionInline(ScopedInlineMixin, admin.TabularInline):
    model = MotionOption
    fields = ["label", "supplier", "unit_price", "unit"]
    extra = 0


class VoteInline(ScopedInlineMixin, admin.TabularInline):
    model = Vote
    formset = VoteFormSet
    fields = ["member", "choice", "option"]
    extra = 0
    can_delete = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        motion_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if motion_id and db_field.name == "option":
            field.queryset = field.queryset.filter(motion_id=motion_id)
        if motion_id and db_field.name == "member":
            field.queryset = field.queryset.filter(council__motions=motion_id).select_related(
                "resident"
            )
        return field


class MotionObjectionInline(ScopedInlineMixin, admin.StackedInline):
    model = MotionObjection
    fields = ["submitted_at", "name", "text", "status", "response"]
    readonly_fields = ["submitted_at", "name", "text", "status"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _put_on_agenda(request, motion, data) -> str:
    council_services.review_motion(motion=motion, meeting=data["meeting"], note=data["note"])
    return _("On the agenda of the meeting of %(day)s.") % {"day": data["meeting"].held_on}


def _decide(request, motion, data) -> str:
    motion = council_services.decide_motion(motion=motion)
    return _(
        "Decided: %(result)s (for %(for)d, against %(against)d, abstain %(abstain)d; "
        "%(total)d members)."
    ) % {
        "result": motion.get_status_display(),
        "for": motion.votes_for,
        "against": motion.votes_against,
        "abstain": motion.votes_abstain,
        "total": motion.members_total,
    }


def _publish(request, motion, data) -> str:
    council_services.publish_result(
        motion=motion, starts_on=data["starts_on"], days=data["days"], user=request.user
    )
    return _("On public notice from %(start)s until %(end)s.") % {
        "start": motion.notice_starts_on,
        "end": motion.notice_ends_on,
    }


MOTION_STEPS = (
    Step(
        "agenda",
        _("Put on a meeting's agenda"),
        AgendaForm,
        _put_on_agenda,
        applies=lambda motion: motion.status == Motion.Status.PROPOSED,
        help_text=_(
            "The party branch has reviewed the motion: the council will vote on it at this "
            "meeting. Record the meeting's sign-in on the meeting's page, then the votes of "
            "the members present on this motion's page."
        ),
    ),
    Step(
        "decide",
        _("Count the votes and record the decision"),
        ConfirmForm,
        _decide,
        applies=lambda motion: motion.status == Motion.Status.ON_AGENDA,
        help_text=_(
            "The votes recorded are counted: the motion passes when more than half of all "
            "the council's members voted for it. The meeting needs a quorum (two thirds "
            "signed in). The decision cannot be changed afterwards."
        ),
    ),
    Step(
        "publish",
        _("Post the result publicly"),
        PublishForm,
        _publish,
        applies=lambda motion: motion.is_decided and motion.notice_starts_on is None,
        help_text=_(
            "The result is published as a notice on the public site; residents may object "
            "while it is on notice."
        ),
    ),
)


@admin.register(Motion)
class MotionAdmin(StepsMixin, CommunityScopedAdmin):
    form = MotionForm
    steps = MOTION_STEPS
    list_display = [
        "title",
        "council",
        "project",
        "status",
        "tally",
        "notice_ends_on",
        "execution",
    ]
    list_filter = ["status", "execution", "council"]
    list_select_related = ["council", "project", "meeting"]
    search_fields = ["title", "description"]
    readonly_fields = [
        "status",
        "meeting",
        "branch_review_note",
        "decided_at",
        "votes_for",
        "votes_against",
        "votes_abstain",
        "members_total",
        "chosen_option",
        "notice_starts_on",
        "notice_ends_on",
    ]
    inlines = [MotionOptionInline, VoteInline, MotionObjectionInline]
    actions = ["decide", "publish_result"]

    @admin.display(description=_("for / against / abstain (members)"))
    def tally(self, obj):
        if not obj.is_decided:
            return "—"
        return f"{obj.votes_for} / {obj.votes_against} / {obj.votes_abstain} ({obj.members_total})"

    def save_formset(self, request, form, formset, change):
        if formset.model is MotionObjection:
            for objection in formset.save(commit=False):
                if objection.response and objection.status == MotionObjection.Status.OPEN:
                    council_services.answer_objection(
                        objection=objection, response=objection.response, user=request.user
                    )
            return
        super().save_formset(request, form, formset, change)

    @admin.action(description=_("Count the votes and record the decision"), permissions=["change"])
    def decide(self, request, queryset):
        self.act_on_each(
            request,
            queryset,
            lambda motion: council_services.decide_motion(motion=motion),
            lambda _motion, decided: f"{decided}: {decided.get_status_display()}",
        )

    @admin.action(
        description=_("Post the result publicly from today for five days"), permissions=["change"]
    )
    def publish_result(self, request, queryset):
        self.act_on_each(
            request,
            queryset.select_related("council__community"),
            lambda motion: council_services.publish_result(
                motion=motion, starts_on=timezone.localdate(), user=request.user
            ),
            lambda motion, _result: (
                _("%(motion)s: on public notice until %(end)s.")
                % {"motion": motion, "end": motion.notice_ends_on}
            ),
        )


@admin.register(MotionObjection)
class MotionObjectionAdmin(ObjectionAdmin):
    list_display = ["submitted_at", "motion", "name", "status"]
    list_select_related = ["motion"]
    fields = ["motion", "submitted_at", "name", "phone_masked", "text", "status", "response"]
    readonly_fields = ["motion", "submitted_at", "name", "phone_masked", "text", "status"]

    def save_model(self, request, obj, form, change):
        council_services.answer_objection(objection=obj, response=obj.response, user=request.user)
