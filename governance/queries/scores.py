"""Reads of the six stars' scoring: the month's figures in SQL, the calculation, the quarter.

Every figure comes from SQL aggregation (one grouped query for the whole ledger month); only
the per-star totals (a few dozen numbers) are combined in Python, by the formula of
governance.score_formula. Scores keep the indicator results they were built from, so
each one can be explained down to its records. Storing the results is the services' work
(governance.services.scoring).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from governance.models import (
    Indicator,
    IndicatorResult,
    ManualValue,
    MonthlyScore,
    QuarterlyAssessment,
    ScoringRule,
    Star,
    VetoEvent,
    WeeklyTask,
    WorkLog,
)
from governance.periods import month_start, next_month, quarter_months
from governance.queries.indicators import RATE_SOURCES, compute_rate
from governance.queries.links import records_url
from governance.score_formula import (
    DEFAULT_RULE,
    HUNDRED,
    band_points,
    deduction_for,
    grade_for,
    q2,
    status_for,
)

# The figures summed per (star, kind) of the ledger; "count" is the number of entries.
FIGURES = ["count", "participants", "households_reached", "brochures", "online_posts"]


# --- the rule ----------------------------------------------------------------------------------


def rule_for(*, community, month: datetime.date) -> dict:
    """The weights valid in a month: the latest ScoringRule from that month back, or defaults."""
    rule = (
        ScoringRule.objects.filter(community=community, valid_from__lte=month)
        .order_by("-valid_from")
        .values(*DEFAULT_RULE)
        .first()
    )
    return {key: Decimal(value) for key, value in (rule or DEFAULT_RULE).items()}


# --- the month's figures, in SQL ---------------------------------------------------------------


@dataclass
class Actual:
    """An indicator's month: its actual, or why there is none (IndicatorResult.Missing)."""

    available: bool
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    missing: str = ""


def indicator_actual(indicator: Indicator, *, figures: dict, manual: dict, rate) -> Actual:
    """The month's actual of one indicator from the pre-aggregated figures."""
    if indicator.source in (Indicator.Source.LEDGER_COUNT, Indicator.Source.LEDGER_SUM):
        name = "count" if indicator.source == Indicator.Source.LEDGER_COUNT else indicator.figure
        value = sum(
            (
                bucket[name]
                for (star_id, kind), bucket in figures.items()
                if star_id == indicator.star_id and (not indicator.kind or kind == indicator.kind)
            ),
            0,
        )
        return Actual(True, Decimal(value))
    if indicator.source == Indicator.Source.MANUAL:
        value = manual.get(indicator.id)
        if value is None:
            return Actual(False, missing=IndicatorResult.Missing.NO_VALUE)
        return Actual(True, Decimal(value))
    # A rate from another module.
    if indicator.rate_key not in RATE_SOURCES:
        return Actual(False, missing=IndicatorResult.Missing.NO_SOURCE)
    numerator, denominator = rate(indicator)
    if not denominator:
        return Actual(
            False,
            numerator=numerator,
            denominator=denominator,
            missing=IndicatorResult.Missing.NO_CASES,
        )
    return Actual(True, q2(Decimal(numerator) * HUNDRED / denominator), numerator, denominator)


def ledger_figures(*, community, start: datetime.date, end: datetime.date) -> dict:
    """{(star_id, kind): {count, participants, ...}} for ledger entries start <= date < end.

    One grouped query over the stars-entries link: joint work counts for each of its stars.
    """
    link = WorkLog.stars.through.objects.filter(
        worklog__community=community, worklog__date__gte=start, worklog__date__lt=end
    )
    return grouped_ledger_figures(link)


def grouped_ledger_figures(link) -> dict:
    """{(star_id, kind): {count, participants, ...}} of some stars-entries link rows."""
    rows = (
        link.values("star_id", "worklog__kind")
        .annotate(
            count=Count("worklog_id"),
            participants=Sum("worklog__participants"),
            households_reached=Sum("worklog__households_reached"),
            brochures=Sum("worklog__brochures"),
            online_posts=Sum("worklog__online_posts"),
        )
        .order_by()
    )
    return {
        (row["star_id"], row["worklog__kind"]): {name: row[name] or 0 for name in FIGURES}
        for row in rows
    }


