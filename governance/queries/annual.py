"""The annual summary (年度工作综述): a year's figures per star, computed from the records.

Every figure is an SQL aggregate over the records of the community's year (the work ledger
through governance.queries.scores.ledger_figures, requests and disputes through
governance.queries.metrics,
the registry, trainings, honours, the projects) and carries the URL of the records behind it:
an admin changelist filtered to exactly those records, or the record's own page.

A fixed number of queries whatever the size of the data (one per kind of record).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlencode

from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from community.models import Household, PartyMember, Resident
from governance.models import (
    CouncilMeeting,
    Enrollment,
    JobPlacement,
    MonthlyScore,
    Nomination,
    Pairing,
    PairingContact,
    Payment,
    Project,
    QuarterlyAssessment,
    Relief,
    Star,
    WorkLog,
)
from governance.queries import metrics
from governance.queries.scores import ledger_figures
from governance.queries.spreadsheet import text_cell
from governance.services.score_formula import q2

HAN = "01"


@dataclass
class Figure:
    """One figure of the summary and the records behind it.

    counts_records: the figure is the number of rows the URL lists (tests check this).
    """

    key: str
    label: str
    value: int | Decimal | float | None
    url: str = ""
    unit: str = ""
    counts_records: bool = False


@dataclass
class StarSection:
    star: Star
    figures: list[Figure] = field(default_factory=list)
    mean_score: Decimal | None = None
    months_scored: int = 0
    scores_url: str = ""
    quarters: list = field(default_factory=list)  # [(quarter, QuarterlyAssessment | None)]

    @property
    def quarters_lit(self) -> int:
        lit = QuarterlyAssessment.Status.LIT
        return sum(1 for _q, a in self.quarters if a is not None and a.status == lit)


@dataclass
class AnnualSummary:
    community: object
    year: int
    start: datetime.date
    end: datetime.date
    overview: list[Figure]
    sections: list[StarSection]

    def figure(self, key: str) -> Figure:
        for item in self.all_figures():
            if item.key == key:
                return item
        raise KeyError(key)

    def all_figures(self):
        yield from self.overview
        for section in self.sections:
            yield from section.figures

    def values(self) -> dict:
        """{key: value} of every figure (for tests and exports)."""
        return {item.key: item.value for item in self.all_figures()}


def _url(name: str, params: dict | None = None, args=None) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def _day(value: datetime.date) -> str:
    return value.isoformat()


def _moment(value: datetime.date) -> str:
    """A date as an aware ISO timestamp in the current time zone (for datetime filters)."""
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min)).isoformat()


def _ledger_url(star: Star, start, end, kind: str = "") -> str:
    params = {"stars__id__exact": star.id, "date__gte": _day(start), "date__lt": _day(end)}
    if kind:
        params["kind__exact"] = kind
    return _url("admin:governance_worklog_changelist", params)


class _Ledger:
    """The year's ledger figures per (star, kind), from one grouped query."""

    def __init__(self, *, community, start, end):
        self.rows = ledger_figures(community=community, start=start, end=end)
        self.start, self.end = start, end

    def total(self, star: Star, name: str, kind: str = "") -> int:
        return sum(
            bucket[name]
            for (star_id, row_kind), bucket in self.rows.items()
            if star_id == star.id and (not kind or row_kind == kind)
        )

    def count(self, key, label, star, kind) -> Figure:
        return Figure(
            key,
            label,
            self.total(star, "count", kind),
            _ledger_url(star, self.start, self.end, kind),
            counts_records=True,
        )

    def sum(self, key, label, star, name, kind="") -> Figure:
        return Figure(
            key, label, self.total(star, name, kind), _ledger_url(star, self.start, self.end, kind)
        )


