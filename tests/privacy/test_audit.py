"""The audit trail: changes, reveals, exports, imports, logins and refusals, each with actor,
time and IP; personal data masked in the trail and in the logs; browsable by record and user."""

import json
import logging
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from community.models import Grid, Resident
from community.services import import_resident_ledger
from governance.models import ServiceRequest
from privacy.context import current_request
from privacy.logmask import MaskingFilter
from privacy.models import AccessLog, AuditEvent
from tests.community.test_import_export import HEADERS, _good_rows
from tests.security.conftest import CANARY_ID, CANARY_PHONE

pytestmark = pytest.mark.django_db


def _trail_text() -> str:
    rows = AuditEvent.objects.values("actor_name", "object_repr", "object_id", "changes")
    return json.dumps(list(rows), ensure_ascii=False)


def _as(user, ip="203.0.113.9"):
    """The request context a page that writes would set (accounts.middleware.SecurityMiddleware)."""
    request = RequestFactory().post("/", REMOTE_ADDR=ip)
    request.user = user
    request.client_ip = ip
    return current_request.set(request)


def test_create_update_delete_each_write_one_row_with_actor_ip_and_changes(world):
    token = _as(world.secretary)
    try:
        with CaptureQueriesContext(connection) as queries:
            grid = Grid.objects.create(community=world.community, code="C", name="三网格")
        assert len(queries) == 2  # the INSERT of the grid and the one of its audit row
        grid.name = "第三网格"
        with CaptureQueriesContext(connection) as queries:
            grid.save()
        assert len(queries) == 2
        grid.save()  # nothing changed: no audit row
        pk = grid.pk
        grid.delete()
    finally:
        current_request.reset(token)
    events = list(
        AuditEvent.objects.filter(model="community.grid", object_id=str(pk)).order_by("id")
    )
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.actor == world.secretary and e.ip == "203.0.113.9" for e in events)
    assert all(e.community_id == world.community.pk for e in events)
    assert events[0].changes["name"] == "三网格"
    assert events[1].changes == {"name": ["三网格", "第三网格"]}


def test_personal_data_never_enters_the_trail(world):
    token = _as(world.staff)
    try:
        canary = Resident.objects.get(pk=world.canary.pk)
        canary.name = "金丝雀改"
        canary.phone = "13911112222"
        canary.save()
    finally:
        current_request.reset(token)
    event = AuditEvent.objects.get(model="community.resident", action="update")
    assert set(event.changes) >= {"name", "phone"}
    assert set(event.changes.values()) == {"***"}
    assert "金丝雀" not in event.object_repr
    text = _trail_text()
    for secret in (CANARY_ID, CANARY_PHONE, "13911112222", "金丝雀"):
        assert secret not in text


