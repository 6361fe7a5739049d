from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import home_community
from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from accounts.admin_steps import Step, StepsMixin
from governance.admin._child_records import ChildRecordsMixin
from governance.admin._people import PeopleFieldsMixin
from governance.forms.welfare import EnrollmentFormSet, PayoutForm
from governance.models import Enrollment, JobPlacement, Relief, TrainingCourse
from governance.services import welfare as welfare_services


class EnrollmentInline(PeopleFieldsMixin, ScopedInlineMixin, admin.TabularInline):
    """Registrations on the course's page; new ones follow the course's rules (a closed or
    ended course takes nobody) and are written by welfare.enroll()."""

    model = Enrollment
    formset = EnrollmentFormSet
    fields = ["resident", "registered_on", "status", "certificate_no"]
    people_fields = ("resident",)
    extra = 0


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ChildRecordsMixin, CommunityScopedAdmin):
    """Staff set the courses up; the jobs star and the grid workers register trainees on the
    course's page (ChildRecordsMixin)."""

    list_display = [
        "title",
        "provider",
        "starts_on",
        "capacity",
        "registrations",
        "registration_open",
    ]
    list_filter = ["registration_open", "is_public"]
    list_select_related = ["community"]
    search_fields = ["title", "provider"]
    inlines = [EnrollmentInline]
    child_models = (Enrollment,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_enrolled=Count("enrollments", filter=~Q(enrollments__status="dropped")))
        )

    @admin.display(description=_("registrations"), ordering="n_enrolled")
    def registrations(self, obj):
        return obj.n_enrolled

    def save_form(self, request, form, change):
        # The registrations are checked against the course before it is saved: a new course
        # must know its community by then.
        course = super().save_form(request, form, change)
        if not course.community_id and home_community(request.user) is not None:
            course.community = home_community(request.user)
        return course

    def save_formset(self, request, form, formset, change):
        if formset.model is not Enrollment:
            return super().save_formset(request, form, formset, change)
        for enrollment in formset.save(commit=False):
            if enrollment.pk is None:
                welfare_services.enroll(
                    course=form.instance,
                    resident=enrollment.resident,
                    registered_on=enrollment.registered_on,
                )
            else:
                enrollment.save()
        for enrollment in formset.deleted_objects:
            enrollment.delete()
        return None


@admin.register(JobPlacement)
class JobPlacementAdmin(PeopleFieldsMixin, CommunityScopedAdmin):
    list_display = ["placed_on", "resident", "employer", "position"]
    list_select_related = ["resident"]
    search_fields = ["employer", "position", "resident__name"]
    people_fields = ("resident",)
    date_hierarchy = "placed_on"


def _pay(request, relief, data) -> str:
    relief = welfare_services.mark_relief_paid(relief=relief, paid_on=data["paid_on"])
    return _("Paid out on %(day)s.") % {"day": relief.paid_on}


@admin.register(Relief)
class ReliefAdmin(StepsMixin, PeopleFieldsMixin, CommunityScopedAdmin):
    """Temporary relief: staff record applications; the approve_relief permission decides;
    approved relief is marked paid with the day of the payout (a button on its page, or the
    list's action for today)."""

    steps = (
        Step(
            "pay",
            _("Mark paid"),
            PayoutForm,
            _pay,
            applies=lambda relief: relief.status == Relief.Status.APPROVED,
            help_text=_("The day the approved amount was paid to the household."),
        ),
    )
    list_display = ["applied_on", "household", "kind", "amount", "status", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = [
        "household__building__compound",
        "household__unit__building__compound",
        "decided_by",
    ]
    search_fields = ["reason"]
    people_fields = ("household",)
    date_hierarchy = "applied_on"
    readonly_fields = ["status", "decided_by", "decided_at", "decision_note", "paid_on"]
    actions = ["approve", "reject", "mark_paid"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("governance.approve_relief"):
            actions.pop("approve", None)
            actions.pop("reject", None)
        return actions

    def _decide(self, request, queryset, approve: bool):
        self.act_on_each(
            request,
            queryset,
            lambda relief: welfare_services.decide_relief(
                relief=relief,
                approve=approve,
                note="" if approve else str(_("Rejected at review.")),
                user=request.user,
            ),
        )

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected applications"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)

    @admin.action(description=_("Mark the selected relief paid today"), permissions=["change"])
    def mark_paid(self, request, queryset):
        today = timezone.localdate()
        self.act_on_each(
            request,
            queryset,
            lambda relief: welfare_services.mark_relief_paid(relief=relief, paid_on=today),
            lambda relief, _paid: (
                _("%(relief)s: paid out on %(day)s.") % {"relief": relief, "day": today}
            ),
        )
