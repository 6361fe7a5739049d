"""Fixtures for the public site: a community with notices, work, a project, a council and
honours, plus residents whose private details must never reach a public page."""

import datetime as dt
from decimal import Decimal

import pytest

from community.models import CareTag, ResidentTag
from governance.models import CouncilMember, HonourCampaign, Inspection, Notice, Relief, Star
from governance.services import council as council_services
from governance.services import honours as honour_services
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
)

from .builders import (  # noqa: F401  (re-exported for the test modules)
    SECRET_CARE_TAG,
    SECRET_ID,
    SECRET_NAME,
    SECRET_OBJECTOR_PHONE,
    SECRET_PHONE,
    SECRET_RELIEF_REASON,
    TODAY,
    decide,
    jpeg,
    make_council,
    make_notice,
    make_project,
    make_worklog,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def author(db, community):
    return UserFactory(username="author", community=community)


@pytest.fixture
def secrets(db, community, author):
    """A resident with every kind of private data, used everywhere a person can appear."""
    compound = CompoundFactory(community=community, name="星光花苑二期")
    building = BuildingFactory(community=community, compound=compound, number="3号楼")
    household = HouseholdFactory(community=community, building=building)
    resident = ResidentFactory(
        community=community,
        household=household,
        name=SECRET_NAME,
        id_number=SECRET_ID,
        phone=SECRET_PHONE,
        ethnicity="05",
    )
    household.head = resident
    household.save(update_fields=["head"])
    tag = CareTag.objects.create(community=community, name=SECRET_CARE_TAG, visit_every_days=7)
    ResidentTag.objects.create(resident=resident, tag=tag)
    Relief.objects.create(
        community=community,
        household=household,
        kind=Relief.Kind.LIVING,
        amount=Decimal("3456.78"),
        reason=SECRET_RELIEF_REASON,
        applied_on=TODAY,
    )
    return resident


@pytest.fixture
def scene(db, community, author, secrets):
    """Everything the public pages show, with the secret resident in every public role."""
    make_notice(community, "置顶：停水通知", pinned=True)
    make_notice(community, "草稿公告", status=Notice.Status.DRAFT)
    for code in Star.Code.values:
        make_worklog(community, author, code, f"{code}活动")
    project = make_project(community)
    Inspection.objects.create(
        project=project,
        supervisor=secrets,
        inspected_on=TODAY,
        findings="管道接口牢固",
        outcome=Inspection.Outcome.SATISFACTORY,
    )
    council, people = make_council(community, members=8)
    CouncilMember.objects.create(council=council, resident=secrets, joined_on=dt.date(2022, 1, 1))
    people = list(CouncilMember.objects.filter(council=council))
    motion = decide(project, council, people, title="外墙保温材料", votes_for=6)
    council_services.object_to_motion(
        motion=motion, name=SECRET_NAME, phone=SECRET_OBJECTOR_PHONE, text="价格偏高", today=TODAY
    )
    campaign = HonourCampaign.objects.create(community=community, year=2024, title="2024年评选")
    for kind, nominee in [
        ("family", secrets.household),
        ("neighbour", secrets),
        ("building", secrets.household.building),
    ]:
        nomination = honour_services.nominate(
            campaign=campaign, kind=kind, nominee=nominee, citation="热心邻里互助"
        )
        honour_services.review_nomination(
            nomination=nomination, shortlist=True, note="", user=author
        )
    honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    return {"project": project, "motion": motion, "campaign": campaign, "council": council}


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Public notices are judged against today's date: 10 June 2024, 10:00 in Xinjiang's
    community (Asia/Shanghai, the portal's time zone)."""
    from zoneinfo import ZoneInfo

    time_machine.move_to(
        dt.datetime(2024, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


@pytest.fixture
def english():
    """Service messages in English, so tests can match them whatever the catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The objection limit counts in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()
