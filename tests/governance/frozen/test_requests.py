"""A request counted in a locked month: a step that changes that month's figures (an extension
of a deadline that passed in it, a rejection, a rating reopening a request resolved in it) is
refused for staff, taken by the secretary with a reason (logged), in the admin and in batches;
the resident's own rating is never refused, and is logged as the resident's."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from governance.models import LockedChange, MonthlyScore, ServiceRequest
from governance.services.request_workflow import Step, take_steps
from governance.services.requests import rate_request
from tests.factories import ServiceRequestFactory
from tests.governance.frozen.conftest import logged

pytestmark = pytest.mark.django_db


SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return dt.datetime(2024, 1, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def overdue(community, stars):
    """Submitted and due in January (locked), still being worked on."""
    return ServiceRequestFactory(
        community=community,
        star=stars["safety"],
        status=ServiceRequest.Status.ACCEPTED,
        submitted_at=at(3),
        accepted_at=at(3, 11),
        due_at=at(20),
    )


def step(client, user, sr, action, **data):
    client.force_login(user)
    url = f"/admin/governance/servicerequest/{sr.pk}/act/{action}/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"seen_event": page.context["form"]["seen_event"].value(), **data}
    return client.post(url, data)


def test_staff_cannot_reject_a_request_due_in_a_locked_month(
    client, staff, overdue, locked_january
):
    response = step(client, staff, overdue, "reject", reason="不属于社区职责")
    assert response.status_code == 200
    assert "2024-01 的得分已锁定,只有党支部书记可以修改" in response.content.decode()
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.ACCEPTED


def test_the_secretary_rejects_it_with_a_reason(client, secretary, overdue, locked_january):
    response = step(client, secretary, overdue, "reject", reason="不属于社区职责")
    assert "请填写修改原因" in response.content.decode()
    response = step(
        client, secretary, overdue, "reject", reason="不属于社区职责", change_reason="重复登记"
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.REJECTED
    changes = logged("重复登记", secretary)
    assert {change.score.star.code for change in changes} == {"safety"}


def test_extending_a_deadline_that_passed_in_a_locked_month(client, staff, overdue, locked_january):
    response = step(client, staff, overdue, "extend", working_days="15", reason="等待施工")
    assert "已锁定" in response.content.decode() and response.status_code == 200
    assert ServiceRequest.objects.get().extended_at is None


def test_work_in_an_open_month_goes_on(client, staff, community, stars, locked_january):
    february = ServiceRequestFactory(
        community=community,
        status=ServiceRequest.Status.SUBMITTED,
        submitted_at=at(30),
        due_at=at(30) + dt.timedelta(days=14),
    )
    response = step(client, staff, february, "accept", note="")
    assert response.status_code == 302
    assert not LockedChange.objects.exists()


def test_a_batch_obeys_the_same_rule(staff, secretary, overdue, locked_january):
    with pytest.raises(PermissionDenied):
        take_steps("reject", [Step(overdue, staff, values={"reason": "不属于"})])
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.ACCEPTED
    take_steps(
        "reject", [Step(overdue, secretary, values={"reason": "不属于"}, change_reason="核对")]
    )
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.REJECTED
    logged("核对", secretary)


def test_the_residents_rating_is_logged_not_refused(community, stars, locked_january):
    resolved = ServiceRequestFactory(
        community=community,
        star=stars["safety"],
        status=ServiceRequest.Status.RESOLVED,
        submitted_at=at(3),
        resolved_at=at(10),
        due_at=at(20),
    )
    february = dt.datetime(2024, 2, 2, 9, tzinfo=SHANGHAI)
    rate_request(service_request=resolved, solved=False, satisfaction="unsatisfied", now=february)
    assert ServiceRequest.objects.get().resolved_at is None  # reopened
    (change,) = LockedChange.objects.filter(user__isnull=True, score__star=stars["safety"])
    assert change.reason and MonthlyScore.objects.get(pk=change.score_id).stale
