"""A dispute counted in a locked month: staff are refused, the secretary changes it with a
reason, which is logged; work that goes on later (closing it in an open month) is not refused."""

import datetime

import pytest

from governance.models import Dispute, DisputeParty, MonthlyScore
from tests.factories import DisputeFactory
from tests.governance.frozen.conftest import errors, logged, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(community, stars):
    return make_dispute(community, stars, datetime.date(2024, 1, 10))


def make_dispute(community, stars, found_on):
    dispute = DisputeFactory(community=community, star=stars["safety"], found_on=found_on)
    DisputeParty.objects.create(dispute=dispute, name="张某")
    return dispute


def url(dispute):
    return f"/admin/governance/dispute/{dispute.pk}/change/"


def test_staff_cannot_change_a_locked_months_dispute(edit, staff, dispute, locked_january):
    response = edit(staff, url(dispute), is_major="on")
    refused(response)
    assert Dispute.objects.get().is_major is False


def test_the_secretary_changes_it_with_a_reason(edit, secretary, dispute, locked_january):
    response = edit(secretary, url(dispute), is_major="on")
    assert "请填写修改原因" in response.content.decode()
    response = edit(secretary, url(dispute), is_major="on", change_reason="漏报重大纠纷")
    assert response.status_code == 302, errors(response)
    assert Dispute.objects.get().is_major is True
    (change,) = logged("漏报重大纠纷", secretary)
    assert change.score.star.code == "safety" and change.action == "change"
    assert MonthlyScore.objects.get(pk=change.score.pk).stale


def test_later_work_on_it_is_not_refused(edit, staff, dispute, locked_january):
    response = edit(
        staff,
        url(dispute),
        status="mediating",
        mediation_accepted_on="2024-02-03",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Dispute.objects.get().status == "mediating"


def test_moving_it_into_a_locked_month_is_refused(edit, staff, community, stars, locked_january):
    later = make_dispute(community, stars, datetime.date(2024, 2, 10))
    refused(edit(staff, url(later), found_on="2024-01-31"))
    assert Dispute.objects.get().found_on == datetime.date(2024, 2, 10)


def test_no_delete_in_a_locked_month(client, staff, dispute, locked_january):
    client.force_login(staff)
    assert (
        client.post(f"/admin/governance/dispute/{dispute.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Dispute.objects.exists()
