"""Django's own admin strings on the Chinese back office: the ones Django's zh_Hans catalogue
leaves in English (or translates with English words) answer in Chinese from our catalogues,
the HTML ones from locale/*/django.po and the JavaScript ones (the two-list chooser of a
many-to-many field, such as the work ledger's stars) from locale/zh_Hans/djangojs.po, which
the admin's /admin/jsi18n/ merges over Django's."""

import json
import re

import pytest

from governance.models import HonourCampaign, Nomination
from tests.governance.roles.conftest import errors, page_data

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# The strings SelectFilter2.js (filter_horizontal) shows that Django's zh_Hans lacks.
CHOOSER_STRINGS = [
    'Choose %s by selecting them and then select the "Choose" arrow button.',
    'Remove %s by selecting them and then select the "Remove" arrow button.',
    "Choose all %s",
    "Choose selected %s",
    "Remove selected %s",
    "Remove all %s",
    "(click to clear)",
]


def _catalogue(client, language) -> dict:
    client.cookies["django_language"] = language
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else {}  # English: no catalogue at all


def test_the_admin_javascript_catalogue_answers_the_star_chooser_in_chinese(client, staff):
    client.force_login(staff)
    catalogue = _catalogue(client, "zh-hans")
    for msgid in CHOOSER_STRINGS:
        shown = catalogue.get(msgid, msgid)
        assert re.search(r"[\u4e00-\u9fff]", shown), msgid
        assert not LATIN_WORD.search(shown), shown
    assert catalogue[CHOOSER_STRINGS[0]] == "选中要选择的%s，然后点击“选择”箭头按钮。"
    # In English the chooser keeps Django's own words.
    assert CHOOSER_STRINGS[0] not in _catalogue(client, "en")


def test_the_ledger_form_asks_for_the_catalogue_and_says_how_to_choose_in_chinese(client, staff):
    client.force_login(staff)
    html = client.get("/admin/governance/worklog/add/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = html.content.decode()
    assert 'src="/admin/jsi18n/"' in html
    assert "按住 Ctrl 键（苹果电脑按 ⌘ 键）可选择多项。" in html
    assert "Command" not in html and "Control" not in html


def test_the_navigation_sidebar_s_headers_for_screen_readers_are_chinese(client, secretary):
    client.force_login(secretary)
    html = client.get("/admin/governance/worklog/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = html.content.decode()
    assert "模型名称" in html and "修改或查看列表链接" in html
    assert "Model name" not in html and "Change or view list link" not in html


def test_a_nominee_of_the_wrong_kind_is_refused_in_words(client, community, staff, resident):
    """A model family names a household: a resident picked instead is refused on the form in
    Chinese, not with the database constraint's name."""
    campaign = HonourCampaign.objects.create(community=community, year=2024, title="好家庭评选")
    client.force_login(staff)
    page = client.get("/admin/governance/nomination/add/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    data = page_data(page)
    data.update(campaign=campaign.pk, kind="family", resident=resident.pk, citation="热心公益")
    response = client.post("/admin/governance/nomination/add/", data)
    assert response.status_code == 200
    shown = " ".join(str(e) for e in errors(response))
    assert "“好家庭”的推荐对象是住户：只填写住户。" in shown
    assert "nominee_matches_kind" not in response.content.decode()
    assert not Nomination.objects.exists()

    data.update(kind="neighbour")
    response = client.post("/admin/governance/nomination/add/", data)
    assert response.status_code == 302, errors(response)
    assert Nomination.objects.get().resident == resident