def test_an_admin_delete_is_recorded_with_the_user_and_the_proxy_aware_address(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    client.force_login(world.secretary)
    grid = Grid.objects.create(community=world.community, code="D", name="待撤销网格")
    response = client.post(f"/admin/community/grid/{grid.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Grid.objects.filter(pk=grid.pk).exists()
    event = AuditEvent.objects.get(model="community.grid", action="delete")
    assert event.actor == world.secretary and event.ip == "198.51.100.20"
    assert event.object_id == str(grid.pk) and event.object_repr


def test_a_public_request_is_recorded_with_the_residents_address(world, settings):
    from community.models import Building, Compound, Unit
    from governance.models import RequestCategory
    from tests.governance.requests.test_submit import _post_data

    compound = Compound.objects.create(community=world.community, name="康乐小区")
    building = Building.objects.create(
        community=world.community, compound=compound, grid=world.grid_a, number="1号楼"
    )
    unit = Unit.objects.create(building=building, number="1单元")
    places = {"kangle": compound, "b1": building, "u1": unit}
    category = RequestCategory.objects.get(name="道路照明")
    client = Client(REMOTE_ADDR="198.51.100.33")
    assert client.post("/requests/new/", _post_data(category, places)).status_code == 302
    request = ServiceRequest.objects.get()
    event = AuditEvent.objects.get(model="governance.servicerequest", action="create")
    assert event.object_id == str(request.pk)
    assert event.actor is None and event.ip == "198.51.100.33"
    assert "张学福" not in _trail_text() and "12345678" not in _trail_text()


def test_reveal_and_export_join_the_trail_once_each(world):
    client = Client(REMOTE_ADDR="198.51.100.40")
    client.force_login(world.secretary)
    url = f"/admin/community/resident/{world.canary.pk}/reveal/"
    assert client.post(url, {"reason": "核对低保申请材料"}).status_code == 200
    response = client.post(
        "/admin/community/resident/export/", {"format": "0", "reason": "年度核对"}
    )
    assert response.status_code == 200
    reveal = AuditEvent.objects.get(action="reveal")
    assert reveal.actor == world.secretary and reveal.ip == "198.51.100.40"
    assert reveal.object_id == str(world.canary.pk)
    export = AuditEvent.objects.get(action="export")
    assert export.changes["access_log"] == AccessLog.objects.get(action="export").pk
    assert CANARY_ID not in _trail_text()


def test_a_bulk_import_writes_one_audit_row_per_record(world):
    from community.resources import write_xlsx

    token = _as(world.staff)
    try:
        result = import_resident_ledger(
            user=world.staff, community=world.community, data=write_xlsx(HEADERS, _good_rows())
        )
    finally:
        current_request.reset(token)
    assert not result.has_errors()
    imported = set(
        Resident.objects.filter(name__in=["王建国", "李秀英", "阿依古丽"]).values_list(
            "pk", flat=True
        )
    )
    events = AuditEvent.objects.filter(action="import", model="community.resident")
    assert {int(e) for e in events.values_list("object_id", flat=True)} == imported
    assert events.count() == 3
    assert set(events.values_list("ip", flat=True)) == {"203.0.113.9"}


def test_logins_failures_logouts_and_refusals_are_recorded(world):
    AuditEvent.objects.all().delete()  # the fixtures' own rows
    client = Client(REMOTE_ADDR="198.51.100.50")
    client.post("/admin/login/", {"username": "stf", "password": "wrong-secret-pw"})
    client.post("/admin/login/", {"username": "stf", "password": "pw"})
    assert client.get("/admin/privacy/accesslog/").status_code == 403  # staff: not theirs
    client.post("/admin/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_name", "ip"))
    assert actions == [
        ("login_failed", "stf", "198.51.100.50"),
        ("login", "stf", "198.51.100.50"),
        ("denied", "stf", "198.51.100.50"),
        ("logout", "stf", "198.51.100.50"),
    ]
    denied = AuditEvent.objects.get(action="denied")
    assert denied.object_repr == "/admin/privacy/accesslog/"
    assert "wrong-secret-pw" not in _trail_text()


def test_logs_mask_id_and_phone_numbers():
    assert "mask_personal_data" in django_settings.LOGGING["handlers"]["console"]["filters"]
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.security.masking")
    logger.addHandler(handler)
    try:
        logger.warning("lookup %s / %s failed", CANARY_ID, CANARY_PHONE)
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert CANARY_ID not in text and CANARY_PHONE not in text
    assert CANARY_ID[:3] + "*" * 11 + CANARY_ID[-4:] in text and "138****5544" in text


def test_staff_browse_the_trail_by_record_and_by_user(world):
    token = _as(world.staff)
    try:
        grid = Grid.objects.create(community=world.community, code="C", name="三网格")
        grid.name = "第三网格"
        grid.save()
    finally:
        current_request.reset(token)
    other = _as(world.secretary)
    try:
        Grid.objects.create(community=world.other, code="Z", name="外社区网格")
    finally:
        current_request.reset(other)
    client = Client()
    client.force_login(world.staff)
    response = client.get(
        "/admin/privacy/auditevent/", {"model": "community.grid", "object_id": grid.pk}
    )
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [r.action for r in rows] == ["update", "create"]
    response = client.get("/admin/privacy/auditevent/", {"actor__id__exact": world.staff.pk})
    rows = list(response.context["cl"].result_list)
    assert {r.actor_id for r in rows} == {world.staff.pk} and len(rows) >= 2
    # The other community's rows stay invisible, and the trail cannot be edited.
    all_rows = client.get("/admin/privacy/auditevent/").context["cl"].result_list
    assert "外社区网格" not in {r.object_repr for r in all_rows}
    event = AuditEvent.objects.filter(community=world.community).first()
    page = client.post(f"/admin/privacy/auditevent/{event.pk}/change/", {"action": "x"})
    assert page.status_code == 403
    assert client.post(f"/admin/privacy/auditevent/{event.pk}/delete/").status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_the_trail_changelist_runs_a_fixed_number_of_queries(
    world, rows, django_assert_num_queries
):
    token = _as(world.staff)
    try:
        for n in range(rows):
            Grid.objects.create(community=world.community, code=f"Q{n}", name=f"网格{n}")
    finally:
        current_request.reset(token)
    client = Client()
    client.force_login(world.staff)
    client.get("/admin/privacy/auditevent/")  # warm the session
    with django_assert_num_queries(11):
        assert client.get("/admin/privacy/auditevent/").status_code == 200


def test_the_trails_old_back_office_address_leads_to_the_new_one(world, client):
    """The audit trail moved from the community app to privacy: old bookmarks still work."""
    client.force_login(world.secretary)
    response = client.get("/admin/community/auditevent/?action__exact=login")
    assert response.status_code == 301
    assert response["Location"] == "/admin/privacy/auditevent/?action__exact=login"
