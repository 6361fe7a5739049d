import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from governance.services.setup import set_up_community


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
    return set_up_community(
        name="红星社区", slug="hongxing", regiment="红星一场", division="第十三师新星市"
    )


def _user_with_role(username, role):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def _persona(request, username, role):
    """A back-office account of `role`. When the test also uses the `community` fixture, the
    account is bound to it once here (a division viewer views it: its profile names no
    community of its own); otherwise it stays unbound."""
    user = _user_with_role(username, role)
    if "community" in request.fixturenames:
        from accounts.models import StaffProfile

        community = request.getfixturevalue("community")
        if role == roles.DIVISION_VIEWER:
            StaffProfile.objects.create(user=user).viewable_communities.add(community)
        else:
            StaffProfile.objects.create(user=user, community=community)
    return user


@pytest.fixture
def secretary(db, request):
    return _persona(request, "secretary", roles.SECRETARY)


@pytest.fixture
def staff(db, request):
    return _persona(request, "staff", roles.STAFF)


@pytest.fixture
def grid_worker(db, request):
    return _persona(request, "gridworker", roles.GRID_WORKER)


@pytest.fixture
def star_member(db, request):
    return _persona(request, "starmember", roles.STAR_MEMBER)


@pytest.fixture
def division_viewer(db, request):
    return _persona(request, "viewer", roles.DIVISION_VIEWER)


# Registry building blocks for any test (factories in tests/factories/): one grid of the
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


def pytest_collection_modifyitems(items):
    """The tests that read the shared demo (the `demo` fixture) run after all the others, in
    their order: the demo stays loaded from the first of them to the end of the run, and no
    other test may see its rows."""
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory, reference_rows):
    """The demo community, loaded once per test run (it takes seconds, not milliseconds) for
    the tests that only read it; tests that load it themselves start from an empty database.

    The load runs inside an outer transaction that is rolled back at the end of the run; each
    test's own transaction nests inside it (a savepoint), so what a test writes is undone
    after it as usual."""
    from django.db import transaction
    from django.test import override_settings

    from governance.demo.builder import load_demo

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    media.enable()
    with django_db_blocker.unblock():
        # A transactional test that ran before may have flushed the role groups away.
        _put_back_reference_rows(reference_rows)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


@pytest.fixture(scope="session", autouse=True)
def reference_rows(django_db_setup, django_db_blocker):
    """The rows the data migrations made (role groups with their permissions, request
    categories, the holiday schedule), serialized before any transactional test can flush them
    away."""
    from django.core import serializers

    from governance.models import CalendarDay, RequestCategory

    with django_db_blocker.unblock():
        groups = serializers.serialize("json", Group.objects.all(), use_natural_foreign_keys=True)
        categories = serializers.serialize("json", RequestCategory.objects.all())
        calendar = serializers.serialize("json", CalendarDay.objects.all())
    return groups, categories, calendar


@pytest.fixture(autouse=True)
def _restore_reference_rows(request, reference_rows):
    """A transactional test flushes the database when it ends; the flush recreates content
    types and permissions but not the rows the data migrations made. Put those back before
    the next transactional test."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    _put_back_reference_rows(reference_rows)


def _put_back_reference_rows(reference_rows):
    from django.core import serializers

    from governance.models import CalendarDay, RequestCategory

    for data, model in zip(reference_rows, (Group, RequestCategory, CalendarDay), strict=True):
        if model is CalendarDay and not model.objects.exists():  # ~800 plain rows
            model.objects.bulk_create(o.object for o in serializers.deserialize("json", data))
        elif not model.objects.exists():
            for obj in serializers.deserialize("json", data, handle_forward_references=True):
                obj.save()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: the cached public community and pages of one
    test's (rolled-back) rows must not be served to the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
