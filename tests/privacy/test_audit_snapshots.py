"""When the audit trail copies a record's values as loaded (its snapshot, what a save compares
against): on pages that send a form, in commands and shells; not on pages that only read
(GET, HEAD, OPTIONS), nor while auditing is off. A write that follows a load without a snapshot
reads the stored values back first, so its audit row still shows [old, new]."""

import pytest
from django.core.cache import cache
from django.db.models.signals import post_init
from django.test import Client, RequestFactory

from community.models import Grid
from privacy import audit
from privacy.context import current_request
from privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    """Every model instance created while the test runs."""
    instances = []

    def collect(sender, instance, **kwargs):
        instances.append(instance)

    post_init.connect(collect, dispatch_uid="test-audit-snapshots")
    yield instances
    post_init.disconnect(dispatch_uid="test-audit-snapshots")


def _serving(method: str, user):
    request = getattr(RequestFactory(), method.lower())("/")
    request.user = user
    request.client_ip = "203.0.113.5"
    return current_request.set(request)


@pytest.fixture
def reading(world):
    token = _serving("GET", world.staff)
    yield
    current_request.reset(token)


def _update_rows(grid):
    return list(
        AuditEvent.objects.filter(
            model="community.grid", object_id=str(grid.pk), action="update"
        ).order_by("id")
    )


@pytest.mark.parametrize("url", ["/requests/new/", "/notices/", "/activities/", "/honours/"])
def test_an_anonymous_read_takes_no_snapshot_of_what_it_loads(world, loaded, url):
    cache.clear()  # built from the records, not served from the page cache
    response = Client().get(url)
    assert response.status_code == 200
    audited = [i for i in loaded if type(i) in audit._fields]
    assert audited  # the page did load records: none of them was copied
    assert not [i for i in audited if "_audit_initial" in i.__dict__]


def test_the_request_form_loads_records_without_copying_them(world, loaded):
    """The form lists the community's places: they load, and none is copied."""
    Client().get("/requests/new/")
    assert any(isinstance(i, Grid) or type(i).__name__ == "Compound" for i in loaded)
    assert not [i for i in loaded if "_audit_initial" in i.__dict__]


def test_a_page_that_sends_a_form_keeps_the_loaded_values(world):
    token = _serving("POST", world.staff)
    try:
        grid = Grid.objects.filter(community=world.community).first()
        assert grid._audit_initial["name"] == grid.name
    finally:
        current_request.reset(token)


def test_a_save_after_a_read_only_load_still_records_old_and_new(world, reading):
    grid = Grid.objects.filter(community=world.community).first()
    assert "_audit_initial" not in grid.__dict__
    old = grid.name
    grid.name = old + "改"
    grid.save()
    [row] = _update_rows(grid)
    assert row.changes["name"] == [old, old + "改"]
    grid.name = old + "再改"  # the snapshot taken at the save serves the next one
    grid.save(update_fields=["name"])
    assert [r.changes["name"] for r in _update_rows(grid)][-1] == [old + "改", old + "再改"]


def test_a_bulk_update_after_a_read_only_load_reads_the_stored_values_once(
    world, reading, django_assert_num_queries
):
    for n in range(3):
        Grid.objects.create(community=world.community, code=f"S{n}", name=f"网格{n}")
    grids = list(Grid.objects.filter(code__startswith="S").order_by("code"))
    for grid in grids:
        grid.name += "改"
    # the stored values, the UPDATE, and one INSERT of audit rows
    with django_assert_num_queries(3):
        Grid.objects.bulk_update(grids, ["name"])
    for n, grid in enumerate(grids):
        [row] = _update_rows(grid)
        assert row.changes["name"] == [f"网格{n}", f"网格{n}改"]


def test_a_save_while_auditing_is_off_leaves_no_stale_snapshot(world):
    token = _serving("POST", world.staff)
    try:
        grid = Grid.objects.filter(community=world.community).first()
        first = grid.name
        with audit.suppressed():
            grid.name = first + "B"
            grid.save()
        grid.name = first + "C"
        grid.save()
    finally:
        current_request.reset(token)
    [row] = _update_rows(grid)
    assert row.changes["name"] == [first + "B", first + "C"]


def test_nothing_is_copied_while_auditing_is_off(world):
    with audit.suppressed():
        grid = Grid.objects.filter(community=world.community).first()
    assert "_audit_initial" not in grid.__dict__
