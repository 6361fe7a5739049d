"""The six stars' monthly scores (月评比) and quarterly assessment (季考核), see domain.md §3.

    S = wO·O + wR·R + wC·C + B − D, clamped to 0..max (defaults 0.5 / 0.2 / 0.3, max 110)

- O: the weighted mean of the star's indicator points; an indicator's points come from its
  actual against its monthly target, in bands (100 % / 90 % / 80 % -> 100 / 80 / 60, else 0).
- R: the secretary's review (0..100); C: resident satisfaction (0..100); B: a bonus (<= 10)
  with its reason; D: 1 point per overdue weekly task, at most 10.
- A veto event in the month zeroes the score.

Every figure comes from SQL aggregation (one grouped query for the whole ledger month); only
the per-star totals (a few dozen numbers) are combined in Python. Scores keep the indicator
results they were built from, so each one can be explained down to its records.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    Indicator,
    IndicatorResult,
    LockedChange,
    ManualValue,
    MonthlyScore,
    QuarterlyAssessment,
    ScoringRule,
    Star,
    VetoEvent,
    WeeklyTask,
    WorkLog,
)
from governance.models.scoring import DEFAULT_BANDS
from governance.queries.indicators import RATE_SOURCES, compute_rate
from governance.services.ledger import guard_months, is_secretary, month_start, next_month

FORMULA_VERSION = 1
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
FIGURES = ["count", "participants", "households_reached", "brochures", "online_posts"]
DEFAULT_RULE = {
    "weight_objective": Decimal("0.50"),
    "weight_review": Decimal("0.20"),
    "weight_satisfaction": Decimal("0.30"),
    "bonus_cap": Decimal("10"),
    "deduction_per_task": Decimal("1"),
    "deduction_cap": Decimal("10"),
    "max_score": Decimal("110"),
}


def q2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# The indicators a community starts with (domain.md §3; targets are proposals the secretary
# edits): (star code, name, source, kind or figure or rate key, monthly target, weight).
DEFAULT_INDICATORS = [
    ("fortress", "支部会议(支委会、党小组会)", "ledger_count", "meeting", 2, 1),
    ("fortress", "志愿服务活动", "ledger_count", "volunteer", 1, 1),
    ("fortress", "党员双报到服务率(%)", "rate", "dual_registration_service", 80, 1),
    ("safety", "矛盾纠纷化解率(%)", "rate", "dispute_resolution", 95, 2),
    ("safety", "诉求按时办结率(%)", "rate", "request_on_time", 95, 2),
    ("safety", "重点人群走访覆盖率(%)", "rate", "visit_coverage", 100, 1),
    ("safety", "法治与平安宣传活动", "ledger_count", "publicity", 1, 1),
    ("jobs", "就业政策宣传", "ledger_count", "publicity", 2, 1),
    ("jobs", "职业技能培训", "ledger_count", "training", 1, 1),
    ("jobs", "入户宣传户数", "ledger_sum", "households_reached", 100, 1),
    ("harmony", "关爱走访", "ledger_count", "home_visit", 4, 1),
    ("harmony", "政策宣传资料发放(份)", "ledger_sum", "brochures", 100, 1),
    ("cobuild", "议事协商会议", "ledger_count", "meeting", 1, 1),
    ("cobuild", "志愿服务活动", "ledger_count", "volunteer", 2, 1),
    ("cobuild", "群众参与人次", "ledger_sum", "participants", 100, 1),
    ("unity", "结对帮扶联系率(%)", "rate", "pairing_contact", 95, 2),
    ("unity", "民族团结活动", "ledger_count", "activity", 1, 1),
    ("unity", "活动参与人次", "ledger_sum", "participants", 50, 1),
]


@transaction.atomic
def ensure_default_indicators(*, community) -> int:
    """Give a community without indicators the default set (idempotent); returns how many."""
    if Indicator.objects.filter(community=community).exists():
        return 0
    stars = {star.code: star for star in Star.objects.for_community(community)}
    indicators = []
    for order, (code, name, source, detail, target, weight) in enumerate(DEFAULT_INDICATORS):
        if code not in stars:
            continue
        indicators.append(
            Indicator(
                community=community,
                star=stars[code],
                name=name,
                source=source,
                kind=detail if source == Indicator.Source.LEDGER_COUNT else "",
                figure=detail if source == Indicator.Source.LEDGER_SUM else "",
                rate_key=detail if source == Indicator.Source.RATE else "",
                monthly_target=Decimal(target),
                weight=Decimal(weight),
                order=order,
            )
        )
    return len(Indicator.objects.bulk_create(indicators))


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


# --- bands and the formula ---------------------------------------------------------------------


def band_points(actual: Decimal, target: Decimal, bands=None) -> tuple[Decimal, Decimal | None]:
    """(points, band threshold reached): actual/target against the bands, compared exactly."""
    for threshold, points in bands or DEFAULT_BANDS:
        # actual / target >= threshold %, without dividing (no rounding at the edges).
        if actual * HUNDRED >= Decimal(str(threshold)) * target:
            return Decimal(str(points)), Decimal(str(threshold))
    return Decimal(0), None


def combine(
    *,
    objective: Decimal,
    review: Decimal | None,
    satisfaction: Decimal | None,
    bonus: Decimal,
    deduction: Decimal,
    vetoed: bool,
    rule: dict,
) -> Decimal:
    """S = wO·O + wR·R + wC·C + B − D, clamped to 0..max; 0 on a veto. Missing R or C count 0."""
    if vetoed:
        return Decimal("0.00")
    total = (
        rule["weight_objective"] * objective
        + rule["weight_review"] * (review or 0)
        + rule["weight_satisfaction"] * (satisfaction or 0)
        + min(bonus, rule["bonus_cap"])
        - deduction
    )
    return q2(min(max(total, Decimal(0)), rule["max_score"]))


def deduction_for(overdue: int, rule: dict) -> Decimal:
    return q2(min(rule["deduction_per_task"] * overdue, rule["deduction_cap"]))


def rank(totals: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 1, 3) of star id -> total, highest first."""
    ordered = sorted(totals.values(), reverse=True)
    return {star_id: ordered.index(total) + 1 for star_id, total in totals.items()}


