import os

import pytest

from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db(transaction=True)


def _open_menu(page):
    toggler = page.get_by_role("button", name="菜单").or_(page.get_by_role("button", name="Menu"))
    if toggler.is_visible():
        toggler.click()
        page.locator("#site-nav.show").wait_for()


def test_home_on_a_phone_switches_to_english_and_elder_mode(phone, tmp_path):
    set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    page = phone

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", name="六颗星").is_visible()
    assert page.locator(".star-card").count() == 6
    assert page.locator(".navbar-brand").inner_text().strip().endswith("红星一场红星社区")

    _open_menu(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="The six stars").is_visible()
    assert page.get_by_text("Fortress Star").is_visible()

    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    _open_menu(page)
    page.get_by_role("button", name="Elder mode").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "elder"
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= normal_size * 1.2

    # Remembered across pages, together with the language.
    page.goto("/no-such-page/")
    assert page.locator("html").get_attribute("class") == "elder"
    assert page.get_by_role("heading", name="Page not found").is_visible()
    page.screenshot(path=str(tmp_path / "home-elder-en.png"), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.environ["SCREENSHOT_DIR"] + "/home-elder-en.png", full_page=True)
