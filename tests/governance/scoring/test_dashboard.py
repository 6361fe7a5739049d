"""The secretary's dashboard: access, content, actions, export and a fixed number of queries."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import Indicator, MonthlyScore, WorkLog
from governance.queries import scores as score_reads
from governance.services import scoring

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 1)
NOW = datetime.datetime(2024, 6, 10, 9, tzinfo=datetime.UTC)
D = Decimal
URL = "/dashboard/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scored_may(community, stars, sec, log, task):
    Indicator.objects.create(
        community=community,
        star=stars["fortress"],
        name="主题党日",
        source="ledger_count",
        kind="activity",
        monthly_target=2,
    )
    Indicator.objects.create(
        community=community,
        star=stars["harmony"],
        name="回访满意率",
        source="rate",
        rate_key="not_registered_yet",
        monthly_target=90,
    )
    log([stars["fortress"]], datetime.date(2024, 5, 3))
    log([stars["fortress"]], datetime.date(2024, 5, 4))
    task(stars["safety"], datetime.date(2024, 5, 20), title="巡逻排班表")
    return scoring.compute_month(community=community, month=MAY)


def review_all(community, sec):
    for score in MonthlyScore.objects.filter(community=community, month=MAY):
        scoring.review_score(score=score, actor=sec, review=D(80), satisfaction=D(90), comment="好")


def test_the_dashboard_is_staff_only(client, community, grid_worker, sec):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(grid_worker)  # staff, but no access to the scores
    assert client.get(URL).status_code == 403
    client.force_login(sec)
    assert client.get(URL).status_code == 200


def test_the_dashboard_shows_the_month(client, community, stars, sec, scored_may):
    client.force_login(sec)
    html = client.get(URL, {"month": "2024-05"}).content.decode()
    for star in stars.values():
        assert star.name in html
    assert "主题党日" in html
    assert "巡逻排班表" in html  # needs attention: an overdue task
    assert "<svg" in html and "<polyline" in html
    assert 'style="' not in html and "<script>" not in html
    assert reverse("governance:dashboard-export", args=["2024-05"]) in html


def test_the_dashboard_only_shows_the_users_community(
    client, community, other_community, stars, sec, scored_may, make_user
):
    from tests.governance.ledger.conftest import bind

    theirs = make_user("other-secretary", role="党支部书记")
    bind(theirs, other_community)
    client.force_login(theirs)
    html = client.get(URL, {"month": "2024-05"}).content.decode()
    assert "主题党日" not in html and "巡逻排班表" not in html
    assert (
        client.get(reverse("governance:score-detail", args=["2024-05", "fortress"])).status_code
        == 200
    )
    assert (
        "主题党日"
        not in client.get(
            reverse("governance:score-detail", args=["2024-05", "fortress"])
        ).content.decode()
    )
    assert (
        client.get(reverse("governance:score-detail", args=["2024-05", "nope"])).status_code == 404
    )


def _grow(community, stars, log, task, months):
    """More data of every kind: ledger entries, overdue tasks, stale scores, months of scores."""
    from governance.periods import months_back

    for month in months_back(MAY, months):
        for star in stars.values():
            log([star], month + datetime.timedelta(days=2))
            task(star, month + datetime.timedelta(days=3))
        scoring.compute_month(community=community, month=month)
    MonthlyScore.objects.filter(community=community).update(stale=True)


@pytest.mark.parametrize("months", [1, 3])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, community, stars, sec, log, task, months, django_assert_num_queries
):
    _grow(community, stars, log, task, months)
    client.force_login(sec)
    client.get(URL, {"month": "2024-05"})  # warm the session
    with django_assert_num_queries(14):  # warm: the public community is cached
        assert client.get(URL, {"month": "2024-05"}).status_code == 200


def test_the_dashboard_queries_do_not_grow_with_much_more_data(
    client, community, stars, sec, log, task, django_assert_num_queries
):
    _grow(community, stars, log, task, 12)
    for _i in range(30):
        task(stars["jobs"], datetime.date(2024, 5, 6))
    client.force_login(sec)
    client.get(URL, {"month": "2024-05"})
    with django_assert_num_queries(14):  # warm: the public community is cached
        html = client.get(URL, {"month": "2024-05"}).content.decode()
    assert html.count("<circle") == 6 * 12


def test_recalculating_is_for_staff_and_the_secretary(client, community, member, clerk):
    url = reverse("governance:dashboard-recalculate", args=["2024-05"])
    client.force_login(member)
    assert client.post(url).status_code == 403
    assert not MonthlyScore.objects.exists()
    client.force_login(clerk)
    assert client.post(url).status_code == 302
    assert MonthlyScore.objects.filter(month=MAY).count() == 6


def test_only_the_secretary_locks_through_the_dashboard(
    client, community, sec, member, clerk, scored_may
):
    review_all(community, sec)
    url = reverse("governance:dashboard-lock", args=["2024-05"])
    for user in (member, clerk):
        client.force_login(user)
        assert client.post(url).status_code == 403
    assert not MonthlyScore.objects.filter(state="locked").exists()
    client.force_login(sec)
    response = client.post(url, follow=True)
    assert set(MonthlyScore.objects.values_list("state", flat=True)) == {"locked"}
    assert 'data-state="locked"' in response.content.decode()


def test_reopening_through_the_dashboard_needs_a_reason(client, community, sec, scored_may):
    review_all(community, sec)
    scoring.lock_month(community=community, month=MAY, actor=sec)
    client.force_login(sec)
    url = reverse("governance:dashboard-reopen", args=["2024-05"])
    client.post(url, {"reason": ""})
    assert set(MonthlyScore.objects.values_list("state", flat=True)) == {"locked"}
    client.post(url, {"reason": "更正台账"})
    assert set(MonthlyScore.objects.values_list("state", flat=True)) == {"reviewed"}


def test_the_explanation_page_links_to_the_records(client, community, stars, sec, scored_may):
    client.force_login(sec)
    html = client.get(
        reverse("governance:score-detail", args=["2024-05", "fortress"])
    ).content.decode()
    assert "主题党日" in html and "100" in html
    fortress = stars["fortress"]
    link = (
        f"/admin/governance/worklog/?stars__id__exact={fortress.id}&amp;date__gte=2024-05-01"
        "&amp;date__lt=2024-06-01&amp;kind__exact=activity"
    )
    assert link in html
    # The link opens the admin changelist filtered to exactly those records.
    WorkLog.objects.create(
        community=community,
        date=datetime.date(2024, 6, 2),
        kind="activity",
        title="六月的",
        author=sec,
    ).stars.add(fortress)
    changelist = client.get(link.replace("&amp;", "&"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 2
    harmony = client.get(
        reverse("governance:score-detail", args=["2024-05", "harmony"])
    ).content.decode()
    assert "回访满意率" in harmony  # an unregistered rate is shown as not available, and why
    assert "未计量:没有模块根据记录计算这一比率。" in harmony
    month = client.get(URL, {"month": "2024-05"}).content.decode()
    assert "未计量:没有模块根据记录计算这一比率。" in month


def test_the_secretary_reviews_on_the_explanation_page(
    client, community, stars, sec, member, scored_may
):
    url = reverse("governance:score-detail", args=["2024-05", "fortress"])
    data = {
        f"star{stars['fortress'].id}-review": "90",
        f"star{stars['fortress'].id}-satisfaction": "80",
        f"star{stars['fortress'].id}-bonus": "2",
        f"star{stars['fortress'].id}-bonus_reason": "",
        f"star{stars['fortress'].id}-comment": "工作扎实",
    }
    client.force_login(member)
    assert client.post(url, data).status_code == 403
    client.force_login(sec)
    response = client.post(url, data)
    assert response.status_code == 200  # the bonus needs its reason
    assert MonthlyScore.objects.get(star=stars["fortress"], month=MAY).state == "draft"
    data[f"star{stars['fortress'].id}-bonus_reason"] = "获评先进"
    assert client.post(url, data).status_code == 302
    score = MonthlyScore.objects.get(star=stars["fortress"], month=MAY)
    # O = 100 (2 of 2 activities): 50 + 18 + 24 + 2 − 0
    assert (score.state, score.total, score.reviewed_by) == ("reviewed", D("94.00"), sec)


def test_the_month_exports_to_xlsx(client, community, stars, sec, scored_may):
    stars["unity"].name = "=HYPERLINK(1)"
    stars["unity"].save()
    client.force_login(sec)
    response = client.get(reverse("governance:dashboard-export", args=["2024-05"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert stars["fortress"].name in names
    assert "'=HYPERLINK(1)" in names  # text, never a formula
    totals = {row[1]: row[9] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert totals[stars["fortress"].name] == float(
        MonthlyScore.objects.get(star=stars["fortress"], month=MAY).total
    )
    indicators = [row[1] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "主题党日" in indicators


def test_the_week_view_lists_a_stars_tasks(client, community, stars, sec, task):
    task(stars["safety"], datetime.date(2024, 6, 5), title="入户走访")
    task(stars["safety"], datetime.date(2024, 6, 12), title="下周的")
    task(stars["jobs"], datetime.date(2024, 6, 5), title="别的星")
    client.force_login(sec)
    html = client.get(reverse("governance:star-week", args=["safety", 2024, 23])).content.decode()
    assert "入户走访" in html and "下周的" not in html and "别的星" not in html
    assert client.get(reverse("governance:star-week", args=["safety", 2024, 60])).status_code == 404


def test_the_quarter_page(client, community, stars, sec, member):
    for star in stars.values():
        for month in (4, 5, 6):
            MonthlyScore.objects.create(
                community=community,
                star=star,
                month=datetime.date(2024, month, 1),
                total=D(85),
                state="locked",
            )
    url = reverse("governance:dashboard-quarter", args=[2024, 2])
    client.force_login(member)
    assert "85.00" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 403
    client.force_login(sec)
    data = {f"remarks_{stars['unity'].id}": "继续保持"}
    assert client.post(url, data).status_code == 302
    from governance.models import QuarterlyAssessment

    assert QuarterlyAssessment.objects.get(star=stars["unity"]).remarks == "继续保持"


def test_satisfaction_is_suggested_from_the_residents_ratings(
    client, community, stars, sec, scored_may
):
    from governance.queries.indicators import RATE_SOURCES, rate_source

    saved = RATE_SOURCES.get(score_reads.SATISFACTION_RATE)
    asked = []

    def ratings(*, community, start, end, star=None):
        asked.append((start, end, star.code))
        return (9, 10) if star.code == "harmony" else (0, 0)

    rate_source(score_reads.SATISFACTION_RATE, "ratings")(ratings)
    try:
        client.force_login(sec)
        url = reverse("governance:score-detail", args=["2024-05", "harmony"])
        response = client.get(url)
        form = response.context["form"]
        assert form.initial["satisfaction"] == D("90.00")
        assert "9" in response.content.decode() and "90.00%" in response.content.decode()
        assert asked == [(MAY, datetime.date(2024, 6, 1), "harmony")]
        other = client.get(reverse("governance:score-detail", args=["2024-05", "jobs"]))
        assert other.context["form"].initial["satisfaction"] is None
    finally:
        if saved is None:
            RATE_SOURCES.pop(score_reads.SATISFACTION_RATE, None)
        else:
            RATE_SOURCES[score_reads.SATISFACTION_RATE] = saved


@pytest.mark.parametrize("rows", [1, 3])
def test_the_week_view_runs_a_fixed_number_of_queries(
    client, community, stars, sec, task, rows, django_assert_num_queries
):
    for i in range(rows):
        done = task(stars["safety"], datetime.date(2024, 6, 3 + i), "done")
        task(stars["safety"], datetime.date(2024, 6, 3 + i), carried_from=done)
    client.force_login(sec)
    url = reverse("governance:star-week", args=["safety", 2024, 23])
    client.get(url)
    with django_assert_num_queries(9):  # warm: the public community is cached
        response = client.get(url)
    assert len(response.context["tasks"]) == 2 * rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_explanation_page_runs_a_fixed_number_of_queries(
    client, community, stars, sec, rows, django_assert_num_queries
):
    for i in range(rows):
        Indicator.objects.create(
            community=community,
            star=stars["jobs"],
            name=f"指标{i}",
            source="ledger_count",
            monthly_target=1,
        )
    scores = scoring.compute_month(community=community, month=MAY)
    review_all(community, sec)
    scoring.lock_month(community=community, month=MAY, actor=sec)
    scoring.reopen_month(community=community, month=MAY, actor=sec, reason="复核")
    assert len(scores) == 6
    client.force_login(sec)
    url = reverse("governance:score-detail", args=["2024-05", "jobs"])
    client.get(url)
    with django_assert_num_queries(11):  # warm: the public community is cached
        response = client.get(url)
    assert len(response.context["results"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_quarter_page_runs_a_fixed_number_of_queries(
    client, community, stars, sec, rows, django_assert_num_queries
):
    for month in (4, 5, 6)[:rows]:
        for star in stars.values():
            MonthlyScore.objects.create(
                community=community,
                star=star,
                month=datetime.date(2024, month, 1),
                total=D(80),
                state="locked",
            )
    client.force_login(sec)
    url = reverse("governance:dashboard-quarter", args=[2024, 2])
    client.get(url)
    with django_assert_num_queries(9):  # warm: the public community is cached
        assert client.get(url).status_code == 200


def test_needs_attention_lists_open_tasks_past_their_due_date(client, community, stars, sec, task):
    task(stars["jobs"], datetime.date(2024, 6, 3), title="仍未完成")
    task(stars["jobs"], datetime.date(2024, 6, 3), "done", closed_on=datetime.date(2024, 6, 5))
    task(stars["jobs"], datetime.date(2024, 6, 3), "carried", closed_on=datetime.date(2024, 6, 10))
    task(stars["jobs"], datetime.date(2024, 6, 12), title="未到期")
    client.force_login(sec)
    response = client.get(URL)
    assert [t.title for t in response.context["overdue_tasks"]] == ["仍未完成"]
    assert response.context["overdue_count"] == 1


def test_a_bad_month_falls_back_to_this_month(client, community, sec):
    client.force_login(sec)
    assert client.get(URL, {"month": "2024-13"}).context["month"] == datetime.date(2024, 6, 1)
    assert client.get(URL).context["month"] == datetime.date(2024, 6, 1)
    assert client.get("/dashboard/2024-13/fortress/").status_code == 404


def test_the_dashboard_speaks_english_too(client, community, sec):
    client.force_login(sec)
    html = client.get(URL, {"month": "2024-05"}, headers={"accept-language": "en"}).content.decode()
    assert "Six-star monthly scores · 2024-05" in html
    html = client.get(URL, {"month": "2024-05"}).content.decode()
    assert "六星月度评比 · 2024-05" in html


def test_the_trend_chart_is_drawn_to_scale(community, stars):
    from governance.queries.dashboard import (
        CHART_BOTTOM,
        CHART_HEIGHT,
        CHART_TOP,
        months_back,
        trend_chart,
    )

    months = months_back(MAY, 12)
    assert months[0] == datetime.date(2023, 6, 1) and months[-1] == MAY
    star = stars["fortress"]
    trend = trend_chart(
        stars=[star], months=months, totals={(star.id, months[0]): D(0), (star.id, MAY): D(110)}
    )
    first, last = trend.lines[0].dots
    assert first["y"] == CHART_HEIGHT - CHART_BOTTOM and last["y"] == CHART_TOP
    assert first["x"] < last["x"]
    assert trend.lines[0].points == f"{first['x']},{first['y']} {last['x']},{last['y']}"


def test_a_division_viewer_reads_the_dashboard_of_a_community_they_view(
    client, community, other_community, division_viewer, scored_may
):
    client.force_login(division_viewer)
    response = client.get(URL, {"month": "2024-05", "community": "hongxing"})
    assert response.status_code == 200 and response.context["community"] == community
    # A community they do not view is never chosen.
    response = client.get(URL, {"month": "2024-05", "community": "xingguang"})
    assert response.context["community"] == community
    recalculate = reverse("governance:dashboard-recalculate", args=["2024-05"])
    assert client.post(recalculate).status_code == 403
