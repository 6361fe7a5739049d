"""The place filters of the back-office lists stay short for users who see many communities."""

import re

import pytest

from community.admin import filters as community_admin
from community.models import Building, Compound, Grid
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db

URL = "/admin/community/resident/"


def _buildings(community, prefix, count):
    compound = Compound.objects.create(community=community, name=f"{prefix}小区")
    grid = Grid.objects.create(community=community, code=f"{prefix}网格", name=f"{prefix}网格")
    for number in range(1, count + 1):
        Building.objects.create(
            community=community, compound=compound, grid=grid, number=f"{number}号楼"
        )
    return compound


def _choices(html, parameter):
    return re.findall(rf"(?:\?|&amp;){parameter}=(\d+)", html)


def test_a_superuser_chooses_a_community_first_when_the_places_are_too_many(
    admin_client, community, monkeypatch
):
    monkeypatch.setattr(community_admin, "FILTER_CHOICES_LIMIT", 3)
    other = set_up_community(name="别的社区", slug="other")
    _buildings(community, "康乐", 2)
    _buildings(other, "幸福", 2)

    html = admin_client.get(URL).content.decode()
    assert set(_choices(html, "community__id__exact")) == {str(community.pk), str(other.pk)}
    # Four buildings in all: past the limit, none listed until a community is chosen.
    assert _choices(html, "household__building__id__exact") == []

    html = admin_client.get(URL, {"community__id__exact": other.pk}).content.decode()
    listed = set(_choices(html, "household__building__id__exact"))
    expected = {
        str(pk) for pk in Building.objects.filter(community=other).values_list("pk", flat=True)
    }
    assert listed == expected


def test_within_the_limit_every_place_is_listed(admin_client, community):
    _buildings(community, "康乐", 2)
    html = admin_client.get(URL).content.decode()
    assert len(set(_choices(html, "household__building__id__exact"))) == 2


def test_a_secretary_of_one_community_gets_no_community_filter(client, secretary, community):
    _buildings(community, "康乐", 2)
    client.force_login(secretary)
    html = client.get(URL).content.decode()
    assert _choices(html, "community__id__exact") == []
    assert len(set(_choices(html, "household__building__id__exact"))) == 2
