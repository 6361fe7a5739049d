"""The secretary reviews the last star of a month and locks the month, in a real browser."""

import datetime
import os
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import StaffProfile
from governance.models import Indicator, MonthlyScore, WorkLog
from governance.services import scoring
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db(transaction=True)

MAY = datetime.date(2024, 5, 1)


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield page, errors
    context.close()


def test_the_secretary_reviews_and_locks_a_month(desktop):
    page, errors = desktop
    community = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    secretary = get_user_model().objects.create_user(
        username="shuji", password="pw-shuji-2024", is_staff=True
    )
    secretary.groups.add(Group.objects.get(name=roles.SECRETARY))
    StaffProfile.objects.create(user=secretary, community=community)
    stars = {star.code: star for star in community.stars.all()}
    Indicator.objects.create(
        community=community,
        star=stars["unity"],
        name="民族团结活动",
        source="ledger_count",
        kind="activity",
        monthly_target=2,
    )
    for day in (4, 18):
        WorkLog.objects.create(
            community=community,
            date=datetime.date(2024, 5, day),
            kind="activity",
            title="端午联欢",
            author=secretary,
        ).stars.add(stars["unity"])
    for score in scoring.compute_month(community=community, month=MAY):
        if score.star.code != "unity":
            scoring.review_score(
                score=score,
                actor=secretary,
                review=Decimal(80),
                satisfaction=Decimal(85),
                comment="按期完成",
            )

    page.goto("/admin/login/?next=/dashboard/%3Fmonth%3D2024-05")
    page.fill("#id_username", "shuji")
    page.fill("#id_password", "pw-shuji-2024")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/dashboard/?month=2024-05")

    assert page.locator(".star-row").count() == 6
    assert page.locator(".trend-chart").is_visible()
    assert page.locator("#lock-month").count() == 0  # one star is not reviewed yet
    assert page.locator(".month-state").get_attribute("data-state") == "draft"

    # The unity star: open its explanation, read the indicator, review it.
    page.locator('.star-row[data-star="unity"] a').click()
    assert page.locator(".indicator-row").filter(has_text="民族团结活动").is_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["SCREENSHOT_DIR"] + "/score-detail.png", full_page=True)
    prefix = f"#id_star{stars['unity'].id}-"
    page.fill(prefix + "review", "90")
    page.fill(prefix + "satisfaction", "95")
    page.fill(prefix + "bonus", "3")
    page.fill(prefix + "bonus_reason", "获评师市民族团结示范")
    page.fill(prefix + "comment", "活动丰富,群众参与度高")
    page.locator(".review-form button[type=submit]").click()
    page.wait_for_load_state()
    # O = 100 (2 of 2 activities): 50 + 18 + 28.5 + 3
    assert page.locator("#score-total").inner_text() == "99.50"

    page.goto("/dashboard/?month=2024-05")
    assert page.locator(".month-state").get_attribute("data-state") == "reviewed"
    page.locator("#lock-month").click()
    page.wait_for_load_state()
    assert page.locator(".month-state").get_attribute("data-state") == "locked"
    assert set(MonthlyScore.objects.values_list("state", flat=True)) == {"locked"}
    assert MonthlyScore.objects.get(star=stars["unity"]).rank == 1
    assert page.locator("#lock-month").count() == 0

    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["SCREENSHOT_DIR"] + "/dashboard.png", full_page=True)
    # Print: the navigation and the buttons are left out.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".month-picker").is_visible()
    assert page.locator(".scores-table").is_visible()
    assert errors == []
