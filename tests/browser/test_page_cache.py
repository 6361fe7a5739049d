"""A page served whole from the cache (governance.queries.caching.cached_page) works in a real
browser:
each visitor's forms carry their own CSRF token, so the language and elder-mode switches of a
cached page post successfully."""

import re

import pytest

from governance.services.setup import set_up_community
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def _context(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    return context


def _open_menu(page):
    toggler = page.get_by_role("button", name="菜单").or_(page.get_by_role("button", name="Menu"))
    if toggler.is_visible():
        toggler.click()
        page.locator("#site-nav.show").wait_for()


def _tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_the_switches_of_a_cached_page_work_for_a_second_visitor(browser, live_server):
    set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    first, second = _context(browser, live_server), _context(browser, live_server)
    try:
        page = first.new_page()
        page.goto("/")  # rendered, and stored in the cache
        first_html = page.content()

        page = second.new_page()
        page.goto("/")  # the stored page, with this visitor's own token
        second_html = page.content()
        assert _tokens(second_html) and set(_tokens(first_html)).isdisjoint(_tokens(second_html))
        assert "placeholder" not in second_html
        assert re.sub(r'value="[^"]+"', "", first_html) == re.sub(r'value="[^"]+"', "", second_html)

        _open_menu(page)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="The six stars").is_visible()

        _open_menu(page)
        page.get_by_role("button", name="Elder mode").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("class") == "elder"
    finally:
        first.close()
        second.close()
