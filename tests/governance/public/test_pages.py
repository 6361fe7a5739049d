"""The public pages: what they show, what they hide, and how many queries they run."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from governance.models import MotionObjection, Nomination, NominationObjection, Notice, Star

from .builders import decide, make_council, make_notice, make_project, make_worklog

pytestmark = pytest.mark.django_db


def _html(response):
    assert response.status_code == 200
    return response.content.decode()


# --- home ------------------------------------------------------------------------------


def test_home_shows_notices_wall_activities_projects_and_request_button(client, scene):
    html = _html(client.get("/"))
    assert "置顶：停水通知" in html and "草稿公告" not in html
    assert html.count('class="card h-100 star-card') == 6
    assert "unity活动" in html  # the unity star's latest public work on the wall
    assert 'alt="unity活动现场0"' in html
    assert "康乐小区改造" in html
    assert f'href="{reverse("governance:request-new")}"' in html
    assert f'href="{reverse("governance:project-detail", args=[scene["project"].pk])}"' in html


def test_star_wall_shows_each_stars_two_latest_public_entries(client, community, author):
    for day in (1, 2, 3):
        make_worklog(community, author, "jobs", f"招聘会{day}", date=dt.date(2024, 6, day))
    make_worklog(community, author, "jobs", "内部会议", is_public=False, date=dt.date(2024, 6, 4))
    make_worklog(community, author, "safety", "普法宣传", kind="publicity", photos=0)
    wall = dict(client.get("/").context["wall"])
    by_code = {star.code: [log.title for log in logs] for star, logs in wall.items()}
    assert by_code["jobs"] == ["招聘会3", "招聘会2"]
    assert by_code["safety"] == ["普法宣传"]
    assert by_code["unity"] == []


def test_home_runs_the_same_queries_with_one_or_three_of_everything(
    client, community, author, django_assert_num_queries
):
    def add_round(n):
        make_notice(community, f"公告{n}", pinned=n == 0)
        for code in Star.Code.values:
            make_worklog(community, author, code, f"{code}{n}", photos=2)
        make_project(community, name=f"项目{n}")

    add_round(0)
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(8) as one:
        client.get("/")
    add_round(1)
    add_round(2)
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(8) as three:
        client.get("/")
    assert len(one.captured_queries) == len(three.captured_queries)


# --- notices ---------------------------------------------------------------------------


def test_public_notices_hide_drafts_future_and_expired(community):
    now = timezone.now()
    shown = make_notice(community, "现行")
    make_notice(community, "草稿", status=Notice.Status.DRAFT)
    make_notice(community, "未来", publish_at=now + dt.timedelta(hours=1))
    make_notice(
        community,
        "过期",
        publish_at=now - dt.timedelta(days=3),
        expires_at=now - dt.timedelta(minutes=1),
    )
    still = make_notice(community, "未到期", expires_at=now + dt.timedelta(minutes=1))
    assert set(Notice.objects.public()) == {shown, still}


def test_notice_list_filters_by_category_and_paginates(client, community):
    for n in range(13):
        make_notice(community, f"政策{n:02d}", category=Notice.Category.POLICY)
    make_notice(community, "就业", category=Notice.Category.JOBS)
    html = _html(client.get(reverse("governance:notice-list"), {"category": "jobs"}))
    assert "就业" in html and "政策00" not in html
    first = _html(client.get(reverse("governance:notice-list"), {"category": "policy"}))
    assert "?category=policy&amp;page=2" in first
    assert "政策12" in first and "政策00" not in first  # newest first, 12 a page
    response = client.get(reverse("governance:notice-list"), {"category": "policy", "page": 2})
    assert [n.title for n in response.context["page_obj"]] == ["政策00"]


def test_notice_detail_renders_sanitised_markdown(client, community):
    notice = make_notice(
        community,
        "通知",
        body="## 安排\n\n- **周一** 停水\n\n<script>alert(1)</script>[x](javascript:alert(1))",
    )
    html = _html(client.get(notice.get_absolute_url()))
    assert "<h3>安排</h3>" in html and "<strong>周一</strong>" in html
    assert "alert(1)" not in html.split('<div class="notice-body">')[1].split("</div>")[0]


@pytest.mark.parametrize("state", ["draft", "future", "expired", "other_community"])
def test_hidden_notices_answer_404(client, community, state):
    from governance.services.setup import set_up_community

    now = timezone.now()
    fields = {
        "draft": {"status": Notice.Status.DRAFT},
        "future": {"publish_at": now + dt.timedelta(days=1)},
        "expired": {"publish_at": now - dt.timedelta(days=2), "expires_at": now},
        "other_community": {},
    }[state]
    owner = set_up_community(name="其他", slug="other") if state == "other_community" else community
    notice = make_notice(owner, "隐藏", **fields)
    assert client.get(notice.get_absolute_url()).status_code == 404


def test_notice_pages_query_counts(client, community, django_assert_num_queries):
    make_notice(community, "一")
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(3):  # community, count, page
        client.get(reverse("governance:notice-list"))
    make_notice(community, "二")
    notice = make_notice(community, "三")
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(3):
        client.get(reverse("governance:notice-list"))
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(3):  # community, notice, attachments
        client.get(notice.get_absolute_url())


# --- activities and stars --------------------------------------------------------------


def test_activity_list_shows_public_activities_with_photos(client, community, author):
    make_worklog(community, author, "unity", "端午联谊", photos=2)
    make_worklog(community, author, "unity", "内部", is_public=False)
    make_worklog(community, author, "safety", "宣传", kind="publicity")
    html = _html(client.get(reverse("governance:activity-list")))
    assert "端午联谊" in html and 'alt="端午联谊现场1"' in html
    assert "内部" not in html and "宣传" not in html


def test_activity_and_star_pages_query_counts(client, community, author, django_assert_num_queries):
    make_worklog(community, author, "unity", "a0", photos=2)
    counts = {}
    for label in ("one", "three"):
        cache.clear()  # count a first visit's queries (nothing cached)
        with django_assert_num_queries(5) as activities:  # community, count, page, photos, stars
            client.get(reverse("governance:activity-list"))
        cache.clear()  # count a first visit's queries (nothing cached)
        with django_assert_num_queries(6) as star:  # + star, pairing rate
            client.get(reverse("governance:star-detail", args=["unity"]))
        counts[label] = (len(activities.captured_queries), len(star.captured_queries))
        make_worklog(community, author, "unity", "a1", photos=1)
        make_worklog(community, author, "unity", "a2", photos=3)
    assert counts["one"] == counts["three"]


def test_star_pages_show_their_own_figures(client, community, author):
    from governance.models import TrainingCourse

    TrainingCourse.objects.create(community=community, title="叉车驾驶", capacity=40)
    make_project(community)
    make_worklog(community, author, "jobs", "就业宣传", kind="publicity")
    jobs = _html(client.get(reverse("governance:star-detail", args=["jobs"])))
    assert "叉车驾驶" in jobs and "就业宣传" in jobs
    assert "康乐小区改造" in _html(client.get(reverse("governance:star-detail", args=["cobuild"])))
    assert client.get(reverse("governance:star-detail", args=["nope"])).status_code == 404


# --- projects --------------------------------------------------------------------------


def test_project_page_shows_progress_spending_and_decisions(client, scene):
    html = _html(client.get(scene["project"].get_absolute_url()))
    assert "8,800,000.00" in html  # budget
    assert "800,000.00" in html  # spent: two payments of 400,000
    assert "8,000,000.00" in html  # left
    assert "痛点1" in html and "节点1改造前" in html
    assert "外墙保温材料" in html and "岩棉板" in html and "85.50" in html
    assert "欧*" in html  # the supervisor, masked
    assert "星光花苑二期3号楼" in html
    assert f'name="m{scene["motion"].pk}-text"' in html  # objection form during the notice


def test_project_page_query_count_does_not_grow(client, community, django_assert_num_queries):
    project = make_project(community, lines=1, milestones=1)
    council, people = make_council(community, members=3)
    decide(project, council, people, title="一", votes_for=2)
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(8) as one:
        client.get(project.get_absolute_url())
    project2 = make_project(community, name="另一个", lines=3, milestones=3)
    for title in ("二", "三", "四"):
        decide(project2, council, people, title=title, votes_for=2)
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(8) as three:
        client.get(project2.get_absolute_url())
    assert len(one.captured_queries) == len(three.captured_queries)


def test_hidden_or_foreign_project_answers_404(client, community):
    from governance.services.setup import set_up_community

    hidden = make_project(community)
    hidden.is_public = False
    hidden.save()
    foreign = make_project(set_up_community(name="其他", slug="other"))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(foreign.get_absolute_url()).status_code == 404


def test_objecting_to_a_council_decision(client, scene):
    motion = scene["motion"]
    url = reverse("governance:motion-objection", args=[scene["project"].pk, motion.pk])
    prefix = f"m{motion.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-name": "李四",
            f"{prefix}-phone": "139 0000 1234",
            f"{prefix}-text": "建议再比价一次",
        },
    )
    assert response.status_code == 302
    objection = MotionObjection.objects.get(name="李四")
    assert objection.phone == "13900001234"
    followed = _html(client.get(response["Location"]))
    assert "已收到" in followed or "received" in followed
    bad = client.post(
        url, {f"{prefix}-name": "李四", f"{prefix}-phone": "123", f"{prefix}-text": "x"}
    )
    assert bad.status_code == 400
    assert "open" in bad.content.decode().split('<details class="objection')[1][:40]


def test_objection_honeypot_drops_bots(client, scene):
    motion = scene["motion"]
    prefix = f"m{motion.pk}"
    before = MotionObjection.objects.count()
    client.post(
        reverse("governance:motion-objection", args=[scene["project"].pk, motion.pk]),
        {f"{prefix}-name": "bot", f"{prefix}-text": "buy now please", f"{prefix}-website": "x"},
    )
    assert MotionObjection.objects.count() == before


def test_objection_after_the_notice_is_refused(client, scene, time_machine):
    time_machine.move_to(dt.datetime(2024, 6, 15, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    motion = scene["motion"]
    prefix = f"m{motion.pk}"
    html = _html(client.get(scene["project"].get_absolute_url()))
    assert f'name="{prefix}-text"' not in html
    before = MotionObjection.objects.count()
    client.post(
        reverse("governance:motion-objection", args=[scene["project"].pk, motion.pk]),
        {f"{prefix}-name": "李四", f"{prefix}-text": "建议再比价一次"},
    )
    assert MotionObjection.objects.count() == before


# --- honours ---------------------------------------------------------------------------


def test_honour_roll_during_the_notice_and_after(client, scene, author, time_machine):
    from governance.services import honours as honour_services

    html = _html(client.get(reverse("governance:honour-list")))
    assert "欧*" in html and "星光花苑二期3号楼" in html and "热心邻里互助" in html
    assert "2024-06-14" in html
    nomination = Nomination.objects.get(kind="neighbour")
    prefix = f"n{nomination.pk}"
    response = client.post(
        reverse("governance:nomination-objection", args=[nomination.pk]),
        {f"{prefix}-name": "王五", f"{prefix}-text": "情况不属实，请核查"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2024")
    objection = NominationObjection.objects.get()
    honour_services.settle_objection(objection=objection, upheld=True, response="属实", user=author)
    honour_services.confirm_winners(campaign=scene["campaign"], today=dt.date(2024, 6, 20))
    time_machine.move_to(dt.datetime(2024, 6, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    roll = client.get(reverse("governance:honour-list"))
    groups = {g["kind"]: [e.label for e in g["entries"]] for g in roll.context["groups"]}
    assert groups["family"] == ["欧*家庭,星光花苑二期3号楼"]
    assert groups["neighbour"] == []  # the upheld objection removed them
    assert len(groups["building"]) == 1 and groups["unit"] == []
    assert "提出异议" not in roll.content.decode()


def test_honour_roll_query_count_does_not_grow(client, community, django_assert_num_queries):
    from governance.models import HonourCampaign
    from governance.services import honours as honour_services
    from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory

    campaign = HonourCampaign.objects.create(community=community, year=2024, title="评选")
    building = BuildingFactory(community=community)

    def shortlist(n):
        for kind, nominee in [
            ("family", HouseholdFactory(community=community, building=building)),
            ("neighbour", ResidentFactory(community=community)),
        ]:
            nomination = honour_services.nominate(
                campaign=campaign, kind=kind, nominee=nominee, citation=f"事迹{n}"
            )
            honour_services.review_nomination(
                nomination=nomination, shortlist=True, note="", user=None
            )

    shortlist(0)
    honour_services.open_notice(campaign=campaign, starts_on=dt.date(2024, 6, 10))
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(4) as one:  # community, years, campaign, roll
        client.get(reverse("governance:honour-list"))
    Nomination.objects.filter(campaign=campaign).update(status="shortlisted")
    campaign.stage = "reviewing"
    campaign.save()
    shortlist(1)
    shortlist(2)
    Nomination.objects.update(status="shortlisted")
    campaign.stage = "notice"
    campaign.save()
    cache.clear()  # count a first visit's queries (nothing cached)
    with django_assert_num_queries(4) as three:
        client.get(reverse("governance:honour-list"))
    assert len(one.captured_queries) == len(three.captured_queries)


def test_honour_roll_before_any_public_campaign(client, community):
    assert "No honours" in _html(
        client.get(reverse("governance:honour-list"), headers={"accept-language": "en"})
    )


def test_objections_are_rate_limited_per_client(client, scene, settings):
    from django.core.cache import cache

    cache.clear()
    settings.HX_RATE_LIMITS = {"objection": (2, 3600)}
    motion = scene["motion"]
    prefix = f"m{motion.pk}"
    url = reverse("governance:motion-objection", args=[scene["project"].pk, motion.pk])
    before = MotionObjection.objects.count()
    for _ in range(3):
        client.post(url, {f"{prefix}-name": "李四", f"{prefix}-text": "建议再比价一次"})
    assert MotionObjection.objects.count() == before + 2
