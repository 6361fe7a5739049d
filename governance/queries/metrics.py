"""Request and dispute figures for any month, quarter or year, computed in SQL.

Periods are half-open date ranges [start, end) in the community's time zone, as everywhere in
governance.queries.indicators. Definitions (formula version 1):

Requests
- received: submitted in the period.
- resolved: resolved in the period (and not reopened since).
- due: deadline in the period, neither rejected nor merged, and either resolved already or past
  its deadline now (not-yet-due requests are left out).
- on time: of those due, resolved no later than the (possibly extended) deadline.
- rated / satisfied / solved: ratings given in the period; satisfied = 满意 + 基本满意;
  solved = the resident said it was solved.
- median hours to resolve: over the requests resolved in the period, submission to resolution.

Disputes (cohort: found in the period; later steps counted up to the end of the period)
- found (排查); mediated = accepted for mediation by the end of the period; mediated_resolved =
  of those, resolved (化解) by the end; resolved = resolved (化解) by the end.
- 调处率 = mediated_resolved ÷ mediated;  化解率 = resolved ÷ found.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.disputes import Dispute, LegalConsultation
from governance.models.requests import ServiceRequest
from governance.periods import local_midnight as _aware
from governance.queries.indicators import rate_source

FORMULA_VERSION = 1
Status = ServiceRequest.Status
Satisfaction = ServiceRequest.Satisfaction
GROUPS = {None: None, "grid": "grid", "star": "star"}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass
class RequestFigures:
    key: int | None
    received: int = 0
    resolved: int = 0
    due: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    solved: int = 0
    median_hours: float | None = None

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.rated)

    @property
    def solved_rate(self):
        return _rate(self.solved, self.rated)


def _request_base(community, star=None):
    queryset = ServiceRequest.objects.filter(community=community)
    if star is not None:
        queryset = queryset.filter(star=star)
    return queryset


def request_figures(
    *,
    community,
    start: dt.date,
    end: dt.date,
    group_by: str | None = None,
    star=None,
    now=None,
    with_median: bool = True,
    only: tuple[str, ...] | None = None,
) -> list[RequestFigures]:
    """Figures for the period, one row per grid or star (group_by) or a single row.

    Two queries whatever the number of requests and groups. `only` names the counts wanted
    (a rate needs two of the seven; building the others costs more than counting them); the
    figures not asked for are None, so that nobody reads an uncounted figure as a zero.
    """
    now = now or timezone.now()
    lo, hi = _aware(start), _aware(end)
    key = GROUPS[group_by]
    received = Q(submitted_at__gte=lo, submitted_at__lt=hi)
    resolved = Q(resolved_at__gte=lo, resolved_at__lt=hi)
    due = (
        Q(due_at__gte=lo, due_at__lt=hi)
        & ~Q(status__in=[Status.REJECTED, Status.MERGED])
        & (Q(resolved_at__isnull=False) | Q(due_at__lte=now))
    )
    rated = Q(rated_at__gte=lo, rated_at__lt=hi)
    base = _request_base(community, star).filter(received | resolved | due | rated)
    counts = {
        "received": Count("id", filter=received),
        "resolved": Count("id", filter=resolved),
        "due": Count("id", filter=due),
        "on_time": Count("id", filter=due & Q(resolved_at__lte=F("due_at"))),
        "rated": Count("id", filter=rated),
        "satisfied": Count(
            "id",
            filter=rated & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY]),
        ),
        "solved": Count("id", filter=rated & Q(rated_solved=True)),
    }
    skipped = dict.fromkeys(counts.keys() - set(only)) if only is not None else {}
    counts = {name: count for name, count in counts.items() if name not in skipped}
    if key is None:
        rows = [{"key": None, **base.aggregate(**counts)}]
    else:
        rows = list(base.values(key).annotate(**counts).order_by(key))
        for row in rows:
            row["key"] = row.pop(key)
    medians = {}
    if with_median:
        medians = _median_hours(_request_base(community, star).filter(resolved), key)
    figures = []
    for row in rows:
        figures.append(RequestFigures(**row, **skipped, median_hours=medians.get(row["key"])))
    if key is not None:
        # A group with resolutions only (no other figure) still has a median.
        seen = {f.key for f in figures}
        figures += [
            RequestFigures(key=k, median_hours=h) for k, h in medians.items() if k not in seen
        ]
    return figures


class SecondsBetween(Func):
    """end - start in seconds, computed natively by the database (no per-row Python function)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        # Portable fallback: Django's own duration arithmetic.
        start, end = self.source_expressions
        diff = ExpressionWrapper(end - start, output_field=DurationField())
        return compiler.compile(diff)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))",
            arg_joiner=" - ",
            **extra,
        )


