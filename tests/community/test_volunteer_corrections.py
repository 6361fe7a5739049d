"""Verified volunteer hours are read-only; a correction gives a reason, which the record's
history keeps, and sends the hours back to be verified."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import services
from community.models import PartyMember, VolunteerService
from privacy.models import AuditEvent
from tests.factories import ResidentFactory
from tests.governance.steps.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, community, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def verified(community, secretary):
    member = PartyMember.objects.create(
        community=community, resident=ResidentFactory(community=community)
    )
    return VolunteerService.objects.create(
        community=community,
        party_member=member,
        activity="楼道清扫",
        served_on=dt.date(2024, 5, 18),
        hours=Decimal("2.0"),
        verified_by=secretary,
    )


def change_url(service):
    return reverse("admin:community_volunteerservice_change", args=[service.pk])


def correct_url(service):
    return reverse("admin:community_volunteerservice_step", args=[service.pk, "correct"])


def test_verified_hours_are_read_only_in_the_admin(office, verified):
    response = office.get(change_url(verified))
    page = response.content.decode()
    assert 'name="hours"' not in page and 'name="activity"' not in page
    assert correct_url(verified) in page and "更正已核实时长" in page
    # Saving the page as it is (or with a forged value) changes nothing.
    data = change_form_data(response) | {"hours": "12.0"}
    office.post(change_url(verified), data)
    verified.refresh_from_db()
    assert verified.hours == Decimal("2.0") and verified.verified_by is not None


def test_a_correction_needs_a_reason_and_unverifies_the_hours(office, verified, staff):
    values = {"activity": "楼道清扫", "served_on": "2024-05-18", "hours": "12.0"}
    response = office.post(correct_url(verified), values | {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    verified.refresh_from_db()
    assert verified.hours == Decimal("2.0")

    reason = "登记时少录一位数,实为12小时"
    response = office.post(correct_url(verified), values | {"reason": reason})
    assert response.status_code == 302
    verified.refresh_from_db()
    assert (verified.hours, verified.verified_by) == (Decimal("12.0"), None)
    # The reason is kept: in the audit trail with the change, and in the record's history.
    event = AuditEvent.objects.get(
        model="community.volunteerservice", object_id=str(verified.pk), changes__has_key="reason"
    )
    assert event.changes["reason"] == reason and event.actor == staff
    assert event.changes["hours"] == ["2.0", "12.0"]
    history = office.get(
        reverse("admin:community_volunteerservice_history", args=[verified.pk])
    ).content.decode()
    assert reason in history
    # Unverified again: editable, and listed for verification.
    assert 'name="hours"' in office.get(change_url(verified)).content.decode()
    office.post(
        reverse("admin:community_volunteerservice_changelist"),
        {"action": "verify", "_selected_action": [verified.pk]},
    )
    verified.refresh_from_db()
    assert verified.verified_by == staff


def test_unverified_hours_offer_no_correction(office, verified):
    verified.verified_by = None
    verified.save()
    assert correct_url(verified) not in office.get(change_url(verified)).content.decode()


def test_the_correction_service_refuses_no_reason_and_no_change(verified):
    with pytest.raises(ValidationError):
        services.correct_volunteer_service(service=verified, reason=" ", hours=Decimal("3"))
    with pytest.raises(ValidationError):
        services.correct_volunteer_service(service=verified, reason="核对", hours=Decimal("2.0"))
    verified.refresh_from_db()
    assert verified.verified_by is not None


def test_a_star_member_cannot_correct(client, verified, star_member):
    client.force_login(star_member)  # may view volunteer hours, not change them
    assert (
        client.post(
            correct_url(verified),
            {"activity": "x", "served_on": "2024-05-18", "hours": "1", "reason": "理由充分"},
        ).status_code
        == 403
    )