# --- the month's figures, in SQL ---------------------------------------------------------------


def ledger_figures(*, community, start: datetime.date, end: datetime.date) -> dict:
    """{(star_id, kind): {count, participants, ...}} for ledger entries start <= date < end.

    One grouped query over the stars-entries link: joint work counts for each of its stars.
    """
    link = WorkLog.stars.through.objects.filter(
        worklog__community=community, worklog__date__gte=start, worklog__date__lt=end
    )
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


def ledger_figures_python(*, community, start: datetime.date, end: datetime.date) -> dict:
    """The same figures from a plain Python loop over the rows (benchmark baseline only)."""
    figures: dict = {}
    entries = (
        WorkLog.objects.filter(community=community, date__gte=start, date__lt=end)
        .prefetch_related("stars")
        .iterator(chunk_size=2000)
    )
    for entry in entries:
        for star in entry.stars.all():
            bucket = figures.setdefault((star.id, entry.kind), dict.fromkeys(FIGURES, 0))
            bucket["count"] += 1
            bucket["participants"] += entry.participants
            bucket["households_reached"] += entry.households_reached
            bucket["brochures"] += entry.brochures
            bucket["online_posts"] += entry.online_posts
    return figures


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
    return set(
        VetoEvent.objects.filter(community=community, date__gte=start, date__lt=end)
        .values_list("star_id", flat=True)
        .distinct()
    )


@dataclass
class Actual:
    available: bool
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""


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
            return Actual(False, note=_("No value entered for this month."))
        return Actual(True, Decimal(value))
    # A rate from another module.
    if indicator.rate_key not in RATE_SOURCES:
        return Actual(False, note=_("This rate is not available (no module provides it)."))
    numerator, denominator = rate(indicator)
    if not denominator:
        return Actual(
            False, numerator=numerator, denominator=denominator, note=_("No cases this month.")
        )
    return Actual(True, q2(Decimal(numerator) * HUNDRED / denominator), numerator, denominator)


