"""Builders for the public-site tests (also used by the browser tests)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

from governance.models import (
    BudgetLine,
    Contract,
    Council,
    CouncilMeeting,
    CouncilMember,
    Milestone,
    MilestonePhoto,
    Motion,
    MotionOption,
    Notice,
    Payment,
    Star,
    WorkLogPhoto,
)
from governance.services import council as council_services
from tests.factories import (
    NoticeFactory,
    ProjectFactory,
    ResidentFactory,
    WorkLogFactory,
)

# What must never appear on a public page (the canary test looks for each).
SECRET_NAME = "欧阳金花"
SECRET_PHONE = "13912345678"
SECRET_ID = "65900419800101002X"
SECRET_CARE_TAG = "独居老人关爱"
SECRET_RELIEF_REASON = "生计困难临时救助说明"
SECRET_OBJECTOR_PHONE = "13700001111"
TODAY = dt.date(2024, 6, 10)


def jpeg(color="red") -> ContentFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def make_notice(community, title, **fields) -> Notice:
    return NoticeFactory(community=community, title=title, **fields)


def make_worklog(community, author, star_code, title, *, photos=1, kind="activity", **fields):
    log = WorkLogFactory(
        community=community,
        date=fields.pop("date", TODAY),
        kind=kind,
        title=title,
        is_public=fields.pop("is_public", True),
        author=author,
        place=fields.pop("place", "社区广场"),
        participants=fields.pop("participants", 30),
        stars=[Star.objects.get(community=community, code=star_code)],
        **fields,
    )
    for index in range(photos):
        photo = WorkLogPhoto(worklog=log, alt_text=f"{title}现场{index}", order=index)
        photo.image.save(f"p{index}.jpg", jpeg(), save=False)
        photo.save()
    return log


def make_project(community, name="康乐小区改造", *, budget="8800000.00", lines=2, milestones=2):
    project = ProjectFactory(community=community, name=name, budget=Decimal(budget))
    for index in range(lines):
        line = BudgetLine.objects.create(
            project=project, title=f"痛点{index + 1}", amount=Decimal("1000000.00"), order=index
        )
        contract = Contract.objects.create(
            project=project,
            budget_line=line,
            contractor=f"施工单位{index + 1}",
            title=f"工程{index + 1}",
            amount=Decimal("900000.00"),
            signed_on=dt.date(2022, 5, 1),
        )
        Payment.objects.create(contract=contract, amount=Decimal("400000.00"), paid_on=TODAY)
    for index in range(milestones):
        milestone = Milestone.objects.create(
            project=project, title=f"节点{index + 1}", progress=50, order=index
        )
        photo = MilestonePhoto(milestone=milestone, stage="before", alt_text=f"节点{index}改造前")
        photo.image.save("m.jpg", jpeg("gray"), save=False)
        photo.save()
    return project


def make_council(community, *, members=9):
    council = Council.objects.create(community=community, name="居民议事会")
    people = [
        CouncilMember.objects.create(
            council=council,
            resident=ResidentFactory(community=community, name=f"议事员{index}"),
            joined_on=dt.date(2022, 1, 1),
        )
        for index in range(members)
    ]
    return council, people


def decide(project, council, people, *, title, votes_for, present=None, starts_on=TODAY):
    """A motion on `project` decided at a meeting and posted publicly from `starts_on`."""
    meeting = CouncilMeeting.objects.create(council=council, held_on=dt.date(2024, 6, 1))
    council_services.record_attendance(meeting=meeting, members=people[: present or len(people)])
    motion = Motion.objects.create(
        council=council,
        project=project,
        title=title,
        description="选择外墙保温材料",
        proposed_on=dt.date(2024, 5, 20),
    )
    cheap = MotionOption.objects.create(
        motion=motion, label="岩棉板", unit_price=Decimal("85.50"), unit="平方米"
    )
    MotionOption.objects.create(
        motion=motion, label="挤塑板", unit_price=Decimal("62.00"), unit="平方米"
    )
    council_services.review_motion(motion=motion, meeting=meeting)
    for member in people[:votes_for]:
        council_services.cast_vote(motion=motion, member=member, choice="for", option=cheap)
    motion = council_services.decide_motion(motion=motion)
    council_services.publish_result(motion=motion, starts_on=starts_on)
    return motion
