"""The back office for notices, projects, council, unity, honours and welfare."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import (
    Council,
    CouncilMeeting,
    HonourCampaign,
    Motion,
    Nomination,
    Notice,
    Pairing,
    PairingContact,
    Project,
    Relief,
    TrainingCourse,
)
from governance.services.setup import set_up_community
from tests.factories import GridMemberFactory, HouseholdFactory, ResidentFactory

from .builders import make_notice, make_project

pytestmark = pytest.mark.django_db

MODELS = [
    "notice",
    "project",
    "contract",
    "milestone",
    "inspection",
    "council",
    "councilmeeting",
    "motion",
    "motionobjection",
    "pairing",
    "honourcampaign",
    "nomination",
    "nominationobjection",
    "trainingcourse",
    "jobplacement",
    "relief",
]


@pytest.fixture
def office(client, community, secretary):
    client.force_login(secretary)
    return client


def _relief(community, household=None):
    return Relief.objects.create(
        community=community,
        household=household or HouseholdFactory(community=community),
        kind=Relief.Kind.LIVING,
        amount=Decimal("500.00"),
        reason="临时困难",
        applied_on=dt.date(2024, 6, 1),
    )


def _rows(community, n):
    """n more rows of every model with a changelist query-count test."""
    for i in range(n):
        make_notice(community, f"公告{i}")
        make_project(community, name=f"项目{i}-{Project.objects.count()}", lines=1, milestones=1)
        council = Council.objects.create(community=community)
        CouncilMeeting.objects.create(council=council, held_on=dt.date(2024, 6, 1))
        Motion.objects.create(
            council=council, title="议题", description="d", proposed_on=dt.date(2024, 6, 1)
        )
        pairing = Pairing.objects.create(
            community=community,
            helper_kind="household",
            helper_household=HouseholdFactory(community=community),
            helped_household=HouseholdFactory(community=community),
            started_on=dt.date(2024, 1, 1),
        )
        PairingContact.objects.create(
            pairing=pairing, contacted_on=dt.date(2024, 6, 1), kind="visit", help_given="探望"
        )
        campaign = HonourCampaign.objects.create(
            community=community, year=2000 + HonourCampaign.objects.count(), title="评选"
        )
        Nomination.objects.create(
            campaign=campaign,
            kind="neighbour",
            resident=ResidentFactory(community=community),
            citation="好人",
        )
        TrainingCourse.objects.create(community=community, title=f"课程{i}")
        _relief(community)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_and_add_forms_open_in_chinese(office, model):
    response = office.get(reverse(f"admin:governance_{model}_changelist"))
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


@pytest.mark.parametrize(
    "model",
    [
        "notice",
        "project",
        "councilmeeting",
        "motion",
        "pairing",
        "nomination",
        "trainingcourse",
        "relief",
    ],
)
def test_changelist_queries_do_not_grow(office, community, model, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(f"admin:governance_{model}_changelist")
    _rows(community, 1)
    with CaptureQueriesContext(connection) as one:
        assert office.get(url).status_code == 200
    _rows(community, 2)
    with CaptureQueriesContext(connection) as three:
        assert office.get(url).status_code == 200
    assert len(one.captured_queries) == len(three.captured_queries)
    with django_assert_max_num_queries(20):
        office.get(url)


def test_other_communitys_rows_answer_404(office):
    other = set_up_community(name="其他社区", slug="other")
    notice = make_notice(other, "别人的公告")
    project = make_project(other)
    relief = _relief(other)
    for model, obj in [("notice", notice), ("project", project), ("relief", relief)]:
        response = office.get(reverse(f"admin:governance_{model}_change", args=[obj.pk]))
        assert response.status_code == 404
        assert (
            office.get(reverse(f"admin:governance_{model}_changelist")).context["cl"].result_count
            == 0
        )


def test_grid_worker_sees_relief_of_their_grid_only(client, community, grid_worker):
    mine = HouseholdFactory(community=community)
    GridMemberFactory(grid=mine.building.grid, user=grid_worker)
    _relief(community, mine)
    _relief(community)  # another grid
    client.force_login(grid_worker)
    changelist = client.get(reverse("admin:governance_relief_changelist"))
    assert changelist.status_code == 200
    assert [r.household for r in changelist.context["cl"].result_list] == [mine]
    action_form = changelist.context["action_form"]
    actions = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert "approve" not in actions and "reject" not in actions


def test_secretary_approves_relief_from_the_changelist(office, community, secretary):
    relief = _relief(community)
    response = office.post(
        reverse("admin:governance_relief_changelist"),
        {"action": "approve", "_selected_action": [relief.pk]},
    )
    assert response.status_code == 302
    relief.refresh_from_db()
    assert (relief.status, relief.decided_by) == ("approved", secretary)


def test_notice_created_in_the_admin_gets_the_community_and_author(office, community, secretary):
    response = office.post(
        reverse("admin:governance_notice_add"),
        {
            "title": "新公告",
            "category": "general",
            "body": "内容",
            "status": "published",
            "publish_at_0": "2024-06-10",
            "publish_at_1": "08:00:00",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get(title="新公告")
    assert (notice.community, notice.created_by) == (community, secretary)


def test_meeting_sign_in_records_quorum(office, community):
    from governance.models import CouncilMember

    council = Council.objects.create(community=community)
    members = [
        CouncilMember.objects.create(
            council=council,
            resident=ResidentFactory(community=community),
            joined_on=dt.date(2022, 1, 1),
        )
        for _ in range(3)
    ]
    meeting = CouncilMeeting.objects.create(council=council, held_on=dt.date(2024, 6, 1))
    response = office.post(
        reverse("admin:governance_councilmeeting_change", args=[meeting.pk]),
        {
            "council": council.pk,
            "held_on": "2024-06-01",
            "place": "社区会议室",
            "agenda": "",
            "minutes": "",
            "signed_in": [members[0].pk, members[1].pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.members_total == 3 and meeting.attendees.count() == 2


def test_contract_budget_line_must_belong_to_its_project(office, community):
    first = make_project(community, name="一", lines=1)
    second = make_project(community, name="二", lines=1)
    response = office.post(
        reverse("admin:governance_contract_add"),
        {
            "project": first.pk,
            "budget_line": second.budget_lines.get().pk,
            "contractor": "新星建设",
            "title": "道路",
            "amount": "100.00",
            "signed_on": "2024-06-01",
            "payments-TOTAL_FORMS": "0",
            "payments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "另一个项目的预算明细" in response.content.decode()


def test_payments_above_the_contract_are_refused_in_the_admin(office, community):
    from governance.models import Contract

    contract = Contract.objects.filter(project=make_project(community, lines=1)).get()
    response = office.post(
        reverse("admin:governance_contract_change", args=[contract.pk]),
        {
            "project": contract.project_id,
            "budget_line": contract.budget_line_id,
            "contractor": contract.contractor,
            "title": contract.title,
            "amount": "900000.00",
            "signed_on": "2022-05-01",
            "payments-TOTAL_FORMS": "2",
            "payments-INITIAL_FORMS": "1",
            "payments-0-id": contract.payments.get().pk,
            "payments-0-contract": contract.pk,
            "payments-0-paid_on": "2024-06-10",
            "payments-0-amount": "400000.00",
            "payments-1-contract": contract.pk,
            "payments-1-paid_on": "2024-06-11",
            "payments-1-amount": "600000.00",
        },
    )
    assert response.status_code == 200
    assert "超过合同金额" in response.content.decode()
    assert contract.payments.count() == 1


def test_milestone_photo_uploaded_in_the_admin_loses_its_exif(office, community):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from governance.models import MilestonePhoto

    milestone = make_project(community, milestones=1).milestones.get()
    MilestonePhoto.objects.all().delete()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")
    response = office.post(
        reverse("admin:governance_milestone_change", args=[milestone.pk]),
        {
            "project": milestone.project_id,
            "title": milestone.title,
            "description": "",
            "due_on": "",
            "done_on": "",
            "progress": "50",
            "order": "0",
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "0",
            "photos-0-stage": "after",
            "photos-0-image": upload,
            "photos-0-alt_text": "改造后的道路",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = MilestonePhoto.objects.get()
    assert "IMG_0001" not in photo.image.name and photo.thumbnail.name
    with Image.open(photo.image.path) as saved:
        assert 0x010F not in saved.getexif()


ADDABLE = [m for m in MODELS if m not in ("motionobjection", "nominationobjection")]


@pytest.mark.parametrize("model", ADDABLE)
def test_add_forms_open(office, model):
    assert office.get(reverse(f"admin:governance_{model}_add")).status_code == 200


def test_change_forms_open_with_their_inlines(office, community):
    from governance.models import Contract, Milestone, MotionObjection, NominationObjection

    from .builders import decide, make_council

    _rows(community, 1)
    project = make_project(community, name="带决议的项目")
    council, people = make_council(community, members=3)
    motion = decide(project, council, people, title="议题", votes_for=2)
    MotionObjection.objects.create(motion=motion, name="张三", phone="13900001111", text="意见")
    nomination = Nomination.objects.first()
    NominationObjection.objects.create(nomination=nomination, name="李四", text="不同意")
    objects = {
        "notice": Notice.objects.first(),
        "project": project,
        "contract": Contract.objects.first(),
        "milestone": Milestone.objects.first(),
        "council": council,
        "councilmeeting": motion.meeting,
        "motion": motion,
        "motionobjection": MotionObjection.objects.get(),
        "pairing": Pairing.objects.first(),
        "honourcampaign": nomination.campaign,
        "nomination": nomination,
        "nominationobjection": NominationObjection.objects.get(),
        "trainingcourse": TrainingCourse.objects.first(),
        "relief": Relief.objects.first(),
    }
    for model, obj in objects.items():
        response = office.get(reverse(f"admin:governance_{model}_change", args=[obj.pk]))
        assert response.status_code == 200, model
        assert "13900001111" not in response.content.decode()  # objectors' phones stay masked
