"""The back office by work (config/admin_site.py): the index grouped by tasks and stars, each
role seeing only its groups, and the work pages one click from the index and the header."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

CAPTION = re.compile(r'<caption id="group-([\w-]+)-title">(.*?)</caption>', re.S)
HEADER_LINKS = re.compile(r'<nav class="portal-shortcuts".*?</nav>', re.S)


def _groups(html: str) -> dict[str, str]:
    return {key: re.sub(r"<[^>]+>", "", text) for key, text in CAPTION.findall(html)}


def _index(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretary_sees_the_index_grouped_by_work_and_star(client, community, secretary):
    html = _index(client, secretary)
    groups = _groups(html)
    for key in ("work", "registry", "visits", "requests", "council", "projects", "disputes"):
        assert key in groups
    assert groups["registry"] == "居民档案"
    assert groups["visits"] == "入户走访· 幸福和谐星"
    assert groups["council"] == "居民议事会· 共建共享星"
    assert groups["disputes"] == "矛盾纠纷与法律服务· 平安法治星"
    # Django's app boxes are gone from the index: no flat list of the two domain apps.
    assert 'class="app-community module' not in html
    assert 'class="app-governance module' not in html


def test_every_model_of_the_back_office_is_in_one_work_group(client, community, rf):
    root = get_user_model().objects.create_superuser("root", password="pw")
    html = _index(client, root)
    request = rf.get("/admin/")
    request.user = root
    # What Django's own index would list, app by app.
    registered = {
        (app["app_label"], model["object_name"].lower())
        for app in admin.AdminSite.get_app_list(admin.site, request)
        for model in app["models"]
    }
    linked = set(re.findall(r'href="/admin/(\w+)/(\w+)/"', html.split('id="content-main"')[1]))
    assert registered <= linked
    # Each model appears once in the index's boxes.
    rows = re.findall(r'<tr class="model-(\w+)"', html)
    assert len(rows) == len(registered)


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("grid_worker", {"visits", "registry", "requests"}, {"council", "projects", "accounts"}),
        ("division_viewer", {"work", "projects"}, {"visits", "requests", "relief", "accounts"}),
        ("star_member", {"work", "council", "projects"}, {"visits", "relief"}),
    ],
)
def test_each_role_sees_only_the_groups_of_its_work(
    request, client, community, persona, shown, hidden
):
    groups = _groups(_index(client, request.getfixturevalue(persona)))
    assert shown <= set(groups)
    assert not hidden & set(groups)


def test_a_group_is_not_shown_without_a_model_its_reader_may_see(client, community):
    from tests.factories import UserFactory

    # An account with only the permission to see home visits: one group, the visits.
    user = UserFactory(community=community)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_visit"))
    groups = _groups(_index(client, user))
    assert set(groups) == {"visits"}


def test_the_work_pages_are_one_click_from_the_index_and_the_header(client, community, secretary):
    html = _index(client, secretary)
    header = HEADER_LINKS.search(html).group(0)
    content = html.split('id="content-main"')[1]
    for label in ("六星月度评比", "本周调度", "年度工作综述", "待走访住户"):
        assert label in header
    for label in ("六星月度评比", "本周调度", "季度考核", "年度工作综述", "待走访住户"):
        assert label in content
    assert "诉求与矛盾纠纷统计" in content
    links = set(re.findall(r'<tr class="work-shortcut">\s*<th[^>]*><a href="([^"]+)"', content))
    assert len(links) == 6
    for url in links:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    # A changelist carries the same header links.
    other = client.get("/admin/community/resident/").content.decode()
    assert "六星月度评比" in HEADER_LINKS.search(other).group(0)


def test_a_link_is_shown_only_to_whom_may_open_its_page(client, community, grid_worker):
    html = _index(client, grid_worker)
    header = HEADER_LINKS.search(html).group(0)
    assert "待走访住户" in header
    assert "六星月度评比" not in header and "/dashboard/" not in html
    assert client.get("/admin/community/visit/due/").status_code == 200


def test_this_weeks_dispatch_opens_the_readers_own_star(client, community, star_member):
    from governance.models import Star, StarMember

    star = Star.objects.get(community=community, code="unity")
    StarMember.objects.create(star=star, user=star_member, since="2024-01-01")
    client.force_login(star_member)
    response = client.get("/dashboard/weeks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/weeks/unity/")


def test_an_apps_own_page_keeps_djangos_list(client, community, secretary):
    client.force_login(secretary)
    html = client.get("/admin/community/").content.decode()
    assert 'class="app-community module' in html


def test_the_index_is_made_for_a_phone_too(client, community, secretary):
    from django.conf import settings

    html = _index(client, secretary)
    assert 'name="viewport"' in html and "css/admin_site.css" in html
    css = (settings.BASE_DIR / "static/css/admin_site.css").read_text()
    assert "@media (max-width: 767px)" in css and "grid-template-columns: 1fr" in css


def test_the_index_runs_a_fixed_number_of_queries(
    client, community, secretary, django_assert_num_queries
):
    client.force_login(secretary)
    client.get("/admin/")  # the session and the permissions, as on any page
    with django_assert_num_queries(6):
        assert client.get("/admin/").status_code == 200
