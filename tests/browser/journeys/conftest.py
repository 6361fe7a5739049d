"""Role journeys: each role logs in through the login page and does its week in a real browser.

`office` arranges a small community the way an office has it on a working day (two grids of
two compounds, households with residents, a cared-for household due for a visit, one account
per role, a lead for every star), fresh for each test. `journey(username)` opens a desktop,
Chinese-locale browser session, logs that person in through the admin's login form and returns
the Journey (walker.py) whose every step fails on a 403/404/5xx or on English on the page.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts import roles
from community.models import Building, CareTag, Community, GridMember, ResidentTag
from governance.models import StarMember
from governance.services.setup import set_up_community
from tests.factories import (
    CompoundFactory,
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
    VisitFactory,
    make_id_number,
    make_mobile,
)

from .walker import Journey

PASSWORD = "hongxing-journey-2024"
DESKTOP = {"width": 1366, "height": 900}
STAR_CODES = ["fortress", "safety", "jobs", "harmony", "cobuild", "unity"]


def _account(username, role, community, display_name, *, viewer=False):
    user = UserFactory(
        username=username,
        first_name=display_name,
        password=PASSWORD,
        role=role,
        community=None if viewer else community,
    )
    if viewer:
        from accounts.models import StaffProfile

        StaffProfile.objects.create(user=user).viewable_communities.add(community)
    return user


def _residents(community, building, doors, names):
    households = []
    for door, name in zip(doors, names, strict=True):
        household = HouseholdFactory(community=community, building=building, door_number=door)
        ResidentFactory(
            community=community,
            household=household,
            name=name,
            id_number=make_id_number(),
            phone=make_mobile(),
        )
        households.append(household)
    return households


@pytest.fixture
def office(db):
    """A small community with people and an account for every role (see the module doc)."""
    community = set_up_community(
        name="红星社区", slug="hongxing", regiment="红星一场", division="第十三师新星市"
    )
    g1 = GridFactory(community=community, code="G1", name="第一网格")
    g2 = GridFactory(community=community, code="G2", name="第二网格")
    kangle = CompoundFactory(community=community, name="康乐小区")
    xingguang = CompoundFactory(community=community, name="星光花苑二期")
    row1 = Building.objects.create(
        community=community,
        compound=kangle,
        grid=g1,
        number="1排",
        kind=Building.Kind.BUNGALOWS,
    )
    block3 = Building.objects.create(
        community=community, compound=xingguang, grid=g2, number="3号楼"
    )
    g1_homes = _residents(community, row1, ["1号", "2号", "3号"], ["韩发海", "李秀英", "王建国"])
    g2_homes = _residents(community, block3, ["101", "102"], ["阿依古丽·买买提", "马文军"])
    # 韩发海 lives alone: visited every 7 days, last seen 10 days ago, so due today.
    elder = g1_homes[0].residents.get()
    ResidentTag.objects.create(
        resident=elder,
        tag=CareTag.objects.get(community=community, name="独居老人"),
        since=dt.date(2024, 1, 1),
    )
    people = SimpleNamespace(
        secretary=_account("shuji", roles.SECRETARY, community, "李书记"),
        staff=_account("gongzuo", roles.STAFF, community, "赵干事"),
        grid1=_account("wangge1", roles.GRID_WORKER, community, "第一网格网格员"),
        grid2=_account("wangge2", roles.GRID_WORKER, community, "第二网格网格员"),
        viewer=_account("shishi", roles.DIVISION_VIEWER, community, "师市观察员", viewer=True),
    )
    GridMember.objects.create(grid=g1, user=people.grid1)
    GridMember.objects.create(grid=g2, user=people.grid2)
    stars = {star.code: star for star in community.stars.all()}
    leads = {}
    for code in STAR_CODES:
        leads[code] = _account(
            f"lead_{code}", roles.STAR_MEMBER, community, f"{stars[code].name}负责人"
        )
        StarMember.objects.create(
            star=stars[code], user=leads[code], role=StarMember.Role.LEAD, since=dt.date(2024, 1, 1)
        )
    VisitFactory(
        household=g1_homes[0],
        resident=elder,
        visitor=people.grid1,
        visited_on=timezone.localdate() - dt.timedelta(days=10),
    )
    return SimpleNamespace(
        community=community,
        grids={"G1": g1, "G2": g2},
        homes={"G1": g1_homes, "G2": g2_homes},
        elder=elder,
        stars=stars,
        leads=leads,
        **vars(people),
    )


@pytest.fixture
def journey(browser, live_server):
    """journey(user) -> a Journey of that person, logged in through the login page."""
    contexts = []

    def start(user, next_url="/admin/"):
        context = browser.new_context(
            viewport=DESKTOP, locale="zh-CN", base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        # The community's address slug is a code the office chose, like a grid's G1.
        slugs = Community.objects.values_list("slug", flat=True)
        walk = Journey(context, user.username, codes=slugs)
        walk.login(PASSWORD, next_url)
        return walk

    yield start
    for context in contexts:
        context.close()
