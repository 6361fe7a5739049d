"""Review and locking: who may, what a locked month freezes, changes with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from governance.models import Indicator, LockedChange, MonthlyScore, WeeklyTask, WorkLog
from governance.services import ledger as work
from governance.services import scoring

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 1)
D = Decimal


def review_all(community, sec):
    for score in scoring.compute_month(community=community, month=MAY):
        scoring.review_score(score=score, actor=sec, review=D(80), satisfaction=D(90), comment="好")


@pytest.fixture
def locked_may(community, stars, sec, log):
    Indicator.objects.create(
        community=community,
        star=stars["fortress"],
        name="活动",
        source="ledger_count",
        monthly_target=2,
    )
    entry = log([stars["fortress"]], datetime.date(2024, 5, 6), title="五月活动")
    review_all(community, sec)
    scoring.lock_month(community=community, month=MAY, actor=sec)
    return entry


def test_a_star_member_cannot_review_or_lock(community, sec, member):
    scores = scoring.compute_month(community=community, month=MAY)
    with pytest.raises(PermissionDenied):
        scoring.review_score(
            score=scores[0], actor=member, review=D(80), satisfaction=D(80), comment="x"
        )
    review_all(community, sec)
    with pytest.raises(PermissionDenied):
        scoring.lock_month(community=community, month=MAY, actor=member)
    assert not MonthlyScore.objects.filter(state="locked").exists()


def test_staff_cannot_lock_either(community, sec, clerk):
    review_all(community, sec)
    with pytest.raises(PermissionDenied):
        scoring.lock_month(community=community, month=MAY, actor=clerk)


def test_the_secretary_locks_only_a_fully_reviewed_month(community, sec):
    scores = scoring.compute_month(community=community, month=MAY)
    scoring.review_score(score=scores[0], actor=sec, review=D(80), satisfaction=D(80), comment="x")
    with pytest.raises(ValidationError, match="Review every star|审核"):
        scoring.lock_month(community=community, month=MAY, actor=sec)
    review_all(community, sec)
    locked = scoring.lock_month(community=community, month=MAY, actor=sec)
    assert {s.state for s in locked} == {"locked"}
    assert {s.locked_by for s in MonthlyScore.objects.filter(month=MAY)} == {sec}


def test_a_month_without_scores_cannot_be_locked(community, sec):
    with pytest.raises(ValidationError):
        scoring.lock_month(community=community, month=MAY, actor=sec)


def test_a_locked_month_is_not_recalculated(community, stars, sec, log, locked_may):
    before = MonthlyScore.objects.get(star=stars["fortress"], month=MAY)
    assert before.objective == D(0)  # 1 of 2 activities: 50 % -> 0 points
    WorkLog.objects.create(
        community=community, date=datetime.date(2024, 5, 7), kind="activity", title="x", author=sec
    ).stars.add(stars["fortress"])
    scoring.compute_month(community=community, month=MAY)
    after = MonthlyScore.objects.get(pk=before.pk)
    assert (after.objective, after.total, after.state) == (before.objective, before.total, "locked")


def test_a_member_cannot_change_a_record_of_a_locked_month(stars, member, locked_may):
    locked_may.title = "改"
    with pytest.raises(PermissionDenied):
        work.save_work_log(worklog=locked_may, stars=[stars["fortress"]], actor=member)
    with pytest.raises(PermissionDenied):
        work.delete_work_log(worklog=locked_may, actor=member)
    assert WorkLog.objects.get(pk=locked_may.pk).title == "五月活动"


def test_the_secretary_changes_a_locked_record_with_a_reason(stars, sec, locked_may):
    locked_may.participants = 50
    with pytest.raises(ValidationError, match="reason|原因"):
        work.save_work_log(worklog=locked_may, stars=[stars["fortress"]], actor=sec)
    work.save_work_log(
        worklog=locked_may, stars=[stars["fortress"]], actor=sec, reason="补录签到表人数"
    )
    score = MonthlyScore.objects.get(star=stars["fortress"], month=MAY)
    assert score.stale and score.state == "locked"
    change = LockedChange.objects.get()
    assert (change.score, change.reason, change.user, change.action) == (
        score,
        "补录签到表人数",
        sec,
        "change",
    )


def test_moving_a_record_into_a_locked_month_is_guarded(community, stars, member, log):
    entry = log([stars["fortress"]], datetime.date(2024, 6, 3), author=member)
    # May is locked; June is open.
    for score in scoring.compute_month(community=community, month=MAY):
        MonthlyScore.objects.filter(pk=score.pk).update(state="locked")
    entry.date = datetime.date(2024, 5, 30)
    with pytest.raises(PermissionDenied):
        work.save_work_log(worklog=entry, stars=[stars["fortress"]], actor=member)


def test_weekly_tasks_of_a_locked_month_are_frozen(stars, sec, member, task, locked_may):
    overdue = task(stars["fortress"], datetime.date(2024, 5, 8))
    with pytest.raises(PermissionDenied):
        work.complete_task(task=overdue, outcome="完成", actor=member)
    with pytest.raises(ValidationError):
        work.complete_task(task=overdue, outcome="完成", actor=sec)
    work.complete_task(task=overdue, outcome="完成", actor=sec, reason="当周已完成,漏登")
    overdue.refresh_from_db()
    assert overdue.status == WeeklyTask.Status.DONE
    assert MonthlyScore.objects.get(star=stars["fortress"], month=MAY).stale


def test_an_open_months_change_marks_the_draft_stale(community, stars, member, log):
    scoring.compute_month(community=community, month=MAY)
    entry = log([stars["fortress"]], datetime.date(2024, 5, 6), author=member)
    work.save_work_log(worklog=entry, stars=[stars["fortress"]], actor=member)
    assert MonthlyScore.objects.get(star=stars["fortress"], month=MAY).stale
    assert not MonthlyScore.objects.get(star=stars["safety"], month=MAY).stale
    scoring.compute_month(community=community, month=MAY)
    assert not MonthlyScore.objects.filter(stale=True).exists()


def test_a_stale_month_cannot_be_locked_before_recalculating(community, stars, sec, log):
    review_all(community, sec)
    entry = log([stars["fortress"]], datetime.date(2024, 5, 6))
    work.save_work_log(worklog=entry, stars=[stars["fortress"]], actor=sec)
    with pytest.raises(ValidationError, match="recalculate|重新计算"):
        scoring.lock_month(community=community, month=MAY, actor=sec)
    scoring.compute_month(community=community, month=MAY)
    scoring.lock_month(community=community, month=MAY, actor=sec)


def test_reopening_needs_the_secretary_and_a_reason(community, sec, member, locked_may):
    with pytest.raises(PermissionDenied):
        scoring.reopen_month(community=community, month=MAY, actor=member, reason="x")
    with pytest.raises(ValidationError):
        scoring.reopen_month(community=community, month=MAY, actor=sec, reason=" ")
    scoring.reopen_month(community=community, month=MAY, actor=sec, reason="数据有误")
    assert set(MonthlyScore.objects.values_list("state", flat=True)) == {"reviewed"}
    assert LockedChange.objects.filter(action="reopen").count() == 6


def test_a_locked_review_cannot_be_changed(community, sec, locked_may):
    score = MonthlyScore.objects.filter(month=MAY).first()
    with pytest.raises(ValidationError):
        scoring.review_score(score=score, actor=sec, review=D(1), satisfaction=D(1), comment="x")


def test_veto_events_are_the_secretarys(community, stars, sec, member, make_user):
    from governance.models import VetoEvent

    event = VetoEvent(
        community=community,
        star=stars["unity"],
        date=datetime.date(2024, 5, 2),
        kind="unity",
        description="事件",
    )
    with pytest.raises(PermissionDenied):
        scoring.save_veto_event(event=event, actor=member)
    clerk = make_user("clerk2", roles.STAFF)
    with pytest.raises(PermissionDenied):
        scoring.save_veto_event(event=event, actor=clerk)
    scoring.save_veto_event(event=event, actor=sec)
    score = next(
        s for s in scoring.compute_month(community=community, month=MAY) if s.star.code == "unity"
    )
    assert score.vetoed and score.total == 0


def test_a_manual_value_of_a_locked_month_needs_the_secretary_and_a_reason(
    community, stars, sec, clerk, locked_may
):
    from governance.models import ManualValue

    manual = Indicator.objects.create(
        community=community, star=stars["jobs"], name="报名", source="manual", monthly_target=10
    )
    value = ManualValue(indicator=manual, month=MAY, value=D(8))
    with pytest.raises(PermissionDenied):
        scoring.save_manual_value(value=value, actor=clerk)
    with pytest.raises(ValidationError):
        scoring.save_manual_value(value=value, actor=sec)
    scoring.save_manual_value(value=value, actor=sec, reason="补录")
    assert MonthlyScore.objects.get(star=stars["jobs"], month=MAY).stale
    june = ManualValue(indicator=manual, month=datetime.date(2024, 6, 15), value=D(9))
    scoring.save_manual_value(value=june, actor=clerk)
    assert june.month == datetime.date(2024, 6, 1)
