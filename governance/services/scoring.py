"""The six stars' scoring, the writes: default indicators, the month's scores, review, locking.

The month's scores are calculated by governance.queries.scores (SQL figures combined by the
formula of governance.score_formula) and stored here; the secretary reviews them (R,
C, a bonus), locks the month once every star is reviewed and fresh, may reopen it with a reason,
and makes the quarterly assessment once the quarter's three months are locked (reopening one
of them marks the assessment stale until it is made again). Veto events and
hand-entered values are written through the month guard: a change to a locked month needs the
secretary and a reason.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_secretary
from governance.models import (
    Indicator,
    IndicatorResult,
    LockedChange,
    ManualValue,
    MonthlyScore,
    QuarterlyAssessment,
    Star,
    VetoEvent,
)
from governance.periods import month_start
from governance.queries.scores import calculate, quarter_rows, rule_for
from governance.score_formula import (
    DEFAULT_RULE,
    FORMULA_VERSION,
    combine,
    q2,
    rank,
)
from governance.services.locked_months import delete_guarded, guard_months

# The indicators a community starts with (targets are proposals the secretary edits):
# (star code, name, source, kind or figure or rate key, monthly target, weight).
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
        score.total = _total(score, rule)
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


def _total(score: MonthlyScore, rule: dict) -> Decimal:
    """The score's S from its stored parts under the rule."""
    return combine(
        objective=score.objective,
        review=score.review,
        satisfaction=score.satisfaction,
        bonus=score.bonus,
        deduction=score.deduction,
        vetoed=score.vetoed,
        rule=rule,
    )


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
    score.total = _total(score, rule)
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
    # The quarter's assessment was made from the locked month: it no longer stands until the
    # quarter is assessed again (assess_quarter clears the flag).
    start = month_start(month)
    QuarterlyAssessment.objects.filter(
        community=community, year=start.year, quarter=(start.month - 1) // 3 + 1
    ).update(stale=True)
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
        record=event, community=event.community, touched=touched, actor=actor, reason=reason
    )
    event.save()
    return event


@transaction.atomic
def delete_veto_event(*, event: VetoEvent, actor, reason: str = "") -> None:
    if not is_secretary(actor):
        raise PermissionDenied(_("Only the party secretary records veto events."))
    delete_guarded(record=event, touched={(event.star_id, event.date)}, actor=actor, reason=reason)


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
        record=value, community=indicator.community, touched=touched, actor=actor, reason=reason
    )
    value.entered_by = actor
    value.save()
    return value


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
                "stale": False,
            },
        )
        assessments.append(assessment)
    return assessments
