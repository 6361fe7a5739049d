"""A council motion from the agenda to the published decision, all in the back office."""

import datetime as dt

import pytest
from django.urls import reverse

from governance.models import Council, CouncilMeeting, CouncilMember, Motion, Notice, Vote
from tests.factories import ResidentFactory

from .admin_forms import add_inline_rows, change_form_data

pytestmark = pytest.mark.django_db


def step_url(motion, name):
    return reverse("admin:governance_motion_step", args=[motion.pk, name])


def change_url(model, obj):
    return reverse(f"admin:governance_{model}_change", args=[obj.pk])


@pytest.fixture
def council(community):
    council = Council.objects.create(community=community, name="康乐小区居民议事会")
    for index in range(5):
        CouncilMember.objects.create(
            council=council,
            resident=ResidentFactory(community=community, name=f"议事员{index}"),
            joined_on=dt.date(2022, 1, 1),
        )
    return council


def file_meeting_and_motion(office, council):
    """Staff add a meeting and a new motion through the admin's add forms."""
    response = office.post(
        reverse("admin:governance_councilmeeting_add"),
        {
            "council": council.pk,
            "held_on": "2024-06-01",
            "place": "社区会议室",
            "agenda": "外墙保温材料",
            "minutes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    data = {
        "council": council.pk,
        "project": "",
        "title": "外墙保温材料选购",
        "description": "选择外墙保温材料",
        "proposer": "",
        "proposed_on": "2024-05-20",
        "execution": "not_started",
        "execution_note": "",
        "executed_on": "",
    }
    for prefix in ("options", "votes", "objections"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = office.post(reverse("admin:governance_motion_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return CouncilMeeting.objects.get(council=council), Motion.objects.get(council=council)


def test_staff_run_a_motion_from_agenda_to_published_decision(office, council, staff):
    meeting, motion = file_meeting_and_motion(office, council)
    assert motion.status == Motion.Status.PROPOSED
    page = office.get(change_url("motion", motion)).content.decode()
    assert step_url(motion, "agenda") in page and "列入会议议程" in page
    assert step_url(motion, "decide") not in page

    # 1. The party branch's review puts it on the meeting's agenda.
    response = office.post(step_url(motion, "agenda"), {"meeting": meeting.pk, "note": "同意"})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert (motion.status, motion.meeting, motion.branch_review_note) == (
        Motion.Status.ON_AGENDA,
        meeting,
        "同意",
    )

    # 2. The sign-in, on the meeting's page: four of five members came.
    members = list(CouncilMember.objects.filter(council=council).order_by("id"))
    data = change_form_data(office.get(change_url("councilmeeting", meeting)))
    data["signed_in"] = [str(m.pk) for m in members[:4]]
    assert office.post(change_url("councilmeeting", meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.attendees.count(), meeting.members_total) == (4, 5)

    # 3. The votes, on the motion's page: three for, one against.
    data = change_form_data(office.get(change_url("motion", motion)))
    choices = ["for", "for", "for", "against"]
    votes = zip(members[:4], choices, strict=True)
    rows = [{"member": str(m.pk), "choice": c, "option": ""} for m, c in votes]
    add_inline_rows(data, "votes", rows)
    response = office.post(change_url("motion", motion), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Vote.objects.filter(motion=motion).count() == 4

    # 4. The decision: 3 of 5 members voted for, more than half: passed.
    assert "计票并记录表决结果" in office.get(change_url("motion", motion)).content.decode()
    assert office.post(step_url(motion, "decide"), {}).status_code == 302
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED
    assert (motion.votes_for, motion.votes_against, motion.votes_abstain) == (3, 1, 0)
    assert motion.members_total == 5

    # 5. Published: a public notice with the tally, for the days chosen.
    response = office.post(step_url(motion, "publish"), {"starts_on": "2024-06-03", "days": "7"})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert (motion.notice_starts_on, motion.notice_ends_on) == (
        dt.date(2024, 6, 3),
        dt.date(2024, 6, 9),
    )
    notice = Notice.objects.get(category=Notice.Category.COUNCIL)
    assert motion.title in notice.title and notice.created_by == staff
    page = office.get(change_url("motion", motion)).content.decode()
    assert step_url(motion, "publish") not in page  # published once
    # Each step is in the motion's history.
    history = office.get(
        reverse("admin:governance_motion_history", args=[motion.pk])
    ).content.decode()
    assert "已列入2024-06-01会议的议程。" in history and "表决结果:通过" in history
    assert "自2024-06-03起公示至2024-06-09。" in history


def test_a_motion_is_not_decided_without_a_quorum(office, council):
    meeting, motion = file_meeting_and_motion(office, council)
    office.post(step_url(motion, "agenda"), {"meeting": meeting.pk, "note": ""})
    members = list(CouncilMember.objects.filter(council=council).order_by("id"))
    data = change_form_data(office.get(change_url("councilmeeting", meeting)))
    data["signed_in"] = [str(m.pk) for m in members[:2]]  # 2 of 5: no quorum
    office.post(change_url("councilmeeting", meeting), data)
    response = office.post(step_url(motion, "decide"), {})
    assert response.status_code == 200
    assert "未达到法定人数:5 名成员中仅 2 人签到,至少需要 4 人" in response.content.decode()
    motion.refresh_from_db()
    assert motion.status == Motion.Status.ON_AGENDA


def test_a_member_who_did_not_sign_in_cannot_vote(office, council):
    meeting, motion = file_meeting_and_motion(office, council)
    office.post(step_url(motion, "agenda"), {"meeting": meeting.pk, "note": ""})
    members = list(CouncilMember.objects.filter(council=council).order_by("id"))
    data = change_form_data(office.get(change_url("councilmeeting", meeting)))
    data["signed_in"] = [str(m.pk) for m in members[:4]]
    office.post(change_url("councilmeeting", meeting), data)
    data = change_form_data(office.get(change_url("motion", motion)))
    add_inline_rows(data, "votes", [{"member": str(members[4].pk), "choice": "for", "option": ""}])
    response = office.post(change_url("motion", motion), data)
    assert response.status_code == 200
    assert "议事员4 未在本次会议签到,不能表决。" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_motion_on_another_councils_meeting_is_refused(office, council, community):
    _meeting, motion = file_meeting_and_motion(office, council)
    other = Council.objects.create(community=community, name="星光花苑议事会")
    foreign = CouncilMeeting.objects.create(council=other, held_on=dt.date(2024, 6, 1))
    response = office.post(step_url(motion, "agenda"), {"meeting": foreign.pk, "note": ""})
    assert response.status_code == 200  # not a choice of this motion's meetings
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PROPOSED


def test_the_division_viewer_sees_the_motion_but_takes_no_step(client, council, division_viewer):
    motion = Motion.objects.create(
        council=council, title="议题", description="d", proposed_on=dt.date(2024, 5, 1)
    )
    client.force_login(division_viewer)
    page = client.get(change_url("motion", motion))
    assert page.status_code == 200
    assert step_url(motion, "agenda") not in page.content.decode()
    assert client.get(step_url(motion, "agenda")).status_code == 403