def records_url(indicator: Indicator, *, start, end) -> str:
    """The admin changelist (or the module's own page) showing the records behind an actual."""
    if indicator.source in (Indicator.Source.LEDGER_COUNT, Indicator.Source.LEDGER_SUM):
        params = {
            "stars__id__exact": indicator.star_id,
            "date__gte": start.isoformat(),
            "date__lt": end.isoformat(),
        }
        if indicator.kind:
            params["kind__exact"] = indicator.kind
        return f"{reverse('admin:governance_worklog_changelist')}?{urlencode(params)}"
    if indicator.source == Indicator.Source.MANUAL:
        params = {"indicator__id__exact": indicator.id, "month": start.isoformat()}
        return f"{reverse('admin:governance_manualvalue_changelist')}?{urlencode(params)}"
    source = RATE_SOURCES.get(indicator.rate_key)
    if source is None or source.records_url is None:
        return ""
    return (
        source.records_url(community=indicator.community, start=start, end=end, star=indicator.star)
        or ""
    )


def overdue_tasks_url(star_id: int, *, start, end) -> str:
    params = {
        "star__id__exact": star_id,
        "due_date__gte": start.isoformat(),
        "due_date__lt": end.isoformat(),
        "overdue": "yes",
    }
    return f"{reverse('admin:governance_weeklytask_changelist')}?{urlencode(params)}"


def veto_url(star_id: int, *, start, end) -> str:
    params = {
        "star__id__exact": star_id,
        "date__gte": start.isoformat(),
        "date__lt": end.isoformat(),
    }
    return f"{reverse('admin:governance_vetoevent_changelist')}?{urlencode(params)}"


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


# --- storing, reviewing, locking ---------------------------------------------------------------


def _rule_snapshot(rule: dict) -> dict:
    return {"formula": FORMULA_VERSION, **{key: str(value) for key, value in rule.items()}}


def _rule_of(score: MonthlyScore) -> dict:
    stored = score.weights or {}
    return {key: Decimal(stored.get(key, default)) for key, default in DEFAULT_RULE.items()}


@transaction.atomic
def compute_month(
    *, community, month: datetime.date, today: datetime.date | None = None
) -> list[MonthlyScore]:
    """Calculate and store the month's scores of the six stars, and rank them (idempotent).

    Locked scores are frozen: they keep their figures (and their stale flag) and only take part
    in the ranking.
    """
    start = month_start(month)
    rule = rule_for(community=community, month=start)
    months = calculate(community=community, month=start, today=today, rule=rule)
    existing = {
        score.star_id: score
        for score in MonthlyScore.objects.select_for_update().filter(
            community=community, month=start
        )
    }
    now = timezone.now()
    recalculated = []
    for star_month in months:
        score = existing.get(star_month.star.id) or MonthlyScore(
            community=community, star=star_month.star, month=start
        )
        score.star = star_month.star
        existing[star_month.star.id] = score
        if score.is_locked:
            continue
        score.objective = star_month.objective
        score.overdue_tasks = star_month.overdue
        score.deduction = star_month.deduction
        score.vetoed = star_month.vetoed
        score.weights = _rule_snapshot(rule)
        score.total = combine(
            objective=score.objective,
            review=score.review,
            satisfaction=score.satisfaction,
            bonus=score.bonus,
            deduction=score.deduction,
            vetoed=score.vetoed,
            rule=rule,
        )
        score.stale = False
        score.computed_at = now
        score.save()
        recalculated.append((score, star_month.results))
    IndicatorResult.objects.filter(score__in=[score for score, _ in recalculated]).delete()
    IndicatorResult.objects.bulk_create(
        [_attach(result, score) for score, results in recalculated for result in results]
    )
    _rerank(existing.values())
    return sorted(existing.values(), key=lambda s: (s.rank, s.star.order))


def _attach(result: IndicatorResult, score: MonthlyScore) -> IndicatorResult:
    result.score = score
    return result


def _rerank(scores) -> None:
    scores = list(scores)
    ranks = rank({score.star_id: score.total for score in scores})
    for score in scores:
        score.rank = ranks[score.star_id]
    MonthlyScore.objects.bulk_update(scores, ["rank"])


def _require(actor, permission: str, message: str) -> None:
    if not actor.has_perm(f"governance.{permission}"):
        raise PermissionDenied(message)


