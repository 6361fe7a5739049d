import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_page_is_titled_in_chinese(client):
    html = client.get("/admin/login/").content.decode()
    assert "红星社区“六星”党支部管理后台" in html
    assert "用户名" in html and "密码" in html


def test_admin_is_chinese_for_the_secretary(client, community, secretary):
    client.force_login(secretary)
    html = client.get("/admin/").content.decode()
    assert "红星社区“六星”党支部管理后台" in html
    assert "社区" in html and "星" in html
    html = client.get("/admin/governance/star/").content.decode()
    assert "战斗堡垒星" in html
    assert "选择 星 来修改" in html


def test_admin_star_changelist_runs_a_fixed_number_of_queries(
    client, community, secretary, django_assert_max_num_queries
):
    client.force_login(secretary)
    with django_assert_max_num_queries(12):
        assert client.get("/admin/governance/star/").status_code == 200


def test_admin_is_english_when_asked(client, secretary):
    client.force_login(secretary)
    html = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "Six-Star" in html
