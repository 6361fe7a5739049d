import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_six_stars_in_chinese_by_default(client, community):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert "红星一场红星社区" in html
    stars = [star.name for star, _logs in response.context["wall"]]
    assert stars == [
        "战斗堡垒星",
        "平安法治星",
        "宜业兴业星",
        "幸福和谐星",
        "共建共享星",
        "民族团结星",
    ]
    for name in stars:
        assert name in html
    assert "六颗星" in html  # the section heading, translated
    assert "Fortress Star" not in html


def test_home_in_english_from_the_browser(client, community):
    response = client.get("/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "The six stars" in html
    assert "Fortress Star" in html
    assert "Ethnic Unity Star" in html
    assert "六颗星" not in html


def test_language_switch_remembers_english(client, community):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html and "The six stars" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "六颗星" in client.get("/").content.decode()


def test_urls_carry_no_language_prefix(client, community):
    assert client.get("/en/").status_code == 404
    assert client.get("/zh-hans/").status_code == 404


def test_elder_mode_is_remembered_across_pages(client, community):
    assert 'class="elder"' not in client.get("/").content.decode()
    response = client.post(reverse("elder-mode"), {"elder": "1", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["elder_mode"].value == "1"
    assert '<html lang="zh-hans" class="elder">' in client.get("/").content.decode()
    assert 'class="elder"' in client.get("/missing-page/").content.decode()
    client.post(reverse("elder-mode"), {"elder": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").content.decode()


def test_elder_mode_refuses_to_redirect_off_site(client, community):
    response = client.post(reverse("elder-mode"), {"elder": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_home_page_without_a_community_still_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "尚未设置" in response.content.decode()


def test_home_page_runs_a_fixed_number_of_queries(client, community, django_assert_num_queries):
    # The community, notices, stars, the wall's latest work, activities, projects; with data,
    # activities add their photos and stars (see test_pages for 1 vs 3 rows).
    with django_assert_num_queries(6):
        client.get("/")


def test_page_has_no_inline_script_or_style(client, community):
    html = client.get("/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    for line in html.splitlines():
        if "<script" in line:
            assert 'src="/static/' in line
    assert "cdn" not in html.lower()
