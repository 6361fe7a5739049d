"""A small registry: one community with two grids (A and B), a grid worker for each, and a
second community; plus a canary resident whose ID number and phone must never leak."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission

from accounts import roles
from community.models import CareTag, Community, Grid, Household, Resident
from governance.services.setup import set_up_community
from tests.factories import (
    BuildingFactory,
    GridMemberFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
    make_id_number,
)

CANARY_ID = make_id_number(birth_date=dt.date(1975, 6, 15), gender="F", region="650102", sequence=7)
CANARY_PHONE = "13877665544"


@dataclass
class Registry:
    community: Community
    other: Community
    grid_a: Grid
    grid_b: Grid
    home_a: Household
    home_b: Household
    home_other: Household
    canary: Resident
    resident_b: Resident
    resident_other: Resident
    worker_a: object
    worker_b: object
    secretary: object
    staff: object
    viewer: object

    def tag(self, name: str) -> CareTag:
        return CareTag.objects.get(community=self.community, name=name)


@pytest.fixture
def registry(db):
    community = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    other = set_up_community(name="光明社区", slug="guangming")
    grid_a = Grid.objects.create(community=community, code="A", name="一网格")
    grid_b = Grid.objects.create(community=community, code="B", name="二网格")
    grid_other = Grid.objects.create(community=other, code="A", name="光明一网格")
    home_a = HouseholdFactory(
        community=community,
        building=BuildingFactory(community=community, grid=grid_a, number="1号楼"),
        door_number="101",
    )
    home_b = HouseholdFactory(
        community=community,
        building=BuildingFactory(community=community, grid=grid_b, number="2号楼"),
        door_number="201",
    )
    home_other = HouseholdFactory(
        community=other,
        building=BuildingFactory(community=other, grid=grid_other, number="9号楼"),
        door_number="901",
    )
    canary = ResidentFactory(
        community=community,
        household=home_a,
        name="金丝雀",
        gender="F",
        birth_date=dt.date(1975, 6, 15),
        ethnicity="05",
        id_number=CANARY_ID,
        phone=CANARY_PHONE,
    )
    resident_b = ResidentFactory(
        community=community, household=home_b, name="乙网格居民", id_number=make_id_number()
    )
    resident_other = ResidentFactory(
        community=other, household=home_other, name="外社区居民", id_number=make_id_number()
    )
    Household.objects.filter(pk=home_a.pk).update(head=canary)
    Household.objects.filter(pk=home_b.pk).update(head=resident_b)
    home_a.refresh_from_db()
    home_b.refresh_from_db()
    worker_a = UserFactory(username="worker_a", role=roles.GRID_WORKER, community=community)
    worker_b = UserFactory(username="worker_b", role=roles.GRID_WORKER, community=community)
    GridMemberFactory(grid=grid_a, user=worker_a)
    GridMemberFactory(grid=grid_b, user=worker_b)
    return Registry(
        community=community,
        other=other,
        grid_a=grid_a,
        grid_b=grid_b,
        home_a=home_a,
        home_b=home_b,
        home_other=home_other,
        canary=canary,
        resident_b=resident_b,
        resident_other=resident_other,
        worker_a=worker_a,
        worker_b=worker_b,
        secretary=UserFactory(username="sec", role=roles.SECRETARY, community=community),
        staff=UserFactory(username="stf", role=roles.STAFF, community=community),
        viewer=UserFactory(username="vw", role=roles.DIVISION_VIEWER, community=community),
    )


@pytest.fixture
def plain_clerk(registry):
    """A user who may view and search residents but holds no personal-data permission."""
    group = Group.objects.create(name="只读登记员")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="community",
            codename__in=["view_resident", "view_household", "export_resident"],
        )
    )
    user = UserFactory(username="clerk", community=registry.community)
    user.groups.add(group)
    return user
