"""Every registry changelist and the due-visit list run the same number of queries with 1
and 3 rows; the due-visit list is computed from the care tags' visit frequencies."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import PartyMember, ResidentTag, VolunteerService
from community.queries import due_visits
from community.services import record_access, record_visit
from privacy.models import AccessLog
from tests.factories import HouseholdFactory, ResidentFactory, make_id_number

pytestmark = pytest.mark.django_db

_doors = itertools.count(500)


def _add_rows(registry, n):
    """n more residents (with tags and visits), party members, volunteer hours, log rows."""
    for _ in range(n):
        home = HouseholdFactory(
            community=registry.community,
            building=registry.home_a.building,
            door_number=str(next(_doors)),
        )
        resident = ResidentFactory(
            community=registry.community, household=home, id_number=make_id_number(),
            phone=f"139{next(_doors):08d}",
        )  # fmt: skip
        ResidentTag.objects.create(resident=resident, tag=registry.tag("低保"))
        ResidentTag.objects.create(resident=resident, tag=registry.tag("残疾"))
        record_visit(visitor=registry.worker_a, household=home, resident=resident)
        member = PartyMember.objects.create(community=registry.community, resident=resident)
        VolunteerService.objects.create(
            community=registry.community, party_member=member, activity="清扫", hours=2
        )
        VolunteerService.objects.create(
            community=registry.community, resident=resident, activity="巡逻", hours=1
        )
        record_access(
            user=registry.secretary,
            action=AccessLog.Action.EXPORT,
            model=type(resident),
            object_ids=[resident.pk],
            reason="测试",
        )


URLS = [
    "/admin/community/resident/",
    "/admin/community/household/",
    "/admin/community/visit/",
    "/admin/community/visit/due/",
    "/admin/community/partymember/",
    "/admin/community/volunteerservice/",
    "/admin/privacy/accesslog/",
    "/admin/community/building/",
    "/admin/community/grid/",
    "/admin/community/compound/",
    "/admin/community/caretag/",
]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["secretary", "worker_a"])
def test_changelists_run_the_same_number_of_queries_for_1_and_3_rows(client, registry, url, role):
    user = getattr(registry, role)
    client.force_login(user)
    _add_rows(registry, 1)
    response = client.get(url)
    if response.status_code == 403:
        return  # this role may not see the list at all
    one = _count(client, url)
    _add_rows(registry, 2)
    three = _count(client, url)
    assert one == three, url
    assert three <= 20, url


def _tag(registry, resident, name, since=dt.date(2024, 1, 1), until=None):
    ResidentTag.objects.create(resident=resident, tag=registry.tag(name), since=since, until=until)


@time_machine.travel(dt.datetime(2024, 6, 30, 4, tzinfo=dt.UTC))
def test_due_visits_follow_the_most_frequent_tag(registry):
    today = dt.date(2024, 6, 30)
    a1, a2, a3, a4 = (
        HouseholdFactory(
            community=registry.community, building=registry.home_a.building, door_number=d
        )
        for d in ["301", "302", "303", "304"]
    )
    old = ResidentFactory(community=registry.community, household=a1, name="独居甲")
    _tag(registry, old, "独居老人")  # every 7 days
    _tag(registry, old, "低保")  # every 30 days: the 7 wins
    record_visit(visitor=registry.worker_a, household=a1, visited_on=today - dt.timedelta(10))
    poor = ResidentFactory(community=registry.community, household=a2, name="低保乙")
    _tag(registry, poor, "低保")
    record_visit(visitor=registry.worker_a, household=a2, visited_on=today - dt.timedelta(5))
    record_visit(visitor=registry.worker_a, household=a2, visited_on=today - dt.timedelta(40))
    never = ResidentFactory(community=registry.community, household=a3, name="残疾丙")
    _tag(registry, never, "残疾")
    gone = ResidentFactory(
        community=registry.community, household=a4, name="已迁出", moved_out=dt.date(2024, 3, 1)
    )
    _tag(registry, gone, "独居老人")
    ended = ResidentFactory(community=registry.community, household=a4, name="已结束")
    _tag(registry, ended, "特困", until=dt.date(2024, 5, 1))
    other_grid = ResidentFactory(community=registry.community, household=registry.home_b)
    _tag(registry, other_grid, "独居老人")

    rows = [
        (h.door_number, h.interval, h.last_visit, h.days_since, h.overdue_days)
        for h in due_visits(registry.worker_a, today=today)
    ]
    assert rows == [
        ("303", 30, None, None, None),  # never visited: first
        ("301", 7, today - dt.timedelta(10), 10, 3),  # overdue by 3 days
        ("302", 30, today - dt.timedelta(5), 5, -25),  # the latest visit counts
    ]
    # Worker B sees only grid B's household.
    assert [h.pk for h in due_visits(registry.worker_b, today=today)] == [registry.home_b.pk]


@time_machine.travel(dt.datetime(2024, 6, 30, 4, tzinfo=dt.UTC))
def test_due_visit_page_highlights_overdue_households(client, registry):
    _tag(registry, registry.canary, "独居老人")
    record_visit(
        visitor=registry.worker_a, household=registry.home_a, visited_on=dt.date(2024, 6, 1)
    )
    client.force_login(registry.worker_a)
    html = client.get("/admin/community/visit/due/").content.decode()
    assert 'class="registry-overdue"' in html
    assert "已逾期22天" in html
    assert "金丝雀(独居老人)" in html
    assert str(registry.home_b) not in html