@transaction.atomic
def review_score(
    *,
    score: MonthlyScore,
    actor,
    review: Decimal,
    satisfaction: Decimal,
    bonus: Decimal = Decimal(0),
    bonus_reason: str = "",
    comment: str = "",
) -> MonthlyScore:
    """The secretary's review: R, C, the bonus and a comment; the score becomes "reviewed"."""
    _require(actor, "review_monthlyscore", _("Only the party secretary reviews the scores."))
    score = MonthlyScore.objects.select_for_update().get(pk=score.pk)
    if score.is_locked:
        raise ValidationError(_("This month is locked; reopen it to change the review."))
    rule = _rule_of(score)
    errors = {}
    for name, value in [("review", review), ("satisfaction", satisfaction)]:
        if value is None or not 0 <= value <= 100:
            errors[name] = _("Give a score from 0 to 100.")
    if bonus is None or not 0 <= bonus <= rule["bonus_cap"]:
        errors["bonus"] = _("The bonus is at most %(cap)s points.") % {"cap": rule["bonus_cap"]}
    elif bonus > 0 and not bonus_reason.strip():
        errors["bonus_reason"] = _("Give the reason for the bonus.")
    if not comment.strip():
        errors["review_comment"] = _("The review needs a comment.")
    if errors:
        raise ValidationError(errors)
    score.review = q2(review)
    score.satisfaction = q2(satisfaction)
    score.bonus = q2(bonus)
    score.bonus_reason = bonus_reason.strip()
    score.review_comment = comment.strip()
    score.total = combine(
        objective=score.objective,
        review=score.review,
        satisfaction=score.satisfaction,
        bonus=score.bonus,
        deduction=score.deduction,
        vetoed=score.vetoed,
        rule=rule,
    )
    score.state = MonthlyScore.State.REVIEWED
    score.reviewed_by = actor
    score.reviewed_at = timezone.now()
    score.save()
    _rerank(MonthlyScore.objects.filter(community=score.community_id, month=score.month))
    return score


@transaction.atomic
def lock_month(*, community, month: datetime.date, actor) -> list[MonthlyScore]:
    """Lock the month's six scores: only the secretary, only once all are reviewed and fresh."""
    _require(actor, "lock_monthlyscore", _("Only the party secretary can lock a month."))
    start = month_start(month)
    scores = list(
        MonthlyScore.objects.select_for_update()
        .filter(community=community, month=start)
        .select_related("star")
    )
    star_count = Star.objects.for_community(community).count()
    if len(scores) < star_count:
        raise ValidationError(_("Calculate the scores of all the stars before locking the month."))
    not_reviewed = [s.star.name for s in scores if s.state == MonthlyScore.State.DRAFT]
    if not_reviewed:
        raise ValidationError(
            _("Review every star before locking the month (not yet reviewed: %(stars)s).")
            % {"stars": "、".join(not_reviewed)}
        )
    stale = [s.star.name for s in scores if s.stale and not s.is_locked]
    if stale:
        raise ValidationError(
            _("Records changed since the last calculation (%(stars)s): recalculate first.")
            % {"stars": "、".join(stale)}
        )
    now = timezone.now()
    for score in scores:
        if not score.is_locked:
            score.state = MonthlyScore.State.LOCKED
            score.locked_by = actor
            score.locked_at = now
    MonthlyScore.objects.bulk_update(scores, ["state", "locked_by", "locked_at"])
    return scores


