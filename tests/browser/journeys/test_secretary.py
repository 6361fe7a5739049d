"""党支部书记's week: review the last star of the month, lock the month, reopen it with a reason
and lock it again, assess the quarter, print the annual summary."""

import datetime as dt
from decimal import Decimal

import pytest

from governance.models import MonthlyScore, QuarterlyAssessment
from governance.services import scoring

pytestmark = pytest.mark.django_db(transaction=True)

QUARTER = [dt.date(2024, 4, 1), dt.date(2024, 5, 1), dt.date(2024, 6, 1)]


def _scores_of_the_quarter(office):
    """April and May reviewed and locked; June computed, every star reviewed but unity."""
    for month in QUARTER:
        for score in scoring.compute_month(community=office.community, month=month):
            if month == QUARTER[-1] and score.star.code == "unity":
                continue
            scoring.review_score(
                score=score,
                actor=office.secretary,
                review=Decimal(85),
                satisfaction=Decimal(90),
                comment="按期完成",
            )
        if month != QUARTER[-1]:
            scoring.lock_month(community=office.community, month=month, actor=office.secretary)


def test_the_secretary_reviews_locks_reopens_assesses_and_prints(office, journey):
    _scores_of_the_quarter(office)
    walk = journey(office.secretary, next_url="/dashboard/%3Fmonth%3D2024-06")
    page = walk.page
    assert page.locator(".month-state").get_attribute("data-state") == "draft"

    walk.click_through(page.locator('.star-row[data-star="unity"] a'))
    prefix = f"#id_star{office.stars['unity'].id}-"
    page.fill(prefix + "review", "88")
    page.fill(prefix + "satisfaction", "92")
    page.fill(prefix + "comment", "民族团结活动丰富")
    walk.click_through(page.locator(".review-form button[type=submit]"))

    walk.goto("/dashboard/?month=2024-06")
    walk.click_through(page.locator("#lock-month"))
    june = MonthlyScore.objects.filter(community=office.community, month=QUARTER[-1])
    assert set(june.values_list("state", flat=True)) == {"locked"}

    page.locator("summary").filter(has_text="重新开放本月").click()
    page.locator("form[action$='/reopen/'] [name=reason]").fill("补录6月民族团结活动台账")
    walk.click_through(page.locator("form[action$='/reopen/'] button[type=submit]"))
    assert "locked" not in set(june.values_list("state", flat=True))
    walk.click_through(page.locator("#lock-month"))
    assert set(june.values_list("state", flat=True)) == {"locked"}

    walk.click_through(page.get_by_role("link", name="2024年第2季度"))
    for field in page.locator(".quarter-table textarea, .quarter-table input[type=text]").all():
        field.fill("三个月均按期完成")
    walk.click_through(page.get_by_role("button", name="保存季度考核"))
    assessments = QuarterlyAssessment.objects.filter(
        community=office.community, year=2024, quarter=2
    )
    assert assessments.count() == 6
    assert assessments.first().assessed_by == office.secretary

    walk.goto("/dashboard/annual/2024/")
    walk.click_through(page.get_by_role("link", name="打印版"))
    page.emulate_media(media="print")
    assert page.locator("h1").first.is_visible()
    walk.finish()


def test_the_secretary_finds_her_pages_one_click_from_the_admin_index(office, journey):
    walk = journey(office.secretary)
    links = walk.page.locator("#content-main a, #content-related a")
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    assert any(href.split("?")[0] == "/dashboard/" for href in hrefs), "no dashboard link"
    assert any(href.startswith("/dashboard/annual/") for href in hrefs), "no annual summary"
    assert any(href.startswith("/dashboard/weeks/") for href in hrefs), "no weekly dispatch"
    walk.finish()
