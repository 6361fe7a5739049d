"""The registry's sources of a month's figures (home visits, verified volunteer hours of party
members) in a locked month: staff are refused in the back office, the secretary changes them
with a reason (logged in the scores' log of locked months)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Visit, VolunteerService
from community.services import verify_volunteer_services
from tests.factories import (
    HouseholdFactory,
    PartyMemberFactory,
    VisitFactory,
    VolunteerServiceFactory,
)
from tests.governance.frozen.conftest import errors, logged, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(community, staff):
    return VisitFactory(
        household=HouseholdFactory(community=community),
        visitor=staff,
        visited_on=dt.date(2024, 1, 9),
    )


def visit_url(visit):
    return f"/admin/community/visit/{visit.pk}/change/"


def test_staff_cannot_move_a_visit_out_of_a_locked_month(edit, staff, visit, locked_january):
    refused(edit(staff, visit_url(visit), visited_on="2024-02-09"))
    assert Visit.objects.get().visited_on == dt.date(2024, 1, 9)


def test_the_secretary_moves_it_with_a_reason(edit, secretary, visit, locked_january):
    response = edit(secretary, visit_url(visit), visited_on="2024-02-09")
    assert "请填写修改原因" in response.content.decode()
    response = edit(secretary, visit_url(visit), visited_on="2024-02-09", change_reason="日期录错")
    assert response.status_code == 302, errors(response)
    assert Visit.objects.get().visited_on == dt.date(2024, 2, 9)
    assert len(logged("日期录错", secretary)) == 6  # the community's figure: every star


def test_findings_of_a_locked_months_visit_can_be_completed(edit, staff, visit, locked_january):
    response = edit(staff, visit_url(visit), findings="老人身体好转,需要复诊")
    assert response.status_code == 302, errors(response)


@pytest.fixture
def hours(community):
    member = PartyMemberFactory(resident__community=community)
    return VolunteerServiceFactory(
        resident=None,
        party_member=member,
        community=community,
        served_on=dt.date(2024, 1, 15),
    )


def test_verifying_a_locked_months_hours_is_refused(client, staff, hours, locked_january):
    client.force_login(staff)
    response = client.post(
        "/admin/community/volunteerservice/",
        {"action": "verify", "_selected_action": [hours.pk]},
        follow=True,
    )
    assert "2024-01 的得分已锁定" in response.content.decode()
    assert VolunteerService.objects.get().verified_by is None


def test_correcting_verified_hours_of_a_locked_month(
    client, staff, secretary, hours, locked_january
):
    VolunteerService.objects.filter(pk=hours.pk).update(verified_by=secretary)
    url = f"/admin/community/volunteerservice/{hours.pk}/step/correct/"
    data = {"activity": "楼道清扫", "served_on": "2024-01-15", "hours": "3", "reason": "少记一小时"}
    client.force_login(staff)
    refused(client.post(url, data))
    assert VolunteerService.objects.get().hours == 2
    client.force_login(secretary)
    assert client.post(url, data).status_code == 302
    assert VolunteerService.objects.get().hours == 3
    logged("少记一小时", secretary)


def test_verifying_hours_checks_the_locked_months_once_for_all_records(
    community, staff, locked_january
):
    """The admin action on 1 or 3 records of February: the same queries (no per-record check)."""
    member = PartyMemberFactory(resident__community=community)
    counts = []
    for rows in (1, 3):
        made = [
            VolunteerServiceFactory(
                resident=None,
                party_member=member,
                community=community,
                served_on=dt.date(2024, 2, 3),
            )
            for _ in range(rows)
        ]
        with CaptureQueriesContext(connection) as queries:
            verified = verify_volunteer_services(
                user=staff, services=VolunteerService.objects.filter(pk__in=[s.pk for s in made])
            )
        assert verified == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]
