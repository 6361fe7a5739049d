"""The residents' site on a phone: the home page, a project page and the honour roll,
in Chinese and in English."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from governance.models import HonourCampaign, Star
from governance.services import honours as honour_services
from governance.services.setup import set_up_community
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
)
from tests.governance.public.builders import (
    decide,
    make_council,
    make_notice,
    make_project,
    make_worklog,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False
    community = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    author = UserFactory(username="author", community=community)
    make_notice(community, "关于康乐小区停水的通知", pinned=True)
    for code in Star.Code.values:
        make_worklog(community, author, code, f"{code}活动", date=timezone.localdate())
    project = make_project(community)
    council, people = make_council(community, members=5)
    today = timezone.localdate()
    decide(project, council, people, title="外墙保温材料", votes_for=4, starts_on=today)
    compound = CompoundFactory(community=community, name="星光花苑二期")
    building = BuildingFactory(community=community, compound=compound, number="3号楼")
    household = HouseholdFactory(community=community, building=building)
    resident = ResidentFactory(community=community, household=household, name="海金花")
    campaign = HonourCampaign.objects.create(
        community=community, year=today.year, title="民族团结进步创建评选"
    )
    nomination = honour_services.nominate(
        campaign=campaign, kind="neighbour", nominee=resident, citation="热心帮助邻居"
    )
    honour_services.review_nomination(nomination=nomination, shortlist=True, note="", user=author)
    honour_services.open_notice(campaign=campaign, starts_on=today - dt.timedelta(days=1))
    return {"project": project}


def _switch_to_english(page):
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
        page.locator("#site-nav.show").wait_for()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/{name}", full_page=True)


def test_home_page_on_a_phone_in_both_languages(phone, site, tmp_path):
    page = phone
    page.goto("/")
    assert page.get_by_role("heading", name="通知公告").is_visible()
    assert page.get_by_text("关于康乐小区停水的通知").is_visible()
    assert page.locator(".star-card").count() == 6
    assert page.get_by_text("unity活动").first.is_visible()
    request_button = page.get_by_role("link", name="我要反映诉求").or_(
        page.locator("a.request-button")
    )
    assert request_button.first.is_visible()
    images = page.locator("main img")
    assert images.count() >= 1
    for index in range(images.count()):
        assert images.nth(index).get_attribute("alt")
    _fits_the_phone(page)
    _shot(page, tmp_path, "public-home-zh.png")

    # Keyboard: the skip link comes first and jumps to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")

    _switch_to_english(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Notices").is_visible()
    assert page.get_by_role("heading", name="Livelihood projects").is_visible()
    _fits_the_phone(page)
    page.locator("a.request-button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/requests/new/")


def test_project_page_on_a_phone_in_both_languages(phone, site, tmp_path):
    page = phone
    page.goto(site["project"].get_absolute_url())
    assert page.get_by_role("heading", name="康乐小区改造").is_visible()
    assert page.get_by_role("heading", name="资金使用").is_visible()
    assert page.get_by_text("¥8,800,000.00").is_visible()
    assert page.get_by_role("heading", name="居民议事会决议").is_visible()
    assert page.get_by_text("岩棉板").first.is_visible()
    assert page.locator("progress#project-progress").get_attribute("value") == "50"
    _shot(page, tmp_path, "public-project-zh.png")

    # Raise an objection, keyboard and labels only.
    page.get_by_text("提出异议").click()
    page.get_by_label("您的姓名").fill("李四")
    page.get_by_label("异议内容").fill("建议再比较一次价格")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state()
    assert page.get_by_text("您的异议已收到").is_visible()

    _switch_to_english(page)
    assert page.get_by_role("heading", name="Spending").is_visible()
    assert page.get_by_role("heading", name="Residents' council decisions").is_visible()
    assert page.get_by_text("passing needs more than half of all members").is_visible()
    _fits_the_phone(page)
    _shot(page, tmp_path, "public-project-en.png")


def test_honour_roll_on_a_phone_in_both_languages(phone, site, tmp_path):
    page = phone
    page.goto("/honours/")
    assert page.get_by_role("heading", name="光荣榜").is_visible()
    assert page.get_by_role("heading", name="好邻居").is_visible()
    assert page.get_by_text("海*,星光花苑二期3号楼").is_visible()
    assert page.get_by_text("海金花").count() == 0
    assert page.locator(".notice-period").is_visible()
    _fits_the_phone(page)
    _shot(page, tmp_path, "public-honours-zh.png")

    _switch_to_english(page)
    assert page.get_by_role("heading", name="Honour roll").is_visible()
    assert page.get_by_role("heading", name="Model neighbour").is_visible()
    assert page.get_by_text("海*, 星光花苑二期3号楼").is_visible()
    _fits_the_phone(page)

    # Elder mode keeps the page usable: larger text, still no sideways scrolling.
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggler = page.get_by_role("button", name="Menu")
    if toggler.is_visible():
        toggler.click()
        page.locator("#site-nav.show").wait_for()
    page.get_by_role("button", name="Elder mode").click()
    page.wait_for_load_state()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.2
    _fits_the_phone(page)
    _shot(page, tmp_path, "public-honours-en-elder.png")
