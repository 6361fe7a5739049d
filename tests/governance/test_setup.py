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
