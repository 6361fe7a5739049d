"""A saved quarterly assessment goes stale when one of its months is reopened: the back office
and the dashboard say so, and assessing the quarter again clears it."""

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import MonthlyScore, QuarterlyAssessment
from governance.services import scoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed_q1(community, stars, secretary):
    for month in (1, 2, 3):
        for star in stars.values():
            MonthlyScore.objects.create(
                community=community,
                star=star,
                month=dt.date(2024, month, 1),
                state="locked",
                total=85,
            )
    scoring.assess_quarter(community=community, year=2024, quarter=1, actor=secretary)


def test_reopening_a_month_marks_the_assessment_stale(client, community, secretary, assessed_q1):
    quarter = reverse("governance:dashboard-quarter", kwargs={"year": 2024, "quarter": 1})
    client.force_login(secretary)
    assert "请重新考核" not in client.get(quarter).content.decode()

    scoring.reopen_month(
        community=community, month=dt.date(2024, 2, 1), actor=secretary, reason="补录台账"
    )
    assert set(QuarterlyAssessment.objects.values_list("stale", flat=True)) == {True}
    assert "请重新考核" in client.get(quarter).content.decode()
    listing = client.get("/admin/governance/quarterlyassessment/?stale__exact=1")
    assert listing.context["cl"].result_count == 6

    scoring.lock_month(community=community, month=dt.date(2024, 2, 1), actor=secretary)
    response = client.post(quarter, {})
    assert response.status_code == 302
    assert set(QuarterlyAssessment.objects.values_list("stale", flat=True)) == {False}
    assert "请重新考核" not in client.get(quarter).content.decode()


def test_reopening_another_quarters_month_leaves_it(community, stars, secretary, assessed_q1):
    for star in stars.values():
        MonthlyScore.objects.create(
            community=community, star=star, month=dt.date(2024, 4, 1), state="locked"
        )
    scoring.reopen_month(
        community=community, month=dt.date(2024, 4, 1), actor=secretary, reason="补录"
    )
    assert not QuarterlyAssessment.objects.filter(stale=True).exists()
