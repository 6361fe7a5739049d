"""The lead of each star (星级小组 lead) does a task of their star end to end.

战斗堡垒星, 平安法治星 and 幸福和谐星: the week's task is dispatched, the work is logged in the
ledger, the task is closed with its outcome. 宜业兴业星 registers a trainee on a course and records
a placement; 共建共享星 records an inspection with the project's resident supervisor; 民族团结星
records a pairing contact and nominates a model neighbour. Every resident is picked through the
picker the form offers.
"""

import datetime as dt

import pytest
from django.utils import timezone

from governance.models import (
    Enrollment,
    HonourCampaign,
    Inspection,
    JobPlacement,
    Nomination,
    Pairing,
    PairingContact,
    TrainingCourse,
    WeeklyTask,
    WorkLog,
)
from tests.factories import PartyMemberFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER_WORK = {
    "fortress": ("七月主题党日", "组织党员学习并开展志愿服务"),
    "safety": ("法治宣传进小区", "在康乐小区开展反诈宣传,发放资料"),
    "harmony": ("走访慰问独居老人", "为独居老人送去慰问品并宣传医保政策"),
}


@pytest.mark.parametrize("code", list(LEDGER_WORK))
def test_a_star_lead_dispatches_logs_and_closes_the_week(office, journey, code):
    title, description = LEDGER_WORK[code]
    lead, star = office.leads[code], office.stars[code]
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    walk = journey(lead)
    page = walk.page

    walk.click_through(page.locator("#content-main").get_by_role("link", name="周调度", exact=True))
    walk.click_through(page.locator(".object-tools a.addlink"))
    page.select_option("#id_star", label=star.name)
    page.fill("#id_week_start", monday.isoformat())
    page.fill("#id_title", title)
    page.select_option("#id_owner", label=lead.first_name)
    page.fill("#id_due_date", (monday + dt.timedelta(days=4)).isoformat())
    walk.save()

    walk.goto("/admin/")
    walk.click_through(page.locator("#content-main a").filter(has_text="工作台账").first)
    walk.click_through(page.locator(".object-tools a.addlink"))
    page.select_option("#id_stars_from", label=star.name)
    page.locator("#id_stars_add").click()
    page.fill("#id_date", today.isoformat())
    page.select_option("#id_kind", index=1)
    page.fill("#id_title", title)
    page.fill("#id_description", description)
    page.fill("#id_participants", "25")
    walk.save()

    task = WeeklyTask.objects.get(title=title)
    walk.goto(f"/admin/governance/weeklytask/{task.pk}/change/")
    page.select_option("#id_status", label="已完成")
    page.fill("#id_outcome", "已完成,见工作台账")
    page.fill("#id_closed_on", today.isoformat())
    walk.save()

    task.refresh_from_db()
    assert (task.star, task.owner, task.status) == (star, lead, WeeklyTask.Status.DONE)
    entry = WorkLog.objects.get(title=title)
    assert entry.author == lead
    assert list(entry.stars.all()) == [star]
    walk.finish()


def test_the_jobs_lead_registers_a_trainee_and_records_a_placement(office, journey):
    today = timezone.localdate()
    course = TrainingCourse.objects.create(
        community=office.community,
        title="电工技能培训",
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        capacity=20,
    )
    walk = journey(office.leads["jobs"])
    page = walk.page
    walk.goto(f"/admin/governance/trainingcourse/{course.pk}/change/")
    walk.assert_editable()
    page.locator("#enrollments-group .add-row a").click()
    walk.pick("id_enrollments-0-resident", "王建国")
    page.fill("#id_enrollments-0-registered_on", today.isoformat())
    walk.save()
    assert Enrollment.objects.get(course=course).resident.name == "王建国"

    walk.goto("/admin/governance/jobplacement/add/")
    walk.pick("id_resident", "王建国")
    page.fill("#id_employer", "红星一场农机合作社")
    page.fill("#id_position", "电工")
    page.fill("#id_placed_on", today.isoformat())
    walk.save()
    placement = JobPlacement.objects.get(employer="红星一场农机合作社")
    assert placement.resident.name == "王建国"
    walk.finish()


def test_the_cobuild_lead_records_an_inspection_with_the_resident_supervisor(office, journey):
    project = ProjectFactory(community=office.community, name="康乐小区改造")
    walk = journey(office.leads["cobuild"])
    page = walk.page
    walk.goto("/admin/governance/inspection/add/")
    page.select_option("#id_project", label="康乐小区改造")
    walk.pick("id_supervisor", "李秀英")
    page.fill("#id_inspected_on", timezone.localdate().isoformat())
    page.fill("#id_findings", "屋面防水施工按图进行,材料合格")
    page.select_option("#id_outcome", index=1)
    walk.save()
    inspection = Inspection.objects.get(project=project)
    assert inspection.supervisor.name == "李秀英"
    walk.finish()


def test_the_unity_lead_records_a_pairing_contact_and_nominates_a_neighbour(office, journey):
    today = timezone.localdate()
    helper = PartyMemberFactory(resident=office.homes["G1"][1].residents.get())
    pairing = Pairing.objects.create(
        community=office.community,
        helper_kind="party_member",
        helper_party_member=helper,
        helped_household=office.homes["G2"][0],
        started_on=dt.date(2024, 1, 1),
        goals="帮助子女就学",
    )
    campaign = HonourCampaign.objects.create(
        community=office.community, year=today.year, title=f"{today.year}年“好家庭”“好邻居”评选"
    )
    walk = journey(office.leads["unity"])
    page = walk.page
    walk.goto(f"/admin/governance/pairing/{pairing.pk}/change/")
    walk.assert_editable()
    page.locator("#contacts-group .add-row a").click()
    page.fill("#id_contacts-0-contacted_on", today.isoformat())
    page.select_option("#id_contacts-0-kind", index=1)
    page.fill("#id_contacts-0-help_given", "辅导孩子功课,送去学习用品")
    walk.save()
    contact = PairingContact.objects.get(pairing=pairing)
    assert contact.recorded_by == office.leads["unity"]

    walk.goto("/admin/governance/nomination/add/")
    page.select_option("#id_campaign", label=campaign.title)
    page.select_option("#id_kind", label="好邻居")
    walk.pick("id_resident", "马文军")
    page.locator("textarea").first.fill("邻里互助,热心公益")
    walk.save()
    assert Nomination.objects.get(campaign=campaign).resident.name == "马文军"
    walk.finish()
