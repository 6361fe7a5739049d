"""The records of a community's year, as the annual figures read them.

Each source is one SQL aggregate (or one short list) over one kind of record, run the first time
a figure asks for it and kept for the others: a fixed number of queries whatever the size of the
data, and none for a star the community does not have.
"""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from community.models import Household, PartyMember, Resident
from governance.models import (
    CouncilMeeting,
    Enrollment,
    JobPlacement,
    Nomination,
    Pairing,
    PairingContact,
    Payment,
    Project,
    Relief,
)
from governance.periods import period_bounds
from governance.queries import metrics
from governance.queries.scores import ledger_figures

# The ethnicity code of the Han majority; every other (non-empty) code is a minority group.
HAN = "01"

SOURCES = {}


def source(function):
    """Register a source under its function's name."""
    SOURCES[function.__name__] = function
    return function


class YearRecords:
    """A community's year [start, end) and its sources, each read once on first use."""

    def __init__(self, *, community, year: int):
        self.community = community
        self.year = year
        self.start, self.end = period_bounds(year)
        self._read = {}

    def __getitem__(self, name: str):
        if name not in self._read:
            self._read[name] = SOURCES[name](self)
        return self._read[name]

    def ledger_total(self, star, name: str, kind: str = "") -> int:
        """A ledger figure of the star's year, over one kind of entry or all of them."""
        return sum(
            bucket[name]
            for (star_id, row_kind), bucket in self["ledger"].items()
            if star_id == star.id and (not kind or row_kind == kind)
        )

    def dated(self, field: str) -> dict:
        """The filter keeping records whose `field` lies in the year."""
        return {f"{field}__gte": self.start, f"{field}__lt": self.end}


@source
def ledger(year: YearRecords) -> dict:
    """{(star id, kind): figures} of the year's work log (joint work counts for each star)."""
    return ledger_figures(community=year.community, start=year.start, end=year.end)


def living(year: YearRecords):
    """The residents living here at the end of the year (by their move-in and move-out dates):
    a past year's population never changes with later imports or moves."""
    return Resident.objects.filter(community=year.community).living_on(year.end)


@source
def people(year: YearRecords) -> dict:
    """Residents at the end of the year, and those of minority groups."""
    return living(year).aggregate(
        residents=Count("id"), minority=Count("id", filter=~Q(ethnicity__in=["", HAN]))
    )


@source
def households(year: YearRecords) -> int:
    """Households with somebody living there at the end of the year."""
    lived_in = living(year).filter(household=OuterRef("pk"))
    return Household.objects.filter(community=year.community).filter(Exists(lived_in)).count()


@source
def requests(year: YearRecords):
    """Residents' requests received and resolved, as governance.queries.metrics counts them."""
    return metrics.request_figures(
        community=year.community, start=year.start, end=year.end, with_median=False
    )[0]


@source
def disputes(year: YearRecords):
    """Disputes found, major ones, mediation and resolution rates (governance.queries.metrics)."""
    return metrics.dispute_figures(community=year.community, start=year.start, end=year.end)[0]


@source
def consultations(year: YearRecords) -> int:
    return metrics.legal_consultation_count(
        community=year.community, start=year.start, end=year.end
    )


@source
def party(year: YearRecords) -> dict:
    """Party members, and in-service members who registered with the community in the year."""
    dual = Q(kind=PartyMember.Kind.IN_SERVICE, **year.dated("dual_registered_on"))
    return PartyMember.objects.filter(community=year.community).aggregate(
        total=Count("id"), dual=Count("id", filter=dual)
    )


@source
def courses(year: YearRecords) -> list[dict]:
    """Registrations of the year per training course (dropped ones do not count)."""
    return list(
        Enrollment.objects.filter(course__community=year.community, **year.dated("registered_on"))
        .exclude(status=Enrollment.Status.DROPPED)
        .values("course_id", "course__title")
        .annotate(n=Count("id"))
        .order_by("course_id")
    )


@source
def placements(year: YearRecords) -> int:
    return JobPlacement.objects.filter(community=year.community, **year.dated("placed_on")).count()


@source
def relief(year: YearRecords) -> int:
    """Temporary relief applied for in the year and approved."""
    return (
        Relief.objects.filter(community=year.community, **year.dated("applied_on"))
        .approved()
        .count()
    )


@source
def projects(year: YearRecords) -> list[Project]:
    """The projects running in the year, each with what was paid by the end of the year."""
    paid = Payment.objects.filter(contract__project=OuterRef("pk"), paid_on__lt=year.end)
    paid_sum = paid.values("contract__project").annotate(s=Sum("amount")).values("s")[:1]
    return list(
        Project.objects.for_community(year.community)
        .filter(Q(started_on__isnull=True) | Q(started_on__lt=year.end))
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=year.start))
        .annotate(paid=Coalesce(Subquery(paid_sum), Decimal(0)))
        .order_by("id")
    )


@source
def council_meetings(year: YearRecords) -> int:
    return CouncilMeeting.objects.filter(
        council__community=year.community, **year.dated("held_on")
    ).count()


@source
def pairings(year: YearRecords) -> dict:
    """Pairings active in the year, and those with a contact in the year."""
    contacts = PairingContact.objects.filter(pairing=OuterRef("pk"), **year.dated("contacted_on"))
    return (
        Pairing.objects.for_community(year.community)
        .active_between(year.start, year.end)
        .annotate(contacted=Exists(contacts))
        .aggregate(total=Count("id"), reached=Count("id", filter=Q(contacted=True)))
    )


@source
def winners(year: YearRecords) -> dict:
    """The year's honours campaign and its winners per kind (one campaign a year)."""
    rows = (
        Nomination.objects.filter(
            campaign__community=year.community,
            campaign__year=year.year,
            status=Nomination.Status.WINNER,
        )
        .values("campaign_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    campaign, kinds = None, {}
    for row in rows:  # at most four rows
        campaign = row["campaign_id"]
        kinds[row["kind"]] = row["n"]
    return {"campaign": campaign, "kinds": kinds}