def _seconds(value) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _median_hours(queryset, key: str | None) -> dict:
    """{group: median hours from submission to resolution}, using window functions in SQL."""
    duration = SecondsBetween(F("resolved_at"), F("submitted_at"))
    partition = [F(key)] if key else None
    middle = (
        queryset.annotate(
            duration=duration,
            position=Window(RowNumber(), partition_by=partition, order_by=[duration.asc(), "id"]),
            size=Window(Count("id"), partition_by=partition),
        )
        .filter(position__gte=(F("size") + 1) / 2, position__lte=(F("size") + 2) / 2)
        .values_list(key or "community_id", "duration")
    )
    found: dict = {}
    for group, duration_value in middle:  # at most two rows per group
        found.setdefault(None if key is None else group, []).append(duration_value)
    return {
        group: round(sum(map(_seconds, values)) / len(values) / 3600, 1)
        for group, values in found.items()
    }


@dataclass
class DisputeFigures:
    key: int | None
    found: int = 0
    major: int = 0
    mediated: int = 0
    mediated_resolved: int = 0
    resolved: int = 0
    referred: int = 0

    @property
    def mediation_rate(self):
        """调处(成功)率."""
        return _rate(self.mediated_resolved, self.mediated)

    @property
    def resolution_rate(self):
        """化解率."""
        return _rate(self.resolved, self.found)


def _dispute_base(community, star=None):
    queryset = Dispute.objects.filter(community=community)
    if star is not None:
        # Disputes without a star belong to the Safety and Rule of Law Star.
        unassigned = Q(star__isnull=True) if star.code == "safety" else Q(pk__in=[])
        queryset = queryset.filter(Q(star=star) | unassigned)
    return queryset


def dispute_figures(
    *, community, start: dt.date, end: dt.date, group_by: str | None = None, star=None
) -> list[DisputeFigures]:
    key = GROUPS[group_by]
    resolved = Q(outcome=Dispute.Outcome.RESOLVED, closed_on__lt=end)
    mediated = Q(mediation_accepted_on__isnull=False, mediation_accepted_on__lt=end)
    counts = {
        "found": Count("id"),
        "major": Count("id", filter=Q(is_major=True)),
        "mediated": Count("id", filter=mediated),
        "mediated_resolved": Count("id", filter=mediated & resolved),
        "resolved": Count("id", filter=resolved),
        "referred": Count("id", filter=Q(outcome=Dispute.Outcome.REFERRED, closed_on__lt=end)),
    }
    base = _dispute_base(community, star).filter(found_on__gte=start, found_on__lt=end)
    if key is None:
        return [DisputeFigures(key=None, **base.aggregate(**counts))]
    rows = base.values(key).annotate(**counts).order_by(key)
    return [DisputeFigures(key=row.pop(key), **row) for row in rows]


def legal_consultation_count(*, community, start: dt.date, end: dt.date, star=None) -> int:
    queryset = LegalConsultation.objects.filter(
        community=community, consulted_on__gte=start, consulted_on__lt=end
    )
    if star is not None:
        unassigned = Q(star__isnull=True) if star.code == "safety" else Q(pk__in=[])
        queryset = queryset.filter(Q(star=star) | unassigned)
    return queryset.count()


def _request_rate(community, start, end, star, part: str, whole: str) -> tuple[int, int]:
    """(part, whole) of the request figures in [start, end): only those two are counted."""
    figures = request_figures(
        community=community,
        start=start,
        end=end,
        star=star,
        with_median=False,
        only=(part, whole),
    )[0]
    return getattr(figures, part), getattr(figures, whole)


@rate_source("request_on_time", _("On-time request resolution"))
def request_on_time(*, community, start, end, star=None) -> tuple[int, int]:
    """(resolved on time, due) in [start, end)."""
    return _request_rate(community, start, end, star, "on_time", "due")


@rate_source("request_satisfaction", _("Residents satisfied with the handling of requests"))
def request_satisfaction(*, community, start, end, star=None) -> tuple[int, int]:
    """(满意 + 基本满意, rated) in [start, end)."""
    return _request_rate(community, start, end, star, "satisfied", "rated")


@rate_source("dispute_resolution", _("Disputes resolved (化解率)"))
def dispute_resolution(*, community, start, end, star=None) -> tuple[int, int]:
    """(disputes found in [start, end) and resolved by end, disputes found in [start, end))."""
    figures = dispute_figures(community=community, start=start, end=end, star=star)[0]
    return figures.resolved, figures.found
