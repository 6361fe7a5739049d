"""Searching by the address as the lists show it (community/search.py): 康乐小区1排2号 finds
the household, its residents and the resident picker's entry."""

import pytest

from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    HouseholdFactory,
    ResidentFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(community, grid):
    kangle = CompoundFactory(community=community, name="康乐小区")
    row = BuildingFactory(community=community, compound=kangle, grid=grid, number="1排")
    bungalow = HouseholdFactory(community=community, building=row, door_number="2号")
    other = HouseholdFactory(community=community, building=row, door_number="12号")
    flats = CompoundFactory(community=community, name="星光花苑二期")
    block = BuildingFactory(community=community, compound=flats, grid=grid, number="3号楼")
    unit = UnitFactory(building=block, number="1单元")
    flat = HouseholdFactory(community=community, building=block, unit=unit, door_number="101")
    return {
        "bungalow": bungalow,
        "other": other,
        "flat": flat,
        "resident": ResidentFactory(community=community, household=bungalow, name="阿依古丽"),
        "neighbour": ResidentFactory(community=community, household=other, name="马文军"),
        "flat_resident": ResidentFactory(community=community, household=flat, name="王建国"),
    }


def _rows(client, url, term):
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_a_household_is_found_by_its_address_as_displayed(client, secretary, places):
    client.force_login(secretary)
    assert str(places["bungalow"]) == "康乐小区1排2号"
    url = "/admin/community/household/"
    assert _rows(client, url, "康乐小区1排2号") == [places["bungalow"]]
    assert _rows(client, url, "星光花苑二期3号楼1单元101") == [places["flat"]]
    assert _rows(client, url, "康乐小区 1排 12号") == [places["other"]]
    assert set(_rows(client, url, "康乐小区1排")) == {places["bungalow"], places["other"]}
    assert _rows(client, url, "康乐小区2排2号") == []


def test_residents_are_found_by_their_households_address(client, secretary, places):
    client.force_login(secretary)
    url = "/admin/community/resident/"
    assert _rows(client, url, "康乐小区1排2号") == [places["resident"]]
    assert _rows(client, url, "3号楼1单元101") == [places["flat_resident"]]
    assert _rows(client, url, "马文军") == [places["neighbour"]]  # names still search


def test_the_resident_picker_finds_by_address(client, secretary, places):
    client.force_login(secretary)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "康乐小区1排2号",
            "app_label": "community",
            "model_name": "household",
            "field_name": "head",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["阿依古丽"]


def test_the_household_picker_finds_by_address(client, secretary, places):
    client.force_login(secretary)
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "星光花苑二期3号楼1单元101",
            "app_label": "community",
            "model_name": "resident",
            "field_name": "household",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["星光花苑二期3号楼1单元101"]


def test_an_address_search_stays_within_the_grid_workers_grids(client, community, places):
    from tests.factories import GridFactory, GridMemberFactory, UserFactory

    worker = UserFactory(role="网格员", community=community)
    GridMemberFactory(grid=GridFactory(community=community, code="G9"), user=worker)
    client.force_login(worker)
    assert _rows(client, "/admin/community/household/", "康乐小区1排2号") == []
