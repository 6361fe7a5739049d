"""Each star's lead at the tasks of their star (docs/roles.md), through the admin as they use it:
open the form, pick the residents, save; the records are there, and what the lead may not
change stays unchanged."""

import pytest

from community.models import Resident
from governance.models import (
    Enrollment,
    HonourCampaign,
    Inspection,
    JobPlacement,
    Nomination,
    Pairing,
    PairingContact,
    Project,
    TrainingCourse,
)
from tests.governance.roles.conftest import add_row, errors, page_data

pytestmark = pytest.mark.django_db

LEADS = ["lead_fortress", "lead_safety", "lead_jobs", "lead_harmony", "lead_cobuild", "lead_unity"]


def _resident(grid_code="G3", offset=0) -> Resident:
    residents = Resident.objects.filter(
        household__building__grid__code=grid_code, moved_out__isnull=True
    ).order_by("pk")
    return residents[offset]


def _open_course(demo) -> TrainingCourse:
    """A course the office has just opened for registration (staff set courses up)."""
    return TrainingCourse.objects.create(
        community=demo.community, title="电工上岗培训", provider="职业技能培训站", capacity=30
    )


def test_the_jobs_lead_registers_trainees_on_the_course_page(demo, login):
    course = _open_course(demo)
    client = login("lead_jobs")
    url = f"/admin/governance/trainingcourse/{course.pk}/change/"
    page = client.get(url)
    # The course itself is the office's: its fields are shown, not editable.
    assert "title" not in page.context["adminform"].form.fields
    trainees = [_resident("G1"), _resident("G4")]
    data = page_data(page)
    data["title"] = "改过的课程名"
    for trainee in trainees:
        add_row(data, "enrollments", resident=trainee.pk, registered_on="2024-06-03")
        data[f"enrollments-{int(data['enrollments-TOTAL_FORMS']) - 1}-status"] = "registered"
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    assert set(Enrollment.objects.filter(course=course).values_list("resident", flat=True)) == {
        trainee.pk for trainee in trainees
    }
    course.refresh_from_db()
    assert course.title == "电工上岗培训"


def test_the_jobs_lead_records_a_placement(demo, login):
    client = login("lead_jobs")
    resident = _resident("G2")
    page = client.get("/admin/governance/jobplacement/add/")
    data = page_data(page)
    data.update(
        resident=resident.pk, employer="红星物流公司", position="叉车司机", placed_on="2024-06-10"
    )
    response = client.post("/admin/governance/jobplacement/add/", data)
    assert response.status_code == 302, errors(response)
    placement = JobPlacement.objects.get(employer="红星物流公司")
    assert placement.resident == resident and placement.community == demo.community


def test_the_cobuild_lead_records_an_inspection_by_a_resident_supervisor(demo, login):
    client = login("lead_cobuild")
    project = Project.objects.filter(community=demo.community).first()
    supervisor = _resident("G1", offset=3)
    data = page_data(client.get("/admin/governance/inspection/add/"))
    data.update(
        project=project.pk,
        supervisor=supervisor.pk,
        inspected_on="2024-07-02",
        findings="管沟回填已压实",
        outcome="ok",
    )
    response = client.post("/admin/governance/inspection/add/", data)
    assert response.status_code == 302, errors(response)
    inspection = Inspection.objects.get(findings="管沟回填已压实")
    assert inspection.supervisor == supervisor and inspection.project == project


@pytest.mark.parametrize("lead", LEADS)
def test_every_lead_nominates_for_the_honours(demo, login, lead):
    campaign, _ = HonourCampaign.objects.get_or_create(
        community=demo.community, year=2025, defaults={"title": "2025年度文明评选"}
    )
    client = login(lead)
    nominee = _resident("G2", offset=LEADS.index(lead))
    page = client.get("/admin/governance/nomination/add/")
    data = page_data(page)
    data.update(
        campaign=campaign.pk, kind="neighbour", resident=nominee.pk, citation="热心帮助邻里"
    )
    response = client.post("/admin/governance/nomination/add/", data)
    assert response.status_code == 302, errors(response)
    assert Nomination.objects.get(campaign=campaign, resident=nominee).status == "nominated"


def _nomination_actions(client) -> set[str]:
    form = client.get("/admin/governance/nomination/").context["action_form"]
    return set(dict(form.fields["action"].choices)) if form is not None else set()


def test_reviewing_nominations_is_the_office_s_not_a_lead_s(demo, login):
    assert not {"shortlist", "reject"} & _nomination_actions(login("lead_unity"))
    assert {"shortlist", "reject"} <= _nomination_actions(login("staff"))


def test_the_unity_lead_records_a_pairing_contact(demo, login):
    pairing = Pairing.objects.filter(community=demo.community).order_by("pk").first()
    goals = pairing.goals
    client = login("lead_unity")
    url = f"/admin/governance/pairing/{pairing.pk}/change/"
    page = client.get(url)
    assert "goals" not in page.context["adminform"].form.fields
    data = add_row(
        page_data(page),
        "contacts",
        contacted_on="2025-01-06",  # the demo year 2024 is locked
        kind="visit",
        help_given="中秋节一起做月饼",
    )
    data["goals"] = "改掉"
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    contact = PairingContact.objects.get(pairing=pairing, help_given="中秋节一起做月饼")
    assert contact.recorded_by.username == "lead_unity"
    pairing.refresh_from_db()
    assert pairing.goals == goals


def test_a_lead_may_not_set_up_courses_or_pairings(demo, login):
    client = login("lead_jobs")
    assert client.get("/admin/governance/trainingcourse/add/").status_code == 403
    assert client.get("/admin/governance/pairing/add/").status_code == 403
    course = _open_course(demo)
    # A course page without a registration is the office's record: saving it changes nothing.
    url = f"/admin/governance/trainingcourse/{course.pk}/change/"
    data = page_data(client.get(url))
    data["capacity"] = "99"
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.capacity == 30
