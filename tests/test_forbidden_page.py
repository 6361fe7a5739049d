"""The branded 403 page (config/errors.py): in the reader's language, naming what is missing
and the community's party secretary to ask, for the admin's refusals and the dashboard's."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_an_admin_refusal_names_the_permission_and_the_secretary(
    client, community, grid_worker, secretary
):
    secretary.first_name = "王芳"
    secretary.save()
    client.force_login(grid_worker)
    response = client.get("/admin/governance/indicator/add/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "403 Forbidden" not in html and "<h1>403" not in html
    assert "您无权打开此页面" in html
    assert "您的账号缺少“新增指标”的权限。" in html
    assert "请联系红星一场红星社区党支部书记(王芳)或系统管理员" in html
    assert 'href="/admin/"' in html


def test_a_dashboard_refusal_names_its_permission(client, community, grid_worker):
    client.force_login(grid_worker)
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "您的账号缺少“查看月度得分”的权限。" in response.content.decode()


def test_the_page_is_in_english_for_an_english_reader(client, community, grid_worker):
    client.force_login(grid_worker)
    response = client.get("/admin/governance/indicator/add/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your account lacks the permission to add indicators." in html
    assert "ask the party secretary of 红星一场红星社区" in html


def test_an_account_without_a_community_is_told_so(client, db):
    from tests.factories import UserFactory

    user = UserFactory(role="网格员")
    client.force_login(user)
    response = client.get("/admin/governance/indicator/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "您的账号尚未绑定社区" in html
    assert "请联系所在社区党支部书记或系统管理员" in html


def test_a_service_refusal_shows_its_own_reason(rf, community, grid_worker):
    from django.core.exceptions import PermissionDenied

    from config.errors import permission_denied

    request = rf.get("/anything/")
    request.user = grid_worker
    response = permission_denied(request, PermissionDenied("只有党支部书记可以这样做。"))
    assert response.status_code == 403
    assert "只有党支部书记可以这样做。" in response.content.decode()


def test_the_site_still_answers_the_bare_refusal_of_an_anonymous_reader(rf, db):
    from django.contrib.auth.models import AnonymousUser

    from config.errors import permission_denied

    request = rf.get("/dashboard/")
    request.user = AnonymousUser()
    html = permission_denied(request, None).content.decode()
    assert "请用后台账号登录" in html
    assert get_user_model().objects.count() == 0


def test_a_division_viewer_is_not_told_its_account_lacks_a_community(
    client, community, division_viewer
):
    client.force_login(division_viewer)
    response = client.get("/admin/community/visit/due/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "您的账号缺少“查看入户走访”的权限。" in html
    assert "尚未绑定社区" not in html