def overdue_counts(*, community, start, end, today: datetime.date) -> dict[int, int]:
    """Star id -> weekly tasks due in the month and not finished by their due date."""
    rows = (
        WeeklyTask.objects.for_community(community)
        .filter(due_date__gte=start, due_date__lt=end)
        .overdue(today)
        .values("star_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["star_id"]: row["n"] for row in rows}


def vetoed_stars(*, community, start, end) -> set[int]:
    """The ids of the stars with a veto event in [start, end)."""
    return set(
        VetoEvent.objects.filter(community=community, date__gte=start, date__lt=end)
        .values_list("star_id", flat=True)
        .distinct()
    )


@dataclass
class StarMonth:
    """One star's calculated month, before it is stored."""

    star: Star
    objective: Decimal
    overdue: int
    deduction: Decimal
    vetoed: bool
    results: list[IndicatorResult] = field(default_factory=list)


def calculate(
    *,
    community,
    month: datetime.date,
    today: datetime.date | None = None,
    figures: dict | None = None,
    rule: dict | None = None,
) -> list[StarMonth]:
    """The objective part, deductions and vetoes of the six stars for a month (not saved).

    `figures` may be passed in (the benchmark compares the SQL figures with a Python loop's).
    """
    start = month_start(month)
    end = next_month(start)
    today = today or timezone.localdate()
    rule = rule or rule_for(community=community, month=start)
    stars = list(Star.objects.for_community(community).order_by("order", "id"))
    indicators = list(
        Indicator.objects.for_community(community)
        .active()
        .select_related("star", "community")
        .order_by("star__order", "order", "id")
    )
    if figures is None:
        figures = ledger_figures(community=community, start=start, end=end)
    manual = dict(
        ManualValue.objects.filter(
            indicator__community=community, month=start, indicator__is_active=True
        ).values_list("indicator_id", "value")
    )
    overdue = overdue_counts(community=community, start=start, end=end, today=today)
    vetoes = vetoed_stars(community=community, start=start, end=end)

    def rate(indicator):
        return compute_rate(
            indicator.rate_key, community=community, start=start, end=end, star=indicator.star
        )

    months = []
    for star in stars:
        results = []
        weighted = Decimal(0)
        weights = Decimal(0)
        for order, indicator in enumerate(i for i in indicators if i.star_id == star.id):
            actual = indicator_actual(indicator, figures=figures, manual=manual, rate=rate)
            result = IndicatorResult(
                indicator=indicator,
                name=indicator.name,
                source=indicator.source,
                available=actual.available,
                actual=actual.value,
                numerator=actual.numerator,
                denominator=actual.denominator,
                target=indicator.monthly_target,
                weight=indicator.weight,
                records_url=records_url(indicator, start=start, end=end),
                order=order,
                missing=actual.missing,
            )
            if actual.available:
                points, band = band_points(actual.value, indicator.monthly_target, indicator.bands)
                result.points = points
                result.band = band
                result.share = q2(actual.value * HUNDRED / indicator.monthly_target)
                weighted += points * indicator.weight
                weights += indicator.weight
            results.append(result)
        objective = q2(weighted / weights) if weights else Decimal("0.00")
        count = overdue.get(star.id, 0)
        months.append(
            StarMonth(
                star=star,
                objective=objective,
                overdue=count,
                deduction=deduction_for(count, rule),
                vetoed=star.id in vetoes,
                results=results,
            )
        )
    return months


# Resident satisfaction (C) is suggested from this rate when a module provides it (the
# residents' ratings of their requests, attributed to the star); the secretary decides.
SATISFACTION_RATE = "request_satisfaction"


def suggested_satisfaction(*, community, star, month: datetime.date):
    """(percent or None, satisfied, rated) for the star's month, from SATISFACTION_RATE."""
    if SATISFACTION_RATE not in RATE_SOURCES:
        return None, 0, 0
    start = month_start(month)
    satisfied, rated = compute_rate(
        SATISFACTION_RATE, community=community, start=start, end=next_month(start), star=star
    )
    if not rated:
        return None, satisfied, rated
    return q2(Decimal(satisfied) * HUNDRED / rated), satisfied, rated


# --- the quarter -------------------------------------------------------------------------------


@dataclass
class QuarterRow:
    """One star's quarter, as the assessment would store it."""

    star: Star
    mean: Decimal
    months_scored: int
    months_locked: int
    vetoed: bool
    status: str
    grade: str

    @property
    def status_label(self):
        return QuarterlyAssessment.Status(self.status).label

    @property
    def grade_label(self):
        return QuarterlyAssessment.Grade(self.grade).label


def quarter_rows(*, community, year: int, quarter: int) -> list[QuarterRow]:
    """Each star's quarter from its monthly scores, in one grouped query.

    The mean is taken over the quarter's three months: a month without a score counts 0.
    """
    months = quarter_months(year, quarter)
    rows = {
        row["star_id"]: row
        for row in MonthlyScore.objects.filter(community=community, month__in=months)
        .values("star_id")
        .annotate(
            total=Sum("total"),
            scored=Count("id"),
            locked=Count("id", filter=Q(state=MonthlyScore.State.LOCKED)),
            vetoes=Count("id", filter=Q(vetoed=True)),
        )
        .order_by()
    }
    result = []
    for star in Star.objects.for_community(community).order_by("order", "id"):
        row = rows.get(star.id, {})
        mean = q2(Decimal(row.get("total") or 0) / 3)
        vetoed = bool(row.get("vetoes"))
        result.append(
            QuarterRow(
                star=star,
                mean=mean,
                months_scored=row.get("scored", 0),
                months_locked=row.get("locked", 0),
                vetoed=vetoed,
                status=status_for(mean, vetoed),
                grade=grade_for(mean),
            )
        )
    return result
