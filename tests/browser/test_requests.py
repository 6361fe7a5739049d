import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from PIL import Image

from accounts.models import StaffProfile
from community.models import Building, Compound, Grid
from governance.models import RequestCategory, RequestPhoto, ServiceRequest
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    resolve_request,
    start_request,
)
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_submits_with_a_photo_tracks_and_rates_on_a_phone(phone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    # Transactional tests may run after a flush that emptied the migrations' reference rows.
    RequestCategory.objects.get_or_create(
        name="道路照明", defaults={"name_en": "Roads and lighting", "star_code": "cobuild"}
    )
    community = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    grid = Grid.objects.create(community=community, code="G1", name="第一网格")
    kangle = Compound.objects.create(community=community, name="康乐小区")
    Compound.objects.create(community=community, name="星光花苑二期")
    Building.objects.create(community=community, compound=kangle, grid=grid, number="3号楼")
    photo = tmp_path / "street-light.jpg"
    Image.new("RGB", (800, 600), (250, 200, 40)).save(photo, "JPEG")
    page = phone

    page.goto("/requests/new/")
    assert page.get_by_role("heading", name="提交诉求").is_visible()
    page.get_by_label("诉求类别").select_option(label="道路照明")
    page.get_by_label("问题描述").fill("康乐小区3号楼门前路灯不亮,晚上出行不便。")
    page.get_by_label("小区", exact=True).select_option(label="康乐小区")
    page.get_by_label("楼栋", exact=True).select_option(label="康乐小区3号楼")
    page.get_by_role("textbox", name=re.compile("^手机号码")).fill("139 0000 2468")
    page.get_by_label("照片(最多3张)").set_input_files(str(photo))
    page.get_by_label(re.compile("我同意社区使用")).check()
    assert not page.locator(".hx-hp").is_visible()
    page.get_by_role("button", name="提交诉求").click()

    page.wait_for_url("**/requests/sent/")
    reference = page.locator("[data-reference]").inner_text().strip()
    assert re.fullmatch(r"HX-\d{4}-00001", reference)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["SCREENSHOT_DIR"] + "/request-sent.png", full_page=True)
    service_request = ServiceRequest.objects.get(reference=reference)
    assert service_request.grid == grid
    assert RequestPhoto.objects.filter(request=service_request).count() == 1

    # Staff handle it in the back office.
    clerk = get_user_model().objects.create_user("clerk", is_staff=True)
    StaffProfile.objects.create(user=clerk, community=community)
    accept_request(service_request=service_request, actor=clerk)
    assign_request(service_request=service_request, actor=clerk, assignee=clerk)
    start_request(service_request=service_request, actor=clerk)
    resolve_request(service_request=service_request, actor=clerk, note="已更换路灯灯泡,恢复照明。")

    page.get_by_role("link", name="查询诉求").click()
    page.get_by_label("诉求编号").fill(reference.lower())
    page.get_by_label("手机号后4位").fill("2468")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("heading", name=re.compile(reference)).is_visible()
    assert page.get_by_text("已更换路灯灯泡,恢复照明。").is_visible()
    assert page.locator("[data-status]").inner_text().strip() == "已办结"

    page.get_by_label("已解决", exact=True).check()
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("意见建议(选填)").fill("修得很快,谢谢!")
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text("感谢您的评价。").is_visible()
    assert page.get_by_text("您的评价: 满意").is_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["SCREENSHOT_DIR"] + "/request-rated.png", full_page=True)

    service_request.refresh_from_db()
    assert service_request.satisfaction == "satisfied" and service_request.rated_solved is True
    # The page fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