def annual_summary(*, community, year: int) -> AnnualSummary:
    """The year's figures of the community, overall and per star."""
    start, end = metrics.period_bounds(year)
    stars = {star.code: star for star in Star.objects.for_community(community).order_by("order")}
    ledger = _Ledger(community=community, start=start, end=end)
    sections = {code: StarSection(star=star) for code, star in stars.items()}

    def add(code, *figures):
        if code in sections:
            sections[code].figures.extend(figures)

    # Registry (one query each for residents and households).
    people = (
        Resident.objects.filter(community=community)
        .current()
        .aggregate(
            residents=Count("id"),
            minority=Count("id", filter=~Q(ethnicity__in=["", HAN])),
        )
    )
    households = Household.objects.filter(community=community).count()
    residents_url = _url("admin:community_resident_changelist", {"moved_out__isnull": "True"})
    overview = [
        Figure(
            "households",
            gettext_lazy("Households"),
            households,
            _url("admin:community_household_changelist"),
            counts_records=True,
        ),
        Figure(
            "residents", gettext_lazy("Residents"), people["residents"], residents_url, "", True
        ),
    ]

    # Requests and disputes, as governance.queries.metrics counts them.
    requests = metrics.request_figures(
        community=community, start=start, end=end, with_median=False
    )[0]
    disputes = metrics.dispute_figures(community=community, start=start, end=end)[0]
    consultations = metrics.legal_consultation_count(community=community, start=start, end=end)
    requests_url = _url(
        "admin:governance_servicerequest_changelist",
        {"resolved_at__gte": _moment(start), "resolved_at__lt": _moment(end)},
    )
    received_url = _url(
        "admin:governance_servicerequest_changelist",
        {"submitted_at__gte": _moment(start), "submitted_at__lt": _moment(end)},
    )
    dispute_params = {"found_on__gte": _day(start), "found_on__lt": _day(end)}
    disputes_url = _url("admin:governance_dispute_changelist", dispute_params)
    overview += [
        Figure(
            "requests_received",
            gettext_lazy("Resident requests received"),
            requests.received,
            received_url,
            counts_records=True,
        ),
        Figure(
            "requests_resolved",
            gettext_lazy("Resident requests resolved"),
            requests.resolved,
            requests_url,
            counts_records=True,
        ),
    ]

    if "fortress" in stars:
        star = stars["fortress"]
        party = PartyMember.objects.filter(community=community).aggregate(
            total=Count("id"),
            dual=Count(
                "id",
                filter=Q(
                    kind=PartyMember.Kind.IN_SERVICE,
                    dual_registered_on__gte=start,
                    dual_registered_on__lt=end,
                ),
            ),
        )
        add(
            "fortress",
            ledger.count(
                "branch_meetings", gettext_lazy("Branch meetings"), star, WorkLog.Kind.MEETING
            ),
            ledger.count(
                "volunteer_activities",
                gettext_lazy("Volunteer service activities"),
                star,
                WorkLog.Kind.VOLUNTEER,
            ),
            Figure(
                "party_members",
                gettext_lazy("Party members"),
                party["total"],
                _url("admin:community_partymember_changelist"),
                counts_records=True,
            ),
            Figure(
                "dual_registered",
                gettext_lazy("In-service party members registered with the community (双报到)"),
                party["dual"],
                _url(
                    "admin:community_partymember_changelist",
                    {
                        "kind__exact": PartyMember.Kind.IN_SERVICE,
                        "dual_registered_on__gte": _day(start),
                        "dual_registered_on__lt": _day(end),
                    },
                ),
                counts_records=True,
            ),
        )

    if "safety" in stars:
        star = stars["safety"]
        add(
            "safety",
            Figure(
                "requests_resolved_safety",
                gettext_lazy("Resident requests resolved"),
                requests.resolved,
                requests_url,
                counts_records=True,
            ),
            Figure(
                "major_disputes",
                gettext_lazy("Major disputes found and mediated"),
                disputes.major,
                _url(
                    "admin:governance_dispute_changelist",
                    {**dispute_params, "is_major__exact": "1"},
                ),
                counts_records=True,
            ),
            Figure(
                "disputes",
                gettext_lazy("Disputes found"),
                disputes.found,
                disputes_url,
                counts_records=True,
            ),
            Figure(
                "mediation_rate",
                gettext_lazy("Mediation rate (调处率)"),
                disputes.mediation_rate,
                disputes_url,
                "%",
            ),
            Figure(
                "resolution_rate",
                gettext_lazy("Resolution rate (化解率)"),
                disputes.resolution_rate,
                disputes_url,
                "%",
            ),
            Figure(
                "legal_consultations",
                gettext_lazy("Legal consultations"),
                consultations,
                _url(
                    "admin:governance_legalconsultation_changelist",
                    {"consulted_on__gte": _day(start), "consulted_on__lt": _day(end)},
                ),
                counts_records=True,
            ),
            ledger.count(
                "safety_publicity",
                gettext_lazy("Safety and rule-of-law publicity activities"),
                star,
                WorkLog.Kind.PUBLICITY,
            ),
            ledger.sum(
                "safety_brochures",
                gettext_lazy("Brochures handed out"),
                star,
                "brochures",
                WorkLog.Kind.PUBLICITY,
            ),
        )

    if "jobs" in stars:
        star = stars["jobs"]
        courses = (
            Enrollment.objects.filter(
                course__community=community, registered_on__gte=start, registered_on__lt=end
            )
            .exclude(status=Enrollment.Status.DROPPED)
            .values("course_id", "course__title")
            .annotate(n=Count("id"))
            .order_by("course_id")
        )
        placements = JobPlacement.objects.filter(
            community=community, placed_on__gte=start, placed_on__lt=end
        ).count()
        add(
            "jobs",
            ledger.count(
                "employment_publicity",
                gettext_lazy("Employment publicity sessions"),
                star,
                WorkLog.Kind.PUBLICITY,
            ),
            Figure(
                "placements",
                gettext_lazy("Residents placed in jobs"),
                placements,
                _url(
                    "admin:governance_jobplacement_changelist",
                    {"placed_on__gte": _day(start), "placed_on__lt": _day(end)},
                ),
                counts_records=True,
            ),
            *[
                Figure(
                    f"training:{row['course__title']}",
                    _("Training registrations: %(course)s") % {"course": row["course__title"]},
                    row["n"],
                    _url("admin:governance_trainingcourse_change", args=[row["course_id"]]),
                )
                for row in courses
            ],
        )

    if "harmony" in stars:
        star = stars["harmony"]
        relief = Relief.objects.filter(
            community=community, applied_on__gte=start, applied_on__lt=end
        ).approved()
        add(
            "harmony",
            ledger.sum(
                "policy_households",
                gettext_lazy("Households visited for policy publicity"),
                star,
                "households_reached",
                WorkLog.Kind.HOME_VISIT,
            ),
            ledger.sum(
                "policy_posts",
                gettext_lazy("Policy posts in building WeChat groups"),
                star,
                "online_posts",
            ),
            ledger.count(
                "policy_talks",
                gettext_lazy("Cultural events with policy talks"),
                star,
                WorkLog.Kind.ACTIVITY,
            ),
            ledger.sum(
                "policy_brochures", gettext_lazy("Policy brochures handed out"), star, "brochures"
            ),
            Figure(
                "relief",
                gettext_lazy("Temporary relief granted"),
                relief.count(),
                _url(
                    "admin:governance_relief_changelist",
                    {"applied_on__gte": _day(start), "applied_on__lt": _day(end)},
                ),
            ),
        )

    if "cobuild" in stars:
        star = stars["cobuild"]
        paid = Payment.objects.filter(contract__project=OuterRef("pk"), paid_on__lt=end)
        projects = list(
            Project.objects.for_community(community)
            .filter(Q(started_on__isnull=True) | Q(started_on__lt=end))
            .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=start))
            .annotate(
                paid=Coalesce(
                    Subquery(
                        paid.values("contract__project").annotate(s=Sum("amount")).values("s")[:1]
                    ),
                    Decimal(0),
                )
            )
            .order_by("id")
        )
        meetings = CouncilMeeting.objects.filter(
            council__community=community, held_on__gte=start, held_on__lt=end
        ).count()
        for project in projects:
            add(
                "cobuild",
                Figure(
                    f"project_budget:{project.pk}",
                    _("%(project)s: budget") % {"project": project.name},
                    project.budget,
                    _url("admin:governance_project_change", args=[project.pk]),
                    _("yuan"),
                ),
                Figure(
                    f"project_paid:{project.pk}",
                    _("%(project)s: paid by the end of the year") % {"project": project.name},
                    q2(project.paid),
                    _url(
                        "admin:governance_contract_changelist", {"project__id__exact": project.pk}
                    ),
                    _("yuan"),
                ),
            )
        add(
            "cobuild",
            Figure(
                "council_meetings",
                gettext_lazy("Residents' council meetings"),
                meetings,
                _url(
                    "admin:governance_councilmeeting_changelist",
                    {"held_on__gte": _day(start), "held_on__lt": _day(end)},
                ),
                counts_records=True,
            ),
            ledger.count(
                "cobuild_volunteer",
                gettext_lazy("Co-building volunteer activities"),
                star,
                WorkLog.Kind.VOLUNTEER,
            ),
            ledger.sum("cobuild_participants", gettext_lazy("Participants"), star, "participants"),
        )

    if "unity" in stars:
        star = stars["unity"]
        contacts = PairingContact.objects.filter(
            pairing=OuterRef("pk"), contacted_on__gte=start, contacted_on__lt=end
        )
        pairings = (
            Pairing.objects.for_community(community)
            .active_between(start, end)
            .annotate(contacted=Exists(contacts))
            .aggregate(total=Count("id"), reached=Count("id", filter=Q(contacted=True)))
        )
        winners = {}
        campaign_id = None
        rows = (
            Nomination.objects.filter(
                campaign__community=community,
                campaign__year=year,
                status=Nomination.Status.WINNER,
            )
            .values("campaign_id", "kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:  # one campaign a year: at most four rows
            campaign_id = row["campaign_id"]
            winners[row["kind"]] = row["n"]
        add(
            "unity",
            Figure(
                "minority_residents",
                gettext_lazy("Residents of minority groups"),
                people["minority"],
                _url(
                    "admin:community_resident_changelist",
                    {"moved_out__isnull": "True", "ethnicity__gt": HAN},
                ),
                counts_records=True,
            ),
            ledger.count(
                "unity_activities",
                gettext_lazy("Ethnic-unity activities"),
                star,
                WorkLog.Kind.ACTIVITY,
            ),
            Figure(
                "pairings",
                gettext_lazy("Pairings (民族结对帮扶)"),
                pairings["total"],
                _url("admin:governance_pairing_changelist", {"started_on__lt": _day(end)}),
            ),
            Figure(
                "pairings_contacted",
                gettext_lazy("Pairings with a contact in the year"),
                pairings["reached"],
                _url("admin:governance_pairing_changelist", {"started_on__lt": _day(end)}),
            ),
            *[
                Figure(
                    f"honour_{kind}",
                    label,
                    winners.get(kind, 0),
                    _url(
                        "admin:governance_nomination_changelist",
                        {
                            "campaign__id__exact": campaign_id,
                            "kind__exact": kind,
                            "status__exact": Nomination.Status.WINNER,
                        },
                    )
                    if campaign_id is not None
                    else "",
                    counts_records=campaign_id is not None,
                )
                for kind, label in Nomination.Kind.choices
            ],
        )

    # The scoring engine's results: the mean monthly score and the four quarters per star.
    scores = {
        row["star_id"]: row
        for row in MonthlyScore.objects.filter(community=community, month__gte=start, month__lt=end)
        .values("star_id")
        .annotate(mean=Avg("total"), n=Count("id"))
        .order_by()
    }
    quarters = {
        (a.star_id, a.quarter): a
        for a in QuarterlyAssessment.objects.filter(community=community, year=year)
    }
    for section in sections.values():
        row = scores.get(section.star.id)
        if row is not None:
            section.mean_score = q2(row["mean"])
            section.months_scored = row["n"]
        section.scores_url = _url(
            "admin:governance_monthlyscore_changelist",
            {"star__id__exact": section.star.id, "month__gte": _day(start), "month__lt": _day(end)},
        )
        section.quarters = [(q, quarters.get((section.star.id, q))) for q in range(1, 5)]
    return AnnualSummary(
        community=community,
        year=year,
        start=start,
        end=end,
        overview=overview,
        sections=list(sections.values()),
    )


def annual_workbook(summary: AnnualSummary, *, base_url: str = "") -> bytes:
    """The summary as an XLSX file: one row per figure, with the link to its records."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Annual summary")
    sheet.append([text_cell(f"{summary.community.full_name} {summary.year}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Star"), _("Figure"), _("Value"), _("Unit"), _("Records")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)

    def number(value):
        if isinstance(value, Decimal):
            return float(value)
        return value

    for figure in summary.overview:
        sheet.append(
            [
                _("Community"),
                text_cell(str(figure.label)),
                number(figure.value),
                text_cell(str(figure.unit)),
                text_cell(base_url + figure.url),
            ]
        )
    for section in summary.sections:
        for figure in section.figures:
            sheet.append(
                [
                    text_cell(section.star.name),
                    text_cell(str(figure.label)),
                    number(figure.value),
                    text_cell(str(figure.unit)),
                    text_cell(base_url + figure.url),
                ]
            )
        sheet.append(
            [
                text_cell(section.star.name),
                _("Mean monthly score"),
                number(section.mean_score),
                "",
                text_cell(base_url + section.scores_url),
            ]
        )
        sheet.append(
            [text_cell(section.star.name), _("Quarters lit"), section.quarters_lit, "/4", ""]
        )
    for column, width in zip("ABCDE", (16, 48, 14, 8, 60), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
