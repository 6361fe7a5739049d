"""A grid worker's week through the back office (docs/roles.md): log their work, record a
dispute whose other party lives in another grid, record a pairing contact, register a trainee;
another grid's residents stay out of sight."""

import pytest
from django.utils import timezone

from community.models import Resident
from governance.models import (
    Dispute,
    DisputeParty,
    Enrollment,
    Pairing,
    PairingContact,
    Star,
    TrainingCourse,
    WorkLog,
)
from tests.governance.roles.conftest import add_row, errors, page_data

pytestmark = pytest.mark.django_db

WORKLOG_ADD = "/admin/governance/worklog/add/"
DISPUTE_ADD = "/admin/governance/dispute/add/"


def _resident(grid_code, offset=0) -> Resident:
    residents = Resident.objects.filter(
        household__building__grid__code=grid_code, moved_out__isnull=True
    ).exclude(id_number="")
    return residents.order_by("pk")[offset]


def _log_entry(client, demo, **fields):
    data = page_data(client.get(WORKLOG_ADD))
    star = Star.objects.get(community=demo.community, code="safety")
    data.update(
        stars=[str(star.pk)],
        date=timezone.localdate().isoformat(),  # a month not locked yet
        kind="publicity",
        title="康乐小区冬季防火巡查",
        place="康乐小区",
        participants="3",
        households_reached="46",
        **fields,
    )
    return client.post(WORKLOG_ADD, data)


def test_a_grid_worker_logs_their_work_and_keeps_their_own_entries(demo, login):
    client = login("grid1")
    response = _log_entry(client, demo)
    assert response.status_code == 302, errors(response)
    entry = WorkLog.objects.get(title="康乐小区冬季防火巡查")
    assert entry.author.username == "grid1"
    url = f"/admin/governance/worklog/{entry.pk}/change/"
    data = page_data(client.get(url))
    data["households_reached"] = "52"
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.households_reached == 52


def test_a_grid_worker_only_reads_the_entries_of_others(demo, login):
    theirs = WorkLog.objects.filter(community=demo.community).exclude(author__username="grid1")
    entry = theirs.order_by("pk").first()
    client = login("grid1")
    url = f"/admin/governance/worklog/{entry.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "改掉"}).status_code == 403
    assert client.post(f"/admin/governance/worklog/{entry.pk}/delete/").status_code == 403


def _dispute_data(client, other_party_number):
    data = page_data(client.get(DISPUTE_ADD))
    own = _resident("G1")
    data.update(
        {
            "title": "楼栋间停车纠纷",
            "description": "两户因车位发生争执",
            "kind": "neighbour",
            "source": "patrol",
            "risk_level": "yellow",
            "found_on": "2025-01-08",  # the demo year 2024 is locked
            "status": "found",
            "parties-0-role": "applicant",
            "parties-0-resident": str(own.pk),
        }
    )
    return add_row(data, "parties", role="respondent", party_number=other_party_number, name="")


def test_a_grid_worker_names_a_party_of_another_grid_by_their_id_number(demo, login):
    client = login("grid1")
    other = _resident("G3")
    data = _dispute_data(client, other.id_number)
    assert data["grid"]  # their grid, offered first
    response = client.post(DISPUTE_ADD, data)
    assert response.status_code == 302, errors(response)
    dispute = Dispute.objects.get(title="楼栋间停车纠纷")
    assert dispute.grid.code == "G1"
    parties = {party.role: party.resident for party in DisputeParty.objects.filter(dispute=dispute)}
    assert parties == {"applicant": _resident("G1"), "respondent": other}
    # Reopened and saved as it is, the other grid's party stays (only that one is shown).
    url = f"/admin/governance/dispute/{dispute.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and other.name in page.content.decode()
    assert other.id_number not in page.content.decode()
    response = client.post(url, page_data(page))
    assert response.status_code == 302, errors(response)
    assert DisputeParty.objects.get(dispute=dispute, role="respondent").resident == other


def test_an_unknown_number_is_refused_and_never_echoed(demo, login):
    client = login("grid1")
    stranger = "11010519491231002X"
    assert not Resident.objects.filter(id_number=stranger).exists()
    response = client.post(DISPUTE_ADD, _dispute_data(client, stranger))
    assert response.status_code == 200
    assert "本社区没有该号码的居民" in response.content.decode()
    assert stranger not in response.content.decode()
    assert not Dispute.objects.filter(title="楼栋间停车纠纷").exists()


def test_another_grids_resident_cannot_be_picked_by_id(demo, login):
    client = login("grid1")
    data = _dispute_data(client, "")
    data["parties-1-resident"] = str(_resident("G2").pk)
    response = client.post(DISPUTE_ADD, data)
    assert response.status_code == 200
    parties = response.context["inline_admin_formsets"][0].formset
    assert "resident" in parties.errors[1]  # not a choice of theirs
    assert not Dispute.objects.filter(title="楼栋间停车纠纷").exists()


def _pairing_of(grid_code) -> Pairing:
    return (
        Pairing.objects.filter(helped_household__building__grid__code=grid_code)
        .order_by("pk")
        .first()
    )


def test_a_grid_worker_records_a_contact_of_a_pairing_of_their_grid(demo, login):
    pairing = _pairing_of("G1")
    client = login("grid1")
    url = f"/admin/governance/pairing/{pairing.pk}/change/"
    data = add_row(
        page_data(client.get(url)),
        "contacts",
        contacted_on="2025-01-06",  # the demo year 2024 is locked
        kind="phone",
        help_given="电话了解冬季取暖情况",
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    contact = PairingContact.objects.get(help_given="电话了解冬季取暖情况")
    assert contact.pairing == pairing and contact.recorded_by.username == "grid1"
    other = Pairing.objects.exclude(helped_household__building__grid__code="G1").first()
    assert client.get(f"/admin/governance/pairing/{other.pk}/change/").status_code == 404


def test_a_grid_worker_registers_a_trainee_of_their_grid(demo, login):
    course = TrainingCourse.objects.create(community=demo.community, title="家政服务员培训")
    client = login("grid1")
    url = f"/admin/governance/trainingcourse/{course.pk}/change/"
    data = add_row(
        page_data(client.get(url)),
        "enrollments",
        resident=str(_resident("G1", offset=2).pk),
        registered_on="2024-05-06",
        status="registered",
    )
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    assert Enrollment.objects.get(course=course).resident == _resident("G1", offset=2)


def test_what_a_grid_worker_may_not_open(demo, login):
    client = login("grid1")
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/admin/governance/weeklytask/").status_code == 403
    assert client.get("/admin/governance/trainingcourse/add/").status_code == 403
    other = _resident("G2")
    assert client.get(f"/admin/community/resident/{other.pk}/change/").status_code == 404
