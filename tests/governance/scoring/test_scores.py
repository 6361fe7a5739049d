"""Monthly scores on a hand-computed data set, band edges, joint work, veto, the formula."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from bench.scores import ledger_figures_python
from governance import score_formula as formula
from governance.models import (
    Indicator,
    IndicatorResult,
    ManualValue,
    MonthlyScore,
    ScoringRule,
    VetoEvent,
    WeeklyTask,
    WorkLog,
)
from governance.queries import scores as score_reads
from governance.services import scoring

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 1)
D = Decimal


def day(n, month=5):
    return datetime.date(2024, month, n)


def indicator(community, star, name, source, target, weight=1, **fields):
    return Indicator.objects.create(
        community=community,
        star=star,
        name=name,
        source=source,
        monthly_target=D(target),
        weight=D(weight),
        **fields,
    )


@pytest.fixture
def may_data(community, stars, log, task, sec, test_rate):
    """The hand-computed month (see the expected figures in the test below)."""
    fortress, safety, jobs = stars["fortress"], stars["safety"], stars["jobs"]
    harmony = stars["harmony"]
    meetings = indicator(
        community, fortress, "支委会", "ledger_count", 4, kind=WorkLog.Kind.MEETING
    )
    people = indicator(community, fortress, "参与人次", "ledger_sum", 100, figure="participants")
    publicity = indicator(
        community, safety, "法治宣传", "ledger_count", 5, weight=2, kind=WorkLog.Kind.PUBLICITY
    )
    indicator(community, safety, "测试率", "rate", 95, rate_key="test_rate")
    manual = indicator(community, jobs, "培训报名", "manual", 10)
    indicator(community, harmony, "尚未提供的率", "rate", 90, rate_key="not_registered_yet")
    indicator(community, harmony, "停用", "ledger_count", 1, is_active=False)

    # Fortress: 4 meetings (100 % -> 100 points), 91 participants (91 % -> 80 points).
    log([fortress], day(3), WorkLog.Kind.MEETING, participants=30)
    log([fortress], day(10), WorkLog.Kind.MEETING, participants=25)
    log([fortress], day(20), WorkLog.Kind.MEETING)
    log([fortress], day(31), WorkLog.Kind.MEETING)  # the month's last day counts
    log([fortress], datetime.date(2024, 6, 1), WorkLog.Kind.MEETING, participants=100)
    log([fortress], datetime.date(2024, 4, 30), WorkLog.Kind.MEETING, participants=100)
    # Joint work (两星合一): counts for the fortress' participants and safety's publicity.
    log([fortress, safety], day(15), WorkLog.Kind.PUBLICITY, participants=36)
    # Safety: 4 publicity entries of a target of 5 (80 % -> 60 points, weight 2).
    for n in (5, 12, 19):
        log([safety], day(n), WorkLog.Kind.PUBLICITY, participants=10)
    log([safety], day(22), WorkLog.Kind.MEDIATION)  # another kind: not counted
    test_rate["value"] = (19, 20)  # 95 % of a 95 % target -> 100 points
    # Jobs: 8.9 of 10 by hand (89 % -> 60 points), but a veto zeroes the month.
    ManualValue.objects.create(indicator=manual, month=MAY, value=D("8.9"), entered_by=sec)
    VetoEvent.objects.create(
        community=community, star=jobs, date=day(9), kind="safety", description="x", recorded_by=sec
    )
    # Weekly tasks of the fortress: two overdue in May (-2).
    task(fortress, day(6))  # still open after its due date
    task(fortress, day(8), WeeklyTask.Status.DONE, closed_on=day(9))  # done a day late
    task(fortress, day(10), WeeklyTask.Status.DONE, closed_on=day(10))  # on time
    task(fortress, day(20), WeeklyTask.Status.CANCELLED)  # cancelled: no deduction
    task(fortress, day(3, month=6))  # next month
    # Harmony: 12 overdue tasks, the deduction stops at 10.
    for _i in range(12):
        task(harmony, day(2))
    return {"meetings": meetings, "people": people, "publicity": publicity}


def review(score, sec, r, c, bonus=0, reason=""):
    return scoring.review_score(
        score=score,
        actor=sec,
        review=D(r),
        satisfaction=D(c),
        bonus=D(bonus),
        bonus_reason=reason,
        comment="认真",
    )


@time_machine.travel(datetime.datetime(2024, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_month_scores_match_the_hand_computed_answer(community, stars, sec, may_data, test_rate):
    scores = {s.star.code: s for s in scoring.compute_month(community=community, month=MAY)}
    assert {code: s.objective for code, s in scores.items()} == {
        "fortress": D("90.00"),  # (100·1 + 80·1) / 2
        "safety": D("73.33"),  # (60·2 + 100·1) / 3
        "jobs": D("60.00"),
        "harmony": D("0.00"),  # its only active indicator is not available
        "cobuild": D("0.00"),
        "unity": D("0.00"),
    }
    assert scores["fortress"].overdue_tasks == 2
    assert scores["fortress"].deduction == D("2.00")
    assert scores["harmony"].overdue_tasks == 12
    assert scores["harmony"].deduction == D("10.00")
    assert scores["jobs"].vetoed and not scores["fortress"].vetoed

    review(scores["fortress"], sec, 90, 80, bonus=5, reason="市级表彰")
    review(scores["safety"], sec, 80, 70)
    review(scores["jobs"], sec, 100, 100)
    review(scores["cobuild"], sec, 100, 100, bonus=10, reason="创新案例")
    review(scores["unity"], sec, 50, 50)

    totals = {
        s.star.code: (s.total, s.rank, s.state)
        for s in MonthlyScore.objects.filter(month=MAY).select_related("star")
    }
    assert totals == {
        "fortress": (D("90.00"), 1, "reviewed"),  # 45 + 18 + 24 + 5 − 2
        "safety": (D("73.67"), 2, "reviewed"),  # 36.665 + 16 + 21 = 73.665, half up
        "cobuild": (D("60.00"), 3, "reviewed"),  # 0 + 20 + 30 + 10
        "unity": (D("25.00"), 4, "reviewed"),  # 0 + 10 + 15
        "jobs": (D("0.00"), 5, "reviewed"),  # veto
        "harmony": (D("0.00"), 5, "draft"),  # 0 − 10, clamped at 0; tie shares the rank
    }

    results = {
        r.name: r for r in IndicatorResult.objects.filter(score__month=MAY).select_related("score")
    }
    assert set(results) == {"支委会", "参与人次", "法治宣传", "测试率", "培训报名", "尚未提供的率"}
    assert (results["支委会"].actual, results["支委会"].points) == (D(4), D(100))
    assert (results["参与人次"].actual, results["参与人次"].band) == (D(91), D(90))
    assert (results["法治宣传"].actual, results["法治宣传"].points) == (D(4), D(60))
    assert (results["测试率"].actual, results["测试率"].numerator) == (D("95.00"), 19)
    assert results["测试率"].records_url == "/records/test-rate/"
    assert results["培训报名"].points == D(60)
    assert not results["尚未提供的率"].available
    assert results["支委会"].records_url.startswith("/admin/governance/worklog/?")
    # The rate source was asked for the month and the star, once.
    assert test_rate["calls"] == [(community.id, MAY, datetime.date(2024, 6, 1), "safety")]


@time_machine.travel(datetime.datetime(2024, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_recalculating_is_idempotent_and_keeps_the_review(community, sec, may_data):
    first = scoring.compute_month(community=community, month=MAY)
    review(first[0], sec, 90, 80)
    again = scoring.compute_month(community=community, month=MAY)
    assert MonthlyScore.objects.filter(month=MAY).count() == 6
    assert IndicatorResult.objects.filter(score__month=MAY).count() == 6
    kept = MonthlyScore.objects.get(pk=first[0].pk)
    assert kept.review == D(90) and kept.state == "reviewed"
    assert {s.pk for s in again} == {s.pk for s in first}


def test_joint_work_counts_for_both_stars(community, stars, log):
    fortress, safety, unity = stars["fortress"], stars["safety"], stars["unity"]
    log([fortress, safety], day(3), WorkLog.Kind.VOLUNTEER, households_reached=12, brochures=40)
    log([safety], day(4), WorkLog.Kind.VOLUNTEER, households_reached=1)
    figures = score_reads.ledger_figures(community=community, start=MAY, end=day(1, month=6))
    assert figures[(fortress.id, "volunteer")]["count"] == 1
    assert figures[(fortress.id, "volunteer")]["households_reached"] == 12
    assert figures[(safety.id, "volunteer")]["count"] == 2
    assert figures[(safety.id, "volunteer")]["households_reached"] == 13
    assert figures[(safety.id, "volunteer")]["brochures"] == 40
    assert (unity.id, "volunteer") not in figures
    # The plain-loop version agrees (the benchmark's baseline).
    assert ledger_figures_python(community=community, start=MAY, end=day(1, month=6)) == figures


def test_other_communities_records_do_not_count(community, other_community, stars, log, sec):
    theirs = other_community.stars.get(code="fortress")
    log([theirs], day(3), WorkLog.Kind.MEETING)
    indicator(community, stars["fortress"], "会", "ledger_count", 1, kind="meeting")
    scores = scoring.compute_month(community=community, month=MAY)
    assert next(s for s in scores if s.star.code == "fortress").objective == 0


@pytest.mark.parametrize(
    ("actual", "target", "points"),
    [
        ("100", "100", 100),
        ("150", "100", 100),
        ("99.99", "100", 80),
        ("90", "100", 80),
        ("89.99", "100", 60),
        ("80", "100", 60),
        ("79.99", "100", 0),
        ("0", "100", 0),
        ("2.7", "3", 80),  # exactly 90 % of a target of 3: no floating-point slip
        ("2.4", "3", 60),  # exactly 80 %
        ("0.3", "0.3", 100),
    ],
)
def test_band_edges(actual, target, points):
    assert formula.band_points(D(actual), D(target))[0] == D(points)


@pytest.mark.parametrize(
    ("actual", "points"), [("95", 10), ("94.9", 8), ("90", 8), ("85", 6), ("84.9", 0)]
)
def test_bands_are_data(actual, points):
    bands = [[95, 10], [90, 8], [85, 6]]
    assert formula.band_points(D(actual), D(100), bands)[0] == D(points)


def test_indicator_bands_are_validated(community, stars):
    from django.core.exceptions import ValidationError

    bad = Indicator(
        community=community,
        star=stars["unity"],
        name="x",
        source="ledger_count",
        monthly_target=1,
        bands=[[80, 60], [90, 80]],
    )
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_formula_clamps_and_caps():
    rule = dict(formula.DEFAULT_RULE)
    full = {"objective": D(100), "review": D(100), "satisfaction": D(100), "vetoed": False}
    assert formula.combine(**full, bonus=D(10), deduction=D(0), rule=rule) == D("110.00")
    # The bonus cannot pass its cap, whatever is stored.
    assert formula.combine(**full, bonus=D(25), deduction=D(0), rule=rule) == D("110.00")
    assert formula.combine(
        **full, bonus=D(10), deduction=D(0), rule={**rule, "max_score": D(100)}
    ) == D("100.00")
    assert formula.combine(**{**full, "vetoed": True}, bonus=D(10), deduction=D(0), rule=rule) == 0
    none = {"objective": D(0), "review": None, "satisfaction": None, "vetoed": False}
    assert formula.combine(**none, bonus=D(0), deduction=D(10), rule=rule) == D("0.00")
    assert formula.deduction_for(3, rule) == D(3)
    assert formula.deduction_for(11, rule) == D(10)


def test_rank_shares_places_on_ties():
    assert formula.rank({1: D(90), 2: D(80), 3: D(90), 4: D(0)}) == {1: 1, 2: 3, 3: 1, 4: 4}


def test_weights_come_from_the_scoring_rule(community, stars, sec):
    ScoringRule.objects.create(
        community=community,
        valid_from=datetime.date(2024, 4, 1),
        weight_objective=D("0.6"),
        weight_review=D("0.1"),
        weight_satisfaction=D("0.3"),
    )
    ScoringRule.objects.create(community=community, valid_from=datetime.date(2024, 7, 1))
    scores = scoring.compute_month(community=community, month=MAY)
    score = next(s for s in scores if s.star.code == "unity")
    assert score.weights["weight_objective"] == "0.60"
    score = review(score, sec, 100, 50)
    assert score.total == D("25.00")  # 0.6·0 + 0.1·100 + 0.3·50


def test_scoring_rule_weights_must_add_up(community):
    from django.core.exceptions import ValidationError

    rule = ScoringRule(community=community, valid_from=MAY, weight_objective=D("0.6"))
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_review_checks_its_inputs(community, sec):
    from django.core.exceptions import ValidationError

    score = scoring.compute_month(community=community, month=MAY)[0]
    with pytest.raises(ValidationError) as error:
        scoring.review_score(
            score=score, actor=sec, review=D(101), satisfaction=D(50), bonus=D(11), comment=""
        )
    assert set(error.value.error_dict) == {"review", "bonus", "review_comment"}
    with pytest.raises(ValidationError) as error:
        scoring.review_score(
            score=score, actor=sec, review=D(90), satisfaction=D(50), bonus=D(3), comment="好"
        )
    assert set(error.value.error_dict) == {"bonus_reason"}


def test_default_indicators_are_created_once_and_score_with_the_real_rate_sources(
    community, stars, sec, log
):
    from django.core.management import call_command

    call_command("ensure_indicators", community="hongxing")
    assert Indicator.objects.filter(community=community).count() == len(scoring.DEFAULT_INDICATORS)
    call_command("ensure_indicators")
    assert Indicator.objects.filter(community=community).count() == len(scoring.DEFAULT_INDICATORS)
    for indicator_ in Indicator.objects.all():
        indicator_.full_clean()
    log([stars["unity"]], day(3), WorkLog.Kind.ACTIVITY, participants=60)
    scores = {s.star.code: s for s in scoring.compute_month(community=community, month=MAY)}
    # Rates with no cases (or no module yet) are left out; the ledger indicators count.
    assert scores["unity"].objective == D("100.00")
    assert IndicatorResult.objects.filter(score__month=MAY).count() == len(
        scoring.DEFAULT_INDICATORS
    )
