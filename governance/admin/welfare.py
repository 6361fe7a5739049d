from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import CommunityScopedAdmin, ScopedInlineMixin
from governance.admin._child_records import ChildRecordsMixin
from governance.admin._people import PeopleFieldsMixin
from governance.models import Enrollment, JobPlacement, Relief, TrainingCourse
from governance.services import welfare as welfare_services


class EnrollmentInline(PeopleFieldsMixin, ScopedInlineMixin, admin.TabularInline):
    model = Enrollment
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


@admin.register(JobPlacement)
class JobPlacementAdmin(PeopleFieldsMixin, CommunityScopedAdmin):
    list_display = ["placed_on", "resident", "employer", "position"]
    list_select_related = ["resident"]
    search_fields = ["employer", "position", "resident__name"]
    people_fields = ("resident",)
    date_hierarchy = "placed_on"


@admin.register(Relief)
class ReliefAdmin(PeopleFieldsMixin, CommunityScopedAdmin):
    """Temporary relief: staff record applications; the approve_relief permission decides."""

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
    actions = ["approve", "reject"]

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
