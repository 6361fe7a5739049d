import pytest
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db


def _codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_the_five_role_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"网格员", "星级小组成员", "社区工作人员", "党支部书记", "师市观察员"} <= names
    assert set(roles.ROLE_LABELS) == {
        "网格员",
        "星级小组成员",
        "社区工作人员",
        "党支部书记",
        "师市观察员",
    }


def test_secretary_may_edit_the_community_and_its_stars():
    assert {"view_community", "change_community", "view_star", "change_star"} <= _codenames(
        roles.SECRETARY
    )


@pytest.mark.parametrize(
    "role", [roles.STAFF, roles.STAR_MEMBER, roles.GRID_WORKER, roles.DIVISION_VIEWER]
)
def test_other_roles_cannot_edit_stars_or_communities(role):
    codenames = _codenames(role)
    assert "view_star" in codenames
    assert not {"change_star", "add_star", "delete_star", "change_community"} & codenames


def test_division_viewer_is_read_only():
    assert all(c.startswith("view_") for c in _codenames(roles.DIVISION_VIEWER))


def test_roles_permissions_apply_to_users(secretary, staff):
    assert secretary.has_perm("governance.change_star")
    assert not staff.has_perm("governance.change_star")
    assert staff.has_perm("governance.view_star")
