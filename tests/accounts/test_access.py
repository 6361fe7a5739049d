import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from accounts.access import community_ids, grid_ids, scoped
from accounts.models import StaffProfile
from community.models import Building, Compound, Grid, GridMember, Household
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db


def _user(name, role, community=None):
    user = get_user_model().objects.create_user(username=name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, community=community)
    return user


@pytest.fixture
def places():
    a = set_up_community(name="红星社区", slug="a")
    b = set_up_community(name="光明社区", slug="b")
    compound = Compound.objects.create(community=a, name="康乐小区")
    grid1 = Grid.objects.create(community=a, code="G1", name="一网格")
    grid2 = Grid.objects.create(community=a, code="G2", name="二网格")
    grid_b = Grid.objects.create(community=b, code="G1", name="光明一网格")
    compound_b = Compound.objects.create(community=b, name="光明小区")
    homes = {}
    for key, grid, comp, community in [
        ("g1", grid1, compound, a),
        ("g2", grid2, compound, a),
        ("b", grid_b, compound_b, b),
    ]:
        building = Building.objects.create(
            community=community, compound=comp, grid=grid, number=f"{key}号楼"
        )
        homes[key] = Household.objects.create(
            community=community, building=building, door_number="101"
        )
    return {"a": a, "b": b, "grid1": grid1, "grid2": grid2, "homes": homes}


def test_staff_see_only_their_own_community(places):
    staff = _user("staff", roles.STAFF, places["a"])
    assert community_ids(staff) == [places["a"].id]
    homes = places["homes"]
    assert list(scoped(Household.objects.order_by("id"), staff)) == [homes["g1"], homes["g2"]]


def test_grid_worker_sees_only_their_grids(places):
    worker = _user("worker", roles.GRID_WORKER, places["a"])
    GridMember.objects.create(grid=places["grid1"], user=worker)
    assert grid_ids(worker) == [places["grid1"].id]
    assert list(scoped(Household.objects.all(), worker)) == [places["homes"]["g1"]]


def test_grid_worker_who_is_also_staff_is_not_limited_by_grid(places):
    worker = _user("worker", roles.GRID_WORKER, places["a"])
    worker.groups.add(Group.objects.get(name=roles.STAFF))
    GridMember.objects.create(grid=places["grid1"], user=worker)
    assert grid_ids(worker) is None
    assert scoped(Household.objects.all(), worker).count() == 2


def test_division_viewer_reads_the_communities_given(places):
    viewer = _user("viewer", roles.DIVISION_VIEWER)
    viewer.staff_profile.viewable_communities.add(places["a"], places["b"])
    assert community_ids(viewer) == sorted([places["a"].id, places["b"].id])


def test_account_without_profile_sees_nothing_and_superuser_everything(places):
    nobody = get_user_model().objects.create_user(username="nobody", password="x", is_staff=True)
    assert scoped(Household.objects.all(), nobody).count() == 0
    root = get_user_model().objects.create_superuser(username="root", password="x")
    assert scoped(Household.objects.all(), root).count() == 3