@transaction.atomic
def reopen_month(*, community, month: datetime.date, actor, reason: str) -> list[MonthlyScore]:
    """Unlock a locked month (the secretary, with a reason) so its scores can be recalculated."""
    _require(actor, "lock_monthlyscore", _("Only the party secretary can reopen a month."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening the month."), code="reason")
    scores = list(
        MonthlyScore.objects.select_for_update().filter(
            community=community, month=month_start(month), state=MonthlyScore.State.LOCKED
        )
    )
    if not scores:
        raise ValidationError(_("This month is not locked."))
    for score in scores:
        score.state = MonthlyScore.State.REVIEWED
        score.locked_by = None
        score.locked_at = None
    MonthlyScore.objects.bulk_update(scores, ["state", "locked_by", "locked_at"])
    LockedChange.objects.bulk_create(
        LockedChange(score=s, record=str(s), action="reopen", reason=reason, user=actor)
        for s in scores
    )
    return scores


@transaction.atomic
def save_veto_event(*, event: VetoEvent, actor, reason: str = "") -> VetoEvent:
    """Record or change a veto event (the secretary); it zeroes the star's month."""
    if not is_secretary(actor):
        raise PermissionDenied(_("Only the party secretary records veto events."))
    if event.star.community_id != event.community_id:
        raise ValidationError(_("The star belongs to another community."), code="star")
    touched = {(event.star_id, event.date)}
    if event.pk:
        before = VetoEvent.objects.get(pk=event.pk)
        touched.add((before.star_id, before.date))
    else:
        event.recorded_by = actor
    guard_months(
        community=event.community,
        touched=touched,
        actor=actor,
        reason=reason,
        record=f"{VetoEvent._meta.verbose_name}: {event}",
        action="change" if event.pk else "add",
    )
    event.save()
    return event


@transaction.atomic
def delete_veto_event(*, event: VetoEvent, actor, reason: str = "") -> None:
    if not is_secretary(actor):
        raise PermissionDenied(_("Only the party secretary records veto events."))
    guard_months(
        community=event.community,
        touched={(event.star_id, event.date)},
        actor=actor,
        reason=reason,
        record=f"{VetoEvent._meta.verbose_name}: {event}",
        action="delete",
    )
    event.delete()


@transaction.atomic
def save_manual_value(*, value: ManualValue, actor, reason: str = "") -> ManualValue:
    """Enter or correct the month's value of a hand-entered indicator."""
    indicator = value.indicator
    if indicator.source != Indicator.Source.MANUAL:
        raise ValidationError(_("This indicator is not entered by hand."), code="source")
    value.month = month_start(value.month)
    touched = {(indicator.star_id, value.month)}
    if value.pk:
        before = ManualValue.objects.select_related("indicator").get(pk=value.pk)
        touched.add((before.indicator.star_id, before.month))
    guard_months(
        community=indicator.community,
        touched=touched,
        actor=actor,
        reason=reason,
        record=f"{ManualValue._meta.verbose_name}: {value}",
        action="change" if value.pk else "add",
    )
    value.entered_by = actor
    value.save()
    return value


# --- the quarter -------------------------------------------------------------------------------


def quarter_months(year: int, quarter: int) -> list[datetime.date]:
    first = 3 * (quarter - 1) + 1
    return [datetime.date(year, first + i, 1) for i in range(3)]


def grade_for(mean: Decimal) -> str:
    Grade = QuarterlyAssessment.Grade
    for threshold, grade in [(90, Grade.EXCELLENT), (80, Grade.GOOD), (70, Grade.FAIR)]:
        if mean >= threshold:
            return grade
    return Grade.PASS if mean >= 60 else Grade.FAIL


def status_for(mean: Decimal, vetoed: bool) -> str:
    Status = QuarterlyAssessment.Status
    if vetoed or mean < 70:
        return Status.WITHDRAWN
    return Status.LIT if mean >= 80 else Status.KEPT


@dataclass
class QuarterRow:
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


@transaction.atomic
def assess_quarter(
    *, community, year: int, quarter: int, actor, remarks: dict[int, str] | None = None
) -> list[QuarterlyAssessment]:
    """Store the quarterly assessment; all three months must be locked first."""
    _require(
        actor,
        "assess_quarterlyassessment",
        _("Only the party secretary makes the quarterly assessment."),
    )
    rows = quarter_rows(community=community, year=year, quarter=quarter)
    unlocked = [row.star.name for row in rows if row.months_locked < 3]
    if unlocked:
        raise ValidationError(
            _("Lock the quarter's three months first (not locked for: %(stars)s).")
            % {"stars": "、".join(unlocked)}
        )
    remarks = remarks or {}
    assessments = []
    for row in rows:
        assessment, _created = QuarterlyAssessment.objects.update_or_create(
            star=row.star,
            year=year,
            quarter=quarter,
            defaults={
                "community": community,
                "mean_score": row.mean,
                "months_scored": row.months_scored,
                "vetoed": row.vetoed,
                "status": row.status,
                "grade": row.grade,
                "remarks": remarks.get(row.star.id, ""),
                "assessed_by": actor,
            },
        )
        assessments.append(assessment)
    return assessments


def community_mean(scores) -> Decimal | None:
    scores = list(scores)
    if not scores:
        return None
    return q2(sum((s.total for s in scores), Decimal(0)) / len(scores))
