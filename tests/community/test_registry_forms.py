import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from community.forms import ResidentForm
from community.models import PartyMember, Resident, VolunteerService
from tests.factories import ResidentFactory, make_id_number

from .conftest import CANARY_ID

pytestmark = pytest.mark.django_db


def _data(registry, **extra):
    return {
        "household": registry.home_a.pk,
        "name": "新居民",
        "gender": "",
        "birth_date": "",
        "residency_type": "registered",
        "id_number_entry": "",
        "phone_entry": "",
        **extra,
    }


def test_duplicate_id_number_links_to_the_existing_record(registry):
    form = ResidentForm(data=_data(registry, id_number_entry=CANARY_ID))
    assert not form.is_valid()
    error = str(form.errors["id_number_entry"])
    assert f'href="/admin/community/resident/{registry.canary.pk}/change/"' in error
    assert CANARY_ID not in error


def test_same_id_number_is_allowed_in_another_community(registry):
    form = ResidentForm(
        data=_data(registry, household=registry.home_other.pk, id_number_entry=CANARY_ID)
    )
    assert form.is_valid(), form.errors


def test_birth_date_and_gender_come_from_the_id_number_and_must_agree(registry):
    number = make_id_number(birth_date=dt.date(1988, 2, 29), gender="F")
    form = ResidentForm(
        data=_data(registry, id_number_entry=number, phone_entry="0086 13912345678")
    )
    assert form.is_valid(), form.errors
    resident = form.save()
    assert (resident.birth_date, resident.gender) == (dt.date(1988, 2, 29), "F")
    assert resident.community == registry.community
    assert resident.phone == "13912345678" and resident.phone_last4 == "5678"
    assert Resident.objects.by_id_number(number).get() == resident
    form = ResidentForm(
        data=_data(registry, id_number_entry=make_id_number(gender="M"), gender="F",
                   birth_date="1970-01-01")
    )  # fmt: skip
    assert not form.is_valid()
    assert sorted(form.errors) == ["birth_date", "gender"]


def test_edit_form_never_contains_the_stored_values(registry):
    form = ResidentForm(instance=registry.canary)
    html = form.as_p()
    assert CANARY_ID not in html
    assert registry.canary.id_number_masked in html
    # Left empty, the stored number is kept.
    data = _data(registry, name="金丝雀", gender="F", birth_date="1975-06-15")
    form = ResidentForm(data=data, instance=registry.canary)
    assert form.is_valid(), form.errors
    form.save()
    registry.canary.refresh_from_db()
    assert registry.canary.id_number == CANARY_ID


def test_database_enforces_one_person_per_id_number_per_community(registry):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(
            community=registry.community, household=registry.home_b, id_number=CANARY_ID
        )


def test_protected_values_are_encrypted_at_rest(registry):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash FROM community_resident WHERE id = %s",
            [registry.canary.pk],
        )
        stored = cursor.fetchone()
    assert CANARY_ID not in "".join(stored)
    assert stored[0].startswith("gAAAA")  # Fernet


def test_party_member_and_volunteer_service_need_a_person(registry):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMember.objects.create(community=registry.community)
    member = PartyMember.objects.create(
        community=registry.community,
        kind=PartyMember.Kind.IN_SERVICE,
        name="赵在职",
        work_unit="新星市第一中学",
        home_branch="第一中学党支部",
        dual_registered_on=dt.date(2024, 3, 5),
        grid=registry.grid_a,
    )
    assert str(member) == "赵在职"
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerService.objects.create(community=registry.community, activity="x", hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerService.objects.create(
            community=registry.community, party_member=member, activity="x", hours=0
        )


def test_secretary_verifies_volunteer_hours(client, registry):
    member = PartyMember.objects.create(community=registry.community, resident=registry.canary)
    service = VolunteerService.objects.create(
        community=registry.community, party_member=member, activity="楼道清扫", hours=2
    )
    client.force_login(registry.secretary)
    response = client.post(
        "/admin/community/volunteerservice/",
        {"action": "verify", "_selected_action": [service.pk]},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.verified_by == registry.secretary


def test_grid_worker_records_a_visit_in_the_admin(client, registry):
    from community.models import Visit

    client.force_login(registry.worker_a)
    response = client.post(
        "/admin/community/visit/add/",
        {
            "household": registry.home_a.pk,
            "resident": registry.canary.pk,
            "visited_on": "2024-05-01",
            "purpose": "care",
            "findings": "身体状况良好",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    assert (visit.visitor, visit.community, visit.resident) == (
        registry.worker_a,
        registry.community,
        registry.canary,
    )
    response = client.post(
        "/admin/community/visit/add/",
        {"household": registry.home_b.pk, "visited_on": "2024-05-01", "purpose": "care"},
    )
    assert response.status_code == 200  # grid B's household is not a valid choice
    assert Visit.objects.count() == 1


def test_visit_form_rejects_future_dates_and_residents_of_other_households(client, registry):
    from community.models import Visit

    client.force_login(registry.staff)
    response = client.post(
        "/admin/community/visit/add/",
        {
            "household": registry.home_a.pk,
            "resident": registry.resident_b.pk,
            "visited_on": "2999-01-01",
            "purpose": "care",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert sorted(errors) == ["resident", "visited_on"]
    assert not Visit.objects.exists()


def test_record_visit_applies_the_same_rules_as_the_visit_form(registry):
    from django.core.exceptions import ValidationError

    from community.models import Visit
    from community.services import record_visit

    with pytest.raises(ValidationError) as raised:
        record_visit(
            visitor=registry.staff,
            household=registry.home_a,
            resident=registry.resident_b,
            visited_on=dt.date(2999, 1, 1),
        )
    assert sorted(raised.value.message_dict) == ["resident", "visited_on"]
    with pytest.raises(ValidationError) as raised:
        record_visit(
            visitor=registry.staff, household=registry.home_a, visited_on=dt.date(2999, 1, 1)
        )
    assert sorted(raised.value.message_dict) == ["visited_on"]
    assert not Visit.objects.exists()
