"""社区工作人员's week: file a request for a resident who walked in; run a council meeting from a
new motion to its published decision."""

import datetime as dt

import pytest
from django.utils import timezone

from governance.models import Council, CouncilMember, Motion, ServiceRequest, Vote
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_file_a_request_for_a_walk_in_resident(office, journey):
    walk = journey(office.staff)
    page = walk.page
    walk.click_through(page.locator("#content-main a").filter(has_text="居民诉求").first)
    walk.click_through(page.locator(".object-tools a.addlink"))
    page.select_option("#id_channel", label="来访")
    page.select_option("#id_category", label="供水排水")
    page.fill("#id_description", "3号楼102室卫生间漏水,渗到楼下")
    page.select_option("#id_compound", label="星光花苑二期")
    page.select_option("#id_building", label="星光花苑二期3号楼")
    page.fill("#id_requester_name", "马文军")
    page.fill("#id_phone", "13987654321")
    page.check("#id_consent")
    walk.save(".submit-row input[type=submit]")

    request = ServiceRequest.objects.get(description__startswith="3号楼102室")
    assert request.channel == ServiceRequest.Channel.WALK_IN
    assert request.building.number == "3号楼"
    assert request.phone_last4 == "4321"
    assert request.reference in page.locator(".messagelist").inner_text()
    walk.finish()


def _council(office):
    council = Council.objects.create(
        community=office.community, name="居民议事会", established_on=dt.date(2023, 1, 1)
    )
    members = [
        CouncilMember.objects.create(
            council=council, resident=home.residents.get(), joined_on=dt.date(2023, 1, 1)
        )
        for home in [*office.homes["G1"], *office.homes["G2"]]
    ]
    return council, members


def _hold_a_meeting(walk, today):
    """Add the meeting, then tick who signed in (four of the five members)."""
    page = walk.page
    walk.goto("/admin/governance/councilmeeting/add/")
    page.select_option("#id_council", label="居民议事会")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_place", "社区党群服务中心")
    page.fill("#id_agenda", "康乐小区改造屋面防水方案")
    walk.save("input[name=_continue]")
    for name in ["韩发海", "李秀英", "王建国", "马文军"]:
        page.get_by_label(name).check()
    walk.save("input[name=_continue]")
    assert "4" in page.locator(".messagelist").inner_text()


def test_staff_run_a_council_meeting_from_motion_to_published_decision(office, journey):
    council, _members = _council(office)
    ProjectFactory(community=office.community, name="康乐小区改造")
    today = timezone.localdate()
    walk = journey(office.staff)
    page = walk.page
    _hold_a_meeting(walk, today)

    walk.goto("/admin/governance/motion/add/")
    page.select_option("#id_council", label="居民议事会")
    page.select_option("#id_project", label="康乐小区改造")
    page.fill("#id_title", "屋面防水采用改性沥青卷材")
    page.fill("#id_description", "康乐小区平房屋面统一做防水")
    page.select_option("#id_proposer", label="李秀英")
    page.fill("#id_proposed_on", today.isoformat())
    walk.save("input[name=_continue]")
    motion = Motion.objects.get(title__startswith="屋面防水")

    # The party branch's review puts it on the meeting's agenda (a step of the motion's page).
    walk.click_through(page.locator(".object-tools").get_by_role("link", name="列入会议议程"))
    page.select_option("#id_meeting", index=1)
    page.fill("#id_note", "党支部审核同意,提交议事会表决")
    walk.save(".hx-step-form input[type=submit]")
    motion.refresh_from_db()
    assert motion.status == Motion.Status.ON_AGENDA
    assert motion.meeting.held_on == today

    # The votes of the members present: three for, one against.
    choices = {"韩发海": "赞成", "李秀英": "赞成", "王建国": "赞成", "马文军": "反对"}
    for row, (name, choice) in enumerate(choices.items()):
        page.locator("#votes-group .add-row a").click()
        page.select_option(f"#id_votes-{row}-member", label=name)
        page.select_option(f"#id_votes-{row}-choice", label=choice)
    walk.save("input[name=_continue]")
    assert Vote.objects.filter(motion=motion).count() == 4

    # Count the votes, then post the result from today for the five days it must stay up.
    walk.click_through(page.locator(".object-tools").get_by_role("link", name="计票并记录表决结果"))
    walk.save(".hx-step-form input[type=submit]")
    walk.click_through(page.locator(".object-tools").get_by_role("link", name="公示表决结果"))
    assert page.input_value("#id_starts_on") == today.strftime("%Y/%m/%d")  # Chinese format
    assert page.input_value("#id_days") == "5"
    walk.save(".hx-step-form input[type=submit]")
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED
    assert (motion.votes_for, motion.votes_against, motion.members_total) == (3, 1, 5)
    assert motion.notice_starts_on == today
    walk.finish()
