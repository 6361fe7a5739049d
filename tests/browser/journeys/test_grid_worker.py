"""网格员's week: visit a household due for a visit, log the work, take a resident's request on
the doorstep, record a dispute whose other party lives in the next grid."""

import pytest
from django.utils import timezone

from community.models import Visit
from governance.models import Dispute, ServiceRequest, WorkLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_grid_worker_visits_a_household_due_for_a_visit(office, journey):
    walk = journey(office.grid1)
    page = walk.page
    walk.click_through(page.locator("#content-main a").filter(has_text="入户走访").first)
    walk.click_through(page.get_by_role("link", name="待走访", exact=True))
    due = page.locator("tbody tr").filter(has_text="韩发海")
    assert "逾期" in due.inner_text()
    # Only the worker's own grid is listed.
    assert page.locator("tbody tr").filter(has_text="阿依古丽").count() == 0

    walk.click_through(due.get_by_role("link", name="登记走访"))
    walk.pick("id_resident", "韩发海")
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.select_option("#id_purpose", label="关爱走访")
    page.fill("#id_findings", "身体状况良好,家中取暖正常")
    walk.save()

    visit = Visit.objects.get(household=office.homes["G1"][0], findings__startswith="身体状况")
    assert visit.visitor == office.grid1
    assert visit.resident == office.elder
    assert visit.visited_on == timezone.localdate()
    walk.goto("/admin/community/visit/due/")
    assert "逾期" not in page.locator("tbody tr").filter(has_text="韩发海").inner_text()
    walk.finish()


def test_the_grid_worker_logs_the_week_in_the_work_ledger(office, journey):
    walk = journey(office.grid1)
    page = walk.page
    walk.click_through(page.locator("#content-main a").filter(has_text="工作台账").first)
    walk.goto("/admin/governance/worklog/add/")
    page.select_option("#id_stars_from", label=office.stars["safety"].name)
    page.locator("#id_stars_add").click()
    page.fill("#id_date", timezone.localdate().isoformat())
    page.select_option("#id_kind", index=1)
    page.fill("#id_title", "第一网格平安巡查")
    page.fill("#id_description", "巡查康乐小区1排,排查安全隐患2处")
    page.fill("#id_households_reached", "12")
    walk.save()

    entry = WorkLog.objects.get(title="第一网格平安巡查")
    assert entry.author == office.grid1
    assert list(entry.stars.all()) == [office.stars["safety"]]
    walk.finish()


def test_the_grid_worker_takes_a_request_on_the_doorstep(office, journey):
    walk = journey(office.grid1)
    page = walk.page
    walk.click_through(page.locator("#content-main a").filter(has_text="居民诉求").first)
    walk.click_through(page.locator(".object-tools a.addlink"))
    page.select_option("#id_channel", label="入户走访")
    page.select_option("#id_category", label="道路照明")
    page.fill("#id_description", "1排门前路灯不亮,老人夜间出行不便")
    page.select_option("#id_compound", label="康乐小区")
    page.select_option("#id_building", label="康乐小区1排")
    page.fill("#id_requester_name", "李秀英")
    page.fill("#id_phone", "13912345678")
    page.check("#id_consent")
    walk.save(".submit-row input[type=submit]")

    request = ServiceRequest.objects.get(description__startswith="1排门前路灯")
    assert request.channel == ServiceRequest.Channel.VISIT
    assert request.community == office.community
    # The worker accepts it from the request's page.
    if request.status == ServiceRequest.Status.SUBMITTED:
        walk.goto(f"/admin/governance/servicerequest/{request.pk}/change/")
        walk.click_through(page.get_by_role("link", name="受理"))
        walk.save(".submit-row input[type=submit]")
        request.refresh_from_db()
    assert request.status == ServiceRequest.Status.ACCEPTED
    assert request.events.filter(actor=office.grid1).exists()
    walk.finish()


def test_the_grid_worker_records_a_dispute_with_a_party_in_another_grid(office, journey):
    walk = journey(office.grid1)
    page = walk.page
    walk.click_through(
        page.locator("#content-main").get_by_role("link", name="矛盾纠纷", exact=True)
    )
    walk.click_through(page.locator(".object-tools a.addlink"))
    page.fill("#id_title", "康乐小区与星光花苑住户排水纠纷")
    page.fill("#id_description", "1排住户反映星光花苑3号楼住户排水流入院内")
    page.select_option("#id_kind", index=1)
    page.select_option("#id_grid", value=str(office.grids["G1"].pk))
    page.fill("#id_found_on", timezone.localdate().isoformat())
    page.select_option("#id_parties-0-role", index=1)
    walk.pick("id_parties-0-resident", "王建国")
    page.locator(".add-row a").first.click()
    page.select_option("#id_parties-1-role", index=2)
    # The other party lives in grid G2: the worker names him by his mobile number, without
    # browsing G2's residents (the picker offers the worker's own grids only).
    other = office.homes["G2"][1].residents.get()
    page.fill("#id_parties-1-party_number", other.phone)
    walk.save()

    dispute = Dispute.objects.get(title="康乐小区与星光花苑住户排水纠纷")
    parties = {party.resident.name for party in dispute.parties.select_related("resident")}
    assert parties == {"王建国", "马文军"}
    walk.finish()
