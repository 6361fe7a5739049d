import pytest

from governance.models import Star
from governance.services.setup import set_up_community
from governance.services.stars import ensure_stars

pytestmark = pytest.mark.django_db


def test_create_community_creates_its_six_stars():
    community = set_up_community(name="红星社区", slug="hx", regiment="红星一场")
    assert list(community.stars.values_list("code", "order")) == [
        ("fortress", 1),
        ("safety", 2),
        ("jobs", 3),
        ("harmony", 4),
        ("cobuild", 5),
        ("unity", 6),
    ]
    assert community.full_name == "红星一场红星社区"


def test_each_community_has_its_own_stars():
    a = set_up_community(name="红星社区", slug="a")
    b = set_up_community(name="光明社区", slug="b")
    assert Star.objects.count() == 12
    assert set(a.stars.all()).isdisjoint(set(b.stars.all()))


def test_ensure_stars_keeps_edited_names_and_fills_gaps():
    community = set_up_community(name="红星社区", slug="hx")
    Star.objects.filter(community=community, code="unity").update(name="民族团结进步星")
    Star.objects.filter(community=community, code="jobs").delete()
    ensure_stars(community=community)
    names = dict(community.stars.values_list("code", "name"))
    assert len(names) == 6
    assert names["unity"] == "民族团结进步星"
    assert names["jobs"] == "宜业兴业星"


def test_a_community_added_in_the_back_office_gets_its_six_stars(client):
    """The division sets a community up from the admin's add form (no star typed in): the
    governance side of the community admin gives it the six stars."""
    from django.contrib.auth import get_user_model

    from community.models import Community

    get_user_model().objects.create_superuser("division", password="pw-division")
    assert client.login(username="division", password="pw-division")
    response = client.post(
        "/admin/community/community/add/",
        {
            "name": "光明社区",
            "slug": "guangming",
            "regiment": "红星二场",
            "division": "第十三师新星市",
            "stars-TOTAL_FORMS": "0",
            "stars-INITIAL_FORMS": "0",
            "stars-MIN_NUM_FORMS": "0",
            "stars-MAX_NUM_FORMS": "6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    community = Community.objects.get(slug="guangming")
    assert list(community.stars.order_by("order").values_list("code", flat=True)) == [
        "fortress",
        "safety",
        "jobs",
        "harmony",
        "cobuild",
        "unity",
    ]
