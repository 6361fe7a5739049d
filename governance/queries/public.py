"""Read queries for the residents' public site.

Every function returns rows already shaped for its template (select_related/prefetch inside),
so each page runs a fixed number of queries whatever the data. Nothing here reaches ID numbers,
phones, ethnicity, care tags or relief; people appear only as a masked name and a building.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from governance.models import (
    BudgetLine,
    HonourCampaign,
    Inspection,
    Milestone,
    MilestonePhoto,
    Motion,
    Nomination,
    Notice,
    Project,
    Star,
    TrainingCourse,
    WorkLog,
    WorkLogPhoto,
)
from governance.periods import month_start, next_month
from governance.queries.caching import cached_public
from governance.queries.projects import (
    MONEY_FIELD,
    aggregate_subquery,
    budget_lines_with_spending,
    projects_with_figures,
)
from privacy.masks import mask_name

HOME_NOTICES = 5
HOME_ACTIVITIES = 4
HOME_PROJECTS = 3
WALL_ENTRIES_PER_STAR = 2


# --- notices -----------------------------------------------------------------------------


def public_notices(community, *, category: str | None = None):
    notices = Notice.objects.for_community(community).public().for_listing()
    if category:
        notices = notices.filter(category=category)
    return notices.only("id", "title", "category", "pinned", "publish_at")


def public_notice(community, pk: int) -> Notice:
    queryset = Notice.objects.for_community(community).public().prefetch_related("attachments")
    return get_object_or_404(queryset, pk=pk)


# --- work ledger: the six-star wall and activities ---------------------------------------


def _photos_prefetch():
    return Prefetch(
        "photos", queryset=WorkLogPhoto.objects.order_by("order", "id"), to_attr="photo_list"
    )


def public_activities(community, *, star: Star | None = None):
    """Public activities (ledger entries of kind "activity"), newest first, with their photos."""
    logs = WorkLog.objects.for_community(community).public().filter(kind=WorkLog.Kind.ACTIVITY)
    if star is not None:
        logs = logs.filter(stars=star)
    return logs.prefetch_related(
        _photos_prefetch(), Prefetch("stars", queryset=Star.objects.order_by("order"))
    )


def public_work_for_star(community, star: Star):
    """Any public ledger entry of the star, newest first, with photos."""
    return (
        WorkLog.objects.for_community(community)
        .public()
        .filter(stars=star)
        .prefetch_related(_photos_prefetch())
    )


def star_wall(community) -> list[tuple[Star, list[WorkLog]]]:
    """Each star with its latest public ledger entries: two queries whatever the ledger's size."""
    stars = list(Star.objects.for_community(community))
    through = WorkLog.stars.through
    latest = (
        through.objects.filter(star__community=community, worklog__is_public=True)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("star_id")],
                order_by=[F("worklog__date").desc(), F("worklog_id").desc()],
            )
        )
        .filter(rank__lte=WALL_ENTRIES_PER_STAR)
        .select_related("worklog")
        .order_by("star_id", "rank")
    )
    by_star: dict[int, list[WorkLog]] = {}
    for row in latest:
        by_star.setdefault(row.star_id, []).append(row.worklog)
    return [(star, by_star.get(star.pk, [])) for star in stars]


def cached_star_wall(community) -> list[tuple[Star, list[WorkLog]]]:
    """star_wall(), cached until a star or a public ledger entry of the community changes."""
    return cached_public(community, "wall", lambda: star_wall(community))


HOME_CONTENT = ("notices", "wall", "activities", "projects")


def home_content(community) -> dict:
    """What the home page shows of the community (cached by the view,
    governance.queries.caching)."""
    return {
        "notices": list(public_notices(community)[:HOME_NOTICES]),
        "wall": cached_star_wall(community),
        "activities": list(public_activities(community)[:HOME_ACTIVITIES]),
        "projects": list(public_projects(community)[:HOME_PROJECTS]),
    }


def public_star(community, code: str) -> Star:
    return get_object_or_404(Star.objects.for_community(community), code=code)


# --- projects ----------------------------------------------------------------------------


def public_projects(community):
    return projects_with_figures(Project.objects.for_community(community).public()).order_by(
        F("started_on").desc(nulls_last=True), "id"
    )


