"""Bulk writes join the audit trail (privacy/auditing_queryset.py): QuerySet.update(),
bulk_create(), bulk_update() and many-to-many add/remove/clear, each with actor, IP and masked
changes, in a bounded number of queries; audit.suppressed() turns them off; and no model of the
domain apps escapes the audit without being listed as not audited."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.apps.registry import Apps
from django.db import models
from django.test import Client, RequestFactory

from accounts.models import StaffProfile
from community.models import Grid, Household, Resident, VolunteerService
from community.services import import_resident_ledger
from governance.models import Star, WorkLog
from privacy import audit
from privacy.auditing_queryset import AuditedQuerySet
from privacy.context import current_request
from privacy.models import AuditEvent
from tests.community.test_import_export import HEADERS, _good_rows
from tests.factories import make_id_number
from tests.security.conftest import CANARY_ID, CANARY_PHONE

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"


@pytest.fixture
def as_staff(world):
    """The request context a back-office page sets (accounts.middleware.SecurityMiddleware):
    world.staff, from IP, sending a form (a POST)."""
    request = RequestFactory().post("/", REMOTE_ADDR=IP)
    request.user = world.staff
    request.client_ip = IP
    token = current_request.set(request)
    yield world.staff
    current_request.reset(token)


def _rows(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("object_id", "id"))


def _trail_text() -> str:
    rows = AuditEvent.objects.values("actor_name", "object_repr", "object_id", "changes")
    return json.dumps(list(rows), ensure_ascii=False)


def _by(events, user):
    return all(e.actor_id == user.pk and e.actor_name == user.username for e in events)


def _log(world, title="入户宣传", **extra):
    return WorkLog.objects.create(
        community=world.community,
        date=dt.date(2024, 5, 6),
        kind="publicity",
        title=title,
        author=world.staff,
        **extra,
    )


# -- every model is covered --------------------------------------------------------------------


def _unaudited(model_classes) -> list[str]:
    """Models whose default manager bypasses AuditedQuerySet and that NOT_AUDITED does not
    list."""
    return [
        model._meta.label_lower
        for model in model_classes
        if model._meta.label_lower not in audit.NOT_AUDITED
        and not issubclass(model._default_manager._queryset_class, AuditedQuerySet)
    ]


def _domain_models():
    return [m for label in audit.AUDITED_APPS for m in apps.get_app_config(label).get_models()]


def test_every_model_of_the_domain_apps_is_audited_or_listed_as_not():
    domain = _domain_models()
    assert len(domain) > 40
    assert _unaudited(domain) == []
    labels = {m._meta.label_lower for m in domain}
    assert labels >= audit.NOT_AUDITED  # no stale entry in the list
    for model in domain:
        listed = model._meta.label_lower in audit.NOT_AUDITED
        # Audited models also have their save/delete signals connected, and the listed ones
        # are left alone by both.
        assert (model in audit._fields) is not listed, model
        assert audit.is_audited(model) is not listed, model
        assert issubclass(model._default_manager._queryset_class, AuditedQuerySet) is not listed
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                assert audit._m2m[through] == (model, field)
            else:  # a through model of ours (GridMember) is audited as a model
                assert through in audit._fields


def test_a_new_model_on_a_plain_manager_is_caught():
    registry = Apps()  # the two models stay out of the project's app registry

    class Stray(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "governance"
            apps = registry

    class Tidy(models.Model):  # noqa: DJ008
        objects = AuditedQuerySet.as_manager()

        class Meta:
            app_label = "governance"
            apps = registry

    assert _unaudited([Stray, Tidy]) == ["governance.stray"]


# -- update() -----------------------------------------------------------------------------------


def test_an_admin_action_that_updates_writes_one_row_per_record_with_actor_and_ip(world):
    rows = [
        VolunteerService.objects.create(
            community=world.community,
            resident=world.canary,
            activity=f"义务巡逻{n}",
            hours=2,
            verified_by=world.staff if n == 2 else None,
        )
        for n in range(3)
    ]
    AuditEvent.objects.all().delete()
    client = Client(REMOTE_ADDR="198.51.100.61")
    client.force_login(world.secretary)
    response = client.post(
        "/admin/community/volunteerservice/",
        {"action": "verify", "_selected_action": [r.pk for r in rows]},
    )
    assert response.status_code == 302
    assert VolunteerService.objects.filter(verified_by=world.secretary).count() == 2
    events = _rows(model="community.volunteerservice")
    assert [e.object_id for e in events] == [str(rows[0].pk), str(rows[1].pk)]  # not the 3rd
    assert {e.action for e in events} == {"update"}
    assert _by(events, world.secretary) and {e.ip for e in events} == {"198.51.100.61"}
    assert {e.community_id for e in events} == {world.community.pk}
    assert events[0].changes == {"verified_by_id": world.secretary.pk, "_via": "update()"}


def test_update_records_each_record_once_with_the_new_values(world, as_staff):
    star_a, star_b = Star.objects.filter(community=world.community).order_by("order")[:2]
    log = _log(world)
    log.stars.add(star_a, star_b)
    other = _log(world, title="未选中")
    AuditEvent.objects.all().delete()
    # The filter joins the two stars: the log matches twice, it is audited once.
    count = WorkLog.objects.filter(stars__in=[star_a, star_b]).update(is_public=True, brochures=5)
    assert count == 1
    (event,) = _rows(model="governance.worklog")
    assert (event.action, event.object_id, event.ip) == ("update", str(log.pk), IP)
    assert _by([event], world.staff) and event.community_id == world.community.pk
    assert event.changes == {"is_public": True, "brochures": 5, "_via": "update()"}
    assert event.object_repr == f"{WorkLog._meta.verbose_name} #{log.pk}"
    # A model without a community column gets it through its scope path (star__community).
    star_a.members.create(user=world.star_member)
    AuditEvent.objects.all().delete()
    star_a.members.update(role="lead")
    (event,) = _rows(model="governance.starmember")
    assert event.community_id == world.community.pk and event.changes["role"] == "lead"
    assert not AuditEvent.objects.filter(object_id=str(other.pk), model="governance.worklog")


def test_update_of_personal_records_keeps_only_field_names(world, as_staff):
    AuditEvent.objects.all().delete()
    Resident.objects.filter(pk=world.canary.pk).update(
        notes=f"身份证{CANARY_ID} 电话{CANARY_PHONE}", phone_masked="138****5544"
    )
    # A model without personal data, but a field named like one.
    StaffProfile.objects.filter(user=world.staff).update(phone=CANARY_PHONE)
    resident = AuditEvent.objects.get(model="community.resident")
    assert resident.changes == {"notes": "***", "phone_masked": "***", "_via": "update()"}
    assert resident.object_repr == f"{Resident._meta.verbose_name} #{world.canary.pk}"
    profile = AuditEvent.objects.get(model="accounts.staffprofile")
    assert profile.changes == {"phone": "***", "_via": "update()"}
    text = _trail_text()
    for secret in (CANARY_ID, CANARY_PHONE, "金丝雀"):
        assert secret not in text


def test_update_through_unusual_querysets(world, as_staff):
    AuditEvent.objects.all().delete()
    assert Grid.objects.filter(pk__in=[]).update(name="无") == 0
    assert Grid.objects.none().update(name="无") == 0
    assert not AuditEvent.objects.exists()
    # Annotated and filtered on the annotation; a values() queryset; a related manager.
    busy = Grid.objects.annotate(n=models.Count("buildings")).filter(
        n__gte=1, community=world.community
    )
    assert busy.update(police_officer="赵警官") == 2
    assert Grid.objects.filter(pk=world.grid_a.pk).values("name").update(name="甲网格") == 1
    assert world.home_a.residents.update(relation_to_head="户主") == 1
    assert world.community.grids.update(police_officer="") == 2
    labelled = sorted(AuditEvent.objects.values_list("model", "object_id"))
    a, b = str(world.grid_a.pk), str(world.grid_b.pk)
    grids = [("community.grid", pk) for pk in (a, b, a, a, b)]  # busy, values(), community
    assert labelled == sorted([*grids, ("community.resident", str(world.canary.pk))])
    with pytest.raises(TypeError):
        Grid.objects.all()[:1].update(name="切片")  # Django's own refusal, unchanged


# -- bulk_create() and bulk_update() ------------------------------------------------------------


def test_bulk_create_writes_a_masked_create_row_per_record(world, as_staff):
    AuditEvent.objects.all().delete()
    numbers = [make_id_number(sequence=300 + n) for n in range(3)]
    residents = []
    for n, number in enumerate(numbers):
        resident = Resident(
            community=world.community, household=world.home_a, name=f"批量{n}", gender="M"
        )
        resident.set_id_number(number)
        resident.set_phone(f"1390000{n:04d}")
        residents.append(resident)
    created = Resident.objects.bulk_create(residents)
    grids = Grid.objects.bulk_create(
        [Grid(community=world.community, code=f"N{n}", name=f"新网格{n}") for n in range(2)]
    )
    events = _rows(model="community.resident")
    assert sorted(int(e.object_id) for e in events) == sorted(r.pk for r in created)
    assert {e.action for e in events} == {"create"} and _by(events, world.staff)
    assert {e.ip for e in events} == {IP}
    assert set(events[0].changes.values()) == {"***", "bulk_create()"}
    assert {"id_number", "phone", "name"} <= set(events[0].changes)
    grid_events = _rows(model="community.grid")
    assert [e.changes["name"] for e in grid_events] == [g.name for g in grids]
    text = _trail_text()
    for secret in [*numbers, "13900000001", "批量"]:
        assert secret not in text


def test_bulk_update_writes_old_and_new_values_per_changed_record(world, as_staff):
    Grid.objects.bulk_create(
        [Grid(community=world.community, code=f"U{n}", name=f"网格{n}") for n in range(3)]
    )
    grids = list(Grid.objects.filter(code__startswith="U").order_by("code"))
    AuditEvent.objects.all().delete()
    grids[0].name = "改名0"
    grids[2].name = "改名2"
    grids[2].police_officer = "王警官"
    assert Grid.objects.bulk_update(grids, ["name", "police_officer"]) == 3
    events = _rows(model="community.grid")
    assert [e.object_id for e in events] == [str(grids[0].pk), str(grids[2].pk)]  # 1: unchanged
    assert events[0].changes == {"name": ["网格0", "改名0"], "_via": "bulk_update()"}
    assert events[1].changes == {
        "name": ["网格2", "改名2"],
        "police_officer": ["", "王警官"],
        "_via": "bulk_update()",
    }
    assert _by(events, world.staff) and {e.ip for e in events} == {IP}
    # Personal records: names of fields only.
    canary = Resident.objects.get(pk=world.canary.pk)
    canary.notes = f"联系电话{CANARY_PHONE}"
    Resident.objects.bulk_update([canary], ["notes"])
    event = AuditEvent.objects.get(model="community.resident")
    assert event.changes == {"notes": "***", "_via": "bulk_update()"}
    assert CANARY_PHONE not in _trail_text()


@pytest.mark.parametrize("rows", [3, 30])
def test_bulk_writes_cost_the_same_number_of_queries_for_3_and_30_rows(
    world, as_staff, rows, django_assert_num_queries
):
    AuditEvent.objects.all().delete()
    with django_assert_num_queries(2):  # the INSERT and one INSERT of audit rows
        Grid.objects.bulk_create(
            [Grid(community=world.community, code=f"Q{n}", name=f"网格{n}") for n in range(rows)]
        )
    grids = list(Grid.objects.filter(code__startswith="Q"))
    for grid in grids:
        grid.name += "改"
    with django_assert_num_queries(2):  # the UPDATE and one INSERT of audit rows
        Grid.objects.bulk_update(grids, ["name"])
    with django_assert_num_queries(2):  # one INSERT … SELECT of audit rows, the UPDATE
        Grid.objects.filter(code__startswith="Q").update(police_officer="李警官")
    actions = AuditEvent.objects.filter(model="community.grid").values_list("action", flat=True)
    assert sorted(actions) == ["create"] * rows + ["update"] * (2 * rows)


# -- many-to-many -------------------------------------------------------------------------------


def test_m2m_add_remove_and_clear_are_recorded_with_the_related_ids(world, as_staff):
    star_a, star_b, star_c = Star.objects.filter(community=world.community).order_by("order")[:3]
    log = _log(world)
    AuditEvent.objects.all().delete()
    log.stars.add(star_a, star_b)
    log.stars.add(star_a)  # already there: nothing changes, nothing is recorded
    log.stars.remove(star_b)
    star_c.work_logs.add(log)  # from the other side: the log's row
    log.stars.clear()
    events = _rows(model="governance.worklog")
    assert [e.changes for e in events] == [
        {"stars": {"add": sorted([star_a.pk, star_b.pk])}, "_via": "m2m"},
        {"stars": {"remove": [star_b.pk]}, "_via": "m2m"},
        {"stars": {"add": [star_c.pk]}, "_via": "m2m"},
        {"stars": {"clear": sorted([star_a.pk, star_c.pk])}, "_via": "m2m"},
    ]
    assert {e.action for e in events} == {"update"} and {e.object_id for e in events} == {
        str(log.pk)
    }
    assert _by(events, world.staff) and {e.ip for e in events} == {IP}
    assert {e.community_id for e in events} == {world.community.pk}
    # Cleared from the other side: every log that lost the star gets its row.
    second = _log(world, title="第二条")
    star_a.work_logs.add(log, second)
    AuditEvent.objects.all().delete()
    star_a.work_logs.clear()
    events = _rows(model="governance.worklog")
    assert sorted(e.object_id for e in events) == sorted([str(log.pk), str(second.pk)])
    assert [e.changes for e in events] == [{"stars": {"clear": [star_a.pk]}, "_via": "m2m"}] * 2


def test_m2m_through_a_model_of_ours_is_audited_as_that_model(world, as_staff):
    AuditEvent.objects.all().delete()
    world.grid_a.members.add(world.staff, through_defaults={"role": "chief"})
    world.grid_a.members.remove(world.staff)
    events = AuditEvent.objects.order_by("id")
    assert [(e.model, e.action) for e in events] == [
        ("community.gridmember", "create"),
        ("community.gridmember", "delete"),
    ]
    StaffProfile.objects.get(user=world.viewer).viewable_communities.add(world.other)
    event = AuditEvent.objects.get(model="accounts.staffprofile")
    assert event.changes == {"viewable_communities": {"add": [world.other.pk]}, "_via": "m2m"}


# -- suppression --------------------------------------------------------------------------------


def test_suppressed_blocks_write_no_audit_rows_and_auditing_resumes_after(world, as_staff):
    star = Star.objects.filter(community=world.community).first()
    log = _log(world)
    AuditEvent.objects.all().delete()
    with audit.suppressed():
        assert not audit.is_audited(WorkLog)
        WorkLog.objects.filter(pk=log.pk).update(title="静默")
        WorkLog.objects.bulk_update([log], ["title"])
        Grid.objects.bulk_create([Grid(community=world.community, code="S", name="静默网格")])
        Grid.objects.create(community=world.community, code="S2", name="静默网格2")
        log.stars.add(star)
        log.stars.clear()
        Grid.objects.filter(code="S").delete()
    assert not AuditEvent.objects.exists()
    assert audit.is_audited(WorkLog)
    WorkLog.objects.filter(pk=log.pk).update(title="有记录")
    assert AuditEvent.objects.get().changes == {"title": "有记录", "_via": "update()"}


def test_the_registry_import_is_audited_once_per_resident(world, as_staff):
    from community.resources import write_xlsx

    AuditEvent.objects.all().delete()
    result = import_resident_ledger(
        user=world.staff, community=world.community, data=write_xlsx(HEADERS, _good_rows())
    )
    assert not result.has_errors()
    residents = AuditEvent.objects.filter(model="community.resident")
    assert set(residents.values_list("action", flat=True)) == {"import"}
    assert residents.count() == 3
    # What the import adds besides the residents (the heads of their households) is audited.
    assert set(
        AuditEvent.objects.filter(model="community.household").values_list("action", flat=True)
    ) <= {"create", "update"}
    assert Household.objects.filter(head__isnull=False).count() >= 1


def test_generate_scale_data_writes_no_audit_rows(db):
    from governance.demo import scale

    before = AuditEvent.objects.count()
    scale.generate(
        sizes=scale.Sizes(communities=1, residents=6, work_logs=4, requests=2),
        prefix="audit",
        log=lambda message: None,
    )
    assert Resident.objects.filter(community__slug="audit-01").count() == 6
    assert AuditEvent.objects.count() == before
