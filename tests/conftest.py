import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from community import roles
from community.services import create_community


def pytest_configure(config):
    from django.conf import settings

    # Speed-ups for tests only: a fast password hasher and plain static storage (the
    # manifest storage is exercised by its own test after a real collectstatic).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def community(db):
    return create_community(
        name="红星社区", slug="hongxing", regiment="红星一场", division="第十三师新星市"
    )


def _user_with_role(username, role):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def secretary(db):
    return _user_with_role("secretary", roles.SECRETARY)


@pytest.fixture
def staff(db):
    return _user_with_role("staff", roles.STAFF)


@pytest.fixture
def grid_worker(db):
    return _user_with_role("gridworker", roles.GRID_WORKER)


@pytest.fixture
def star_member(db):
    return _user_with_role("starmember", roles.STAR_MEMBER)


@pytest.fixture
def division_viewer(db):
    return _user_with_role("viewer", roles.DIVISION_VIEWER)


# Registry building blocks for any test (factories in tests/factories.py): one grid of the
# `community`, a building in it, a household and a resident (with a valid ID number).
@pytest.fixture
def grid(community):
    from tests.factories import GridFactory

    return GridFactory(community=community, code="G1", name="第一网格")


@pytest.fixture
def household(community, grid):
    from tests.factories import BuildingFactory, HouseholdFactory

    building = BuildingFactory(community=community, grid=grid, number="1号楼")
    return HouseholdFactory(community=community, building=building, door_number="101")


@pytest.fixture
def resident(community, household):
    from tests.factories import ResidentFactory, make_id_number

    return ResidentFactory(
        community=community, household=household, name="张学福", id_number=make_id_number()
    )