def public_project(community, pk: int) -> Project:
    """The project with its figures, in one query."""
    budgeted = aggregate_subquery(
        BudgetLine.objects.filter(project=OuterRef("pk")), Sum("amount"), MONEY_FIELD
    )
    milestones = Milestone.objects.filter(project=OuterRef("pk"))
    queryset = projects_with_figures(
        Project.objects.for_community(community).public().select_related("compound")
    ).annotate(
        budgeted=Coalesce(budgeted, Value(0, output_field=DecimalField())),
        milestones_total=Coalesce(
            aggregate_subquery(milestones, Count("id")), Value(0), output_field=IntegerField()
        ),
        milestones_done=Coalesce(
            aggregate_subquery(milestones.filter(done_on__isnull=False), Count("id")),
            Value(0),
            output_field=IntegerField(),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def project_budget_lines(project: Project):
    return budget_lines_with_spending(project)


def project_milestones(project: Project):
    return Milestone.objects.filter(project=project).prefetch_related(
        Prefetch(
            "photos", queryset=MilestonePhoto.objects.order_by("stage", "id"), to_attr="photo_list"
        )
    )


def project_decisions(project: Project, *, today: datetime.date):
    """Decided motions whose result has been posted (公示 started), newest first."""
    return (
        Motion.objects.filter(project=project, notice_starts_on__lte=today)
        .decided()
        .select_related("chosen_option", "meeting")
        .prefetch_related("options")
        .order_by("-notice_starts_on", "-id")
    )


def project_inspections(project: Project):
    return (
        Inspection.objects.filter(project=project)
        .select_related("milestone", "supervisor__household__building__compound")
        .only(
            "inspected_on",
            "findings",
            "outcome",
            "follow_up",
            "milestone__title",
            "supervisor__name",
            "supervisor__household__building__number",
            "supervisor__household__building__compound__name",
        )
    )


def public_motion(project: Project, motion_id: int) -> Motion:
    return get_object_or_404(Motion.objects.decided(), project=project, pk=motion_id)


# --- honours -----------------------------------------------------------------------------


def honour_years(community) -> list[int]:
    return list(
        HonourCampaign.objects.filter(community=community)
        .exclude(stage__in=[HonourCampaign.Stage.NOMINATING, HonourCampaign.Stage.REVIEWING])
        .order_by("-year")
        .values_list("year", flat=True)
    )


def honour_campaign(community, year: int | None) -> HonourCampaign | None:
    """The campaign of `year` (or the latest) once its shortlist is public."""
    campaigns = HonourCampaign.objects.filter(community=community).filter(
        stage__in=[HonourCampaign.Stage.NOTICE, HonourCampaign.Stage.CLOSED]
    )
    if year is not None:
        campaigns = campaigns.filter(year=year)
    return campaigns.order_by("-year").first()


def honour_roll(campaign: HonourCampaign):
    """Winners (or, during the notice, the shortlist) with their nominee's place."""
    status = (
        Nomination.Status.WINNER
        if campaign.stage == HonourCampaign.Stage.CLOSED
        else Nomination.Status.SHORTLISTED
    )
    return (
        Nomination.objects.filter(campaign=campaign, status=status)
        .with_nominee()
        .order_by("kind", "id")
    )


def honoured_label(nomination: Nomination) -> str:
    """How the public site names a nominee: masked name and building only."""
    if nomination.kind == Nomination.Kind.FAMILY:
        household = nomination.household
        head = mask_name(household.head.name) if household.head_id else ""
        return _("%(name)s's family, %(building)s") % {
            "name": head or "—",
            "building": household.building,
        }
    if nomination.kind == Nomination.Kind.NEIGHBOUR:
        resident = nomination.resident
        return _("%(name)s, %(building)s") % {
            "name": mask_name(resident.name),
            "building": resident.household.building,
        }
    if nomination.kind == Nomination.Kind.BUILDING:
        return str(nomination.building)
    return str(nomination.unit)


def supervisor_label(inspection: Inspection) -> str:
    supervisor = inspection.supervisor
    return _("%(name)s, %(building)s") % {
        "name": mask_name(supervisor.name),
        "building": supervisor.household.building,
    }


# --- star pages: a few public figures per star -------------------------------------------


@dataclass(frozen=True)
class UnityFigures:
    active_pairings: int
    contacted_this_month: int


def unity_figures(community, *, today: datetime.date) -> UnityFigures:
    start = month_start(today)
    end = next_month(start)
    from governance.queries.unity import pairing_contact_rate

    contacted, active = pairing_contact_rate(community=community, start=start, end=end)
    return UnityFigures(active_pairings=active, contacted_this_month=contacted)


def open_courses(community):
    """Public courses with their number of registrations (a count, never the people)."""
    return (
        TrainingCourse.objects.for_community(community)
        .filter(is_public=True)
        .annotate(registered=Count("enrollments", filter=~Q(enrollments__status="dropped")))
        .order_by("-registration_open", F("starts_on").desc(nulls_last=True), "id")
    )
