"""The batch forms of the ledger services: the single-record rules, every record checked first."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import LockedChange, MonthlyScore, WeeklyTask, WorkLog
from governance.services import ledger as work

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 1)


def entry(community, day, title="活动"):
    return WorkLog(community=community, date=day, kind=WorkLog.Kind.ACTIVITY, title=title)


def weekly(community, star, owner, due, title="任务"):
    return WeeklyTask(
        community=community,
        star=star,
        week_start=due,
        title=title,
        owner=owner,
        due_date=due,
        status=WeeklyTask.Status.DONE,
        outcome="已完成",
        closed_on=due,
    )


def lock(community, star, month=MAY):
    return MonthlyScore.objects.create(
        community=community, star=star, month=month, state=MonthlyScore.State.LOCKED
    )


def _queries_on(captured, table):
    return [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_a_batch_of_entries_reads_the_months_and_each_key_once(community, stars, member):
    days = [datetime.date(2024, month, 3) for month in range(1, 13)]
    with CaptureQueriesContext(connection) as captured:
        saved = work.save_work_logs(
            entries=[(entry(community, day), [stars["fortress"]]) for day in days], actor=member
        )
    assert [e.date for e in saved] == days
    assert all(e.author == member and list(e.stars.all()) == [stars["fortress"]] for e in saved)
    assert len(_queries_on(captured, "governance_monthlyscore")) == 1
    assert len(_queries_on(captured, "community_community")) == 1


def test_one_refused_entry_leaves_the_ledger_as_it_was(community, stars, member):
    entries = [
        (entry(community, datetime.date(2024, 5, 3)), [stars["fortress"]]),
        (entry(community, datetime.date(2024, 5, 4)), [stars["safety"]]),  # not theirs
    ]
    with pytest.raises(PermissionDenied):
        work.save_work_logs(entries=entries, actor=member)
    assert not WorkLog.objects.exists()


def test_a_batch_into_a_locked_month_logs_each_entry(community, stars, sec, member):
    score = lock(community, stars["fortress"])
    entries = [
        (entry(community, datetime.date(2024, 5, day), f"活动{day}"), [stars["fortress"]])
        for day in (3, 4)
    ] + [(entry(community, datetime.date(2024, 6, 3)), [stars["fortress"]])]
    with pytest.raises(PermissionDenied):
        work.save_work_logs(entries=entries, actor=member)
    with pytest.raises(ValidationError):
        work.save_work_logs(entries=entries, actor=sec)
    work.save_work_logs(entries=entries, actor=sec, reason="补录")
    changes = LockedChange.objects.filter(score=score).order_by("id")
    assert [c.record for c in changes] == [
        f"{WorkLog._meta.verbose_name}: 2024-05-03 活动3",
        f"{WorkLog._meta.verbose_name}: 2024-05-04 活动4",
    ]
    assert {c.action for c in changes} == {"add"}
    score.refresh_from_db()
    assert score.stale


def test_a_change_in_a_batch_moves_its_stars(community, stars, sec):
    first = work.save_work_log(
        worklog=entry(community, datetime.date(2024, 5, 3)), stars=[stars["fortress"]], actor=sec
    )
    first.title = "改"
    second = entry(community, datetime.date(2024, 5, 4))
    work.save_work_logs(entries=[(first, [stars["safety"]]), (second, [stars["unity"]])], actor=sec)
    assert list(WorkLog.objects.get(pk=first.pk).stars.all()) == [stars["safety"]]
    assert WorkLog.objects.get(pk=first.pk).title == "改"
    assert list(second.stars.all()) == [stars["unity"]]


def test_a_batch_of_weekly_tasks(community, stars, sec):
    dues = [datetime.date(2024, 5, 3) + datetime.timedelta(days=7 * i) for i in range(4)]
    tasks = [weekly(community, stars["fortress"], sec, due) for due in dues]
    tasks[0].status, tasks[0].closed_on = WeeklyTask.Status.OPEN, dues[0]
    with CaptureQueriesContext(connection) as captured:
        saved = work.save_weekly_tasks(tasks=tasks, actor=sec)
    assert len(_queries_on(captured, "governance_monthlyscore")) == 1
    assert saved[0].closed_on is None  # an open task has no closing day
    assert [t.week_start for t in saved] == [due - datetime.timedelta(days=4) for due in dues]
    assert all(t.created_by == sec for t in saved)
    assert WeeklyTask.objects.count() == 4


def test_weekly_tasks_of_another_communitys_star_are_refused(community, other_community, sec):
    task = weekly(community, other_community.stars.first(), sec, datetime.date(2024, 5, 3))
    with pytest.raises(ValidationError):
        work.save_weekly_tasks(tasks=[task], actor=sec)
    assert not WeeklyTask.objects.exists()
