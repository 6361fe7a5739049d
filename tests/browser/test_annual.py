"""The secretary opens the 2024 annual summary of the demo and follows a figure to its records."""

import pytest

from governance.demo.builder import load_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


def test_the_secretary_follows_an_annual_figure_to_its_records(desktop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    page, errors = desktop
    page.goto("/admin/login/?next=/dashboard/annual/2024/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", "hongxing-demo-2024")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/dashboard/annual/2024/")

    row = page.locator('tr[data-figure="requests_resolved"]')
    assert row.locator(".annual-value").inner_text() == "151"
    assert page.locator('tr[data-figure="minority_residents"] .annual-value').inner_text() == "563"

    # Printing hides the navigation and keeps the figures.
    page.emulate_media(media="print")
    assert not page.locator(".dashboard-nav").is_visible()
    assert row.is_visible()
    page.emulate_media(media="screen")

    row.locator("a").click()
    page.wait_for_url("**/admin/governance/servicerequest/**")
    assert "151" in page.locator(".paginator").inner_text()
    assert errors == []
