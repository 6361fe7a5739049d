"""The admin's date hierarchies probe years through an index and must give exactly
what Django's own DISTINCT query gives, at year boundaries in local time too."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import RequestCategory, ServiceRequest, WorkLog

pytestmark = pytest.mark.django_db


def _request(community, category, number, at):
    return ServiceRequest.objects.create(
        community=community,
        reference=f"HX-T-{number:05d}",
        category=category,
        description="路灯不亮",
        submitted_at=at,
        due_at=at + dt.timedelta(days=3),
        original_due_at=at + dt.timedelta(days=3),
    )


@pytest.fixture
def category():
    return RequestCategory.objects.create(name="测试类别")


def test_request_years_match_djangos_own_query_across_local_new_year(community, category):
    zone = timezone.get_current_timezone()
    # 2023-12-31 23:30 in Ürümqi-on-Beijing-time is still 2023 locally but 2023-12-31 15:30 UTC;
    # 2024-01-01 00:10 local is 2023 in UTC: the years must be the local ones.
    moments = [
        dt.datetime(2021, 6, 1, 9, 0, tzinfo=zone),
        dt.datetime(2023, 12, 31, 23, 30, tzinfo=zone),
        dt.datetime(2024, 1, 1, 0, 10, tzinfo=zone),
    ]
    for number, at in enumerate(moments):
        _request(community, category, number, at)
    queryset = ServiceRequest.objects.all()
    expected = list(models.QuerySet.datetimes(queryset, "submitted_at", "year"))
    assert [d.year for d in expected] == [2021, 2023, 2024]
    assert list(queryset.datetimes("submitted_at", "year")) == expected
    assert list(queryset.datetimes("submitted_at", "year", order="DESC")) == expected[::-1]
    # Filtered (a community's list) and empty querysets, and month kinds unchanged.
    assert list(queryset.filter(pk=-1).datetimes("submitted_at", "year")) == []
    assert list(queryset.datetimes("submitted_at", "month")) == list(
        models.QuerySet.datetimes(queryset, "submitted_at", "month")
    )
    with CaptureQueriesContext(connection) as queries:
        list(queryset.datetimes("submitted_at", "year"))
    assert len(queries.captured_queries) == 1
    assert "DISTINCT" not in queries.captured_queries[0]["sql"]


def test_worklog_years_match_djangos_own_query(community):
    author = get_user_model().objects.create_user("author")
    for day in (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2024, 5, 1)):
        WorkLog.objects.create(
            community=community, date=day, kind=WorkLog.Kind.ACTIVITY, title="活动", author=author
        )
    queryset = WorkLog.objects.all()
    expected = list(models.QuerySet.dates(queryset, "date", "year"))
    assert [d.year for d in expected] == [2019, 2020, 2024]
    assert list(queryset.dates("date", "year")) == expected


def test_the_request_changelist_shows_the_years(admin_client, community, category):
    zone = timezone.get_current_timezone()
    _request(community, category, 1, dt.datetime(2022, 3, 1, 9, 0, tzinfo=zone))
    _request(community, category, 2, dt.datetime(2024, 3, 1, 9, 0, tzinfo=zone))
    html = admin_client.get("/admin/governance/servicerequest/").content.decode()
    assert "submitted_at__year=2022" in html and "submitted_at__year=2024" in html
    assert "submitted_at__year=2023" not in html
