"""Grid scoping: grid worker A can neither list nor open grid B's records (404), in lists,
detail pages, autocompletes and foreign-key choices; other communities likewise."""

import json

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from community.models import Household, Resident, Visit
from community.services import record_visit

pytestmark = pytest.mark.django_db


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_grid_worker_lists_only_their_grid(client, registry):
    client.force_login(registry.worker_a)
    html = _html(client, "/admin/community/resident/")
    assert "金丝雀" in html
    assert "乙网格居民" not in html and "外社区居民" not in html
    html = _html(client, "/admin/community/household/")
    assert str(registry.home_a) in html and str(registry.home_b) not in html


def test_grid_worker_cannot_open_another_grids_records(client, registry):
    record_visit(visitor=registry.worker_b, household=registry.home_b)
    visit_b = Visit.objects.get()
    client.force_login(registry.worker_a)
    for url in [
        f"/admin/community/resident/{registry.resident_b.pk}/change/",
        f"/admin/community/household/{registry.home_b.pk}/change/",
        f"/admin/community/visit/{visit_b.pk}/change/",
        f"/admin/community/resident/{registry.resident_other.pk}/change/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "乙网格居民" not in response.content.decode()
    client.force_login(registry.worker_b)
    assert client.get(f"/admin/community/visit/{visit_b.pk}/change/").status_code == 200


def test_reveal_of_another_grids_resident_is_404(client, registry):
    client.force_login(registry.secretary)
    assert (
        client.get(f"/admin/community/resident/{registry.resident_other.pk}/reveal/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("model", "field"), [("visit", "household"), ("visit", "resident"), ("resident", "household")]
)
def test_autocomplete_offers_only_the_workers_grid(client, registry, model, field):
    client.force_login(registry.worker_a)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "community", "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    labels = {r["text"] for r in json.loads(response.content)["results"]}
    if field == "household":
        assert labels == {str(registry.home_a)}
    else:
        assert labels == {"金丝雀"}


def test_foreign_key_choices_are_scoped(registry):
    request = RequestFactory().get("/")
    request.user = registry.worker_a
    visit_admin = site._registry[Visit]
    form = visit_admin.get_form(request)()
    assert list(form.fields["household"].queryset) == [registry.home_a]
    household_admin = site._registry[Household]
    form = household_admin.get_form(request)()
    assert [b.number for b in form.fields["building"].queryset] == ["1号楼"]


def test_staff_see_their_community_only(client, registry):
    client.force_login(registry.staff)
    html = _html(client, "/admin/community/resident/")
    assert "金丝雀" in html and "乙网格居民" in html and "外社区居民" not in html
    response = client.get(f"/admin/community/resident/{registry.resident_other.pk}/change/")
    assert response.status_code == 404


def test_division_viewer_sees_no_personal_data(client, registry):
    client.force_login(registry.viewer)
    for url in [
        "/admin/community/resident/",
        "/admin/community/household/",
        "/admin/community/visit/",
        "/admin/community/resident/export/",
        f"/admin/community/resident/{registry.canary.pk}/reveal/",
    ]:
        assert client.get(url).status_code == 403, url
    assert not registry.viewer.has_perm("community.view_sensitive_data")
    assert not registry.viewer.has_perm("community.reveal_personal_data")


@pytest.mark.parametrize(
    ("role", "sensitive", "reveal"),
    [
        ("secretary", True, True),
        ("staff", True, False),
        ("worker_a", True, False),
        ("viewer", False, False),
    ],
)
def test_personal_data_permissions_per_role(registry, role, sensitive, reveal):
    user = getattr(registry, role)
    assert user.has_perm("community.view_sensitive_data") is sensitive
    assert user.has_perm("community.reveal_personal_data") is reveal


def test_queryset_scoping_of_new_models(registry):
    from accounts.access import scoped

    record_visit(visitor=registry.worker_a, household=registry.home_a)
    record_visit(visitor=registry.worker_b, household=registry.home_b)
    assert [v.household for v in scoped(Visit.objects.all(), registry.worker_a)] == [
        registry.home_a
    ]
    assert list(scoped(Resident.objects.all(), registry.worker_b)) == [registry.resident_b]
