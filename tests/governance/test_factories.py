"""The governance factories build valid rows of a six-star community."""

import pytest

from governance.models import Notice, RequestEvent, ServiceRequest, Star
from governance.services.requests import phone_index
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_six_star_community_comes_with_its_stars():
    community = factories.SixStarCommunityFactory()
    assert community.stars.count() == len(Star.Code.values)


def test_work_records_belong_to_one_community(community):
    fortress = community.stars.get(code="fortress")
    entry = factories.WorkLogFactory(community=community, stars=[fortress])
    assert list(entry.stars.all()) == [fortress]
    task = factories.WeeklyTaskFactory(community=community, star=fortress)
    assert task.week_start.weekday() == 0 and task.week_start <= task.due_date
    assert task.created_by == task.owner


def test_requests_written_directly_or_submitted(community):
    written = factories.ServiceRequestFactory(community=community, phone="13912345678")
    assert written.phone_last4 == "5678"
    assert written.phone_index == phone_index("13912345678")
    submitted = factories.SubmittedRequestFactory(community=community)
    assert submitted.reference and submitted.status == ServiceRequest.Status.SUBMITTED
    assert RequestEvent.objects.filter(request=submitted).exists()


def test_dispute_notice_and_project(community):
    assert factories.DisputeFactory(community=community).community == community
    notice = factories.NoticeFactory(community=community)
    assert list(Notice.objects.public()) == [notice]
    assert factories.ProjectFactory(community=community).budget > 0
