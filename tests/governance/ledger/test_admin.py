"""The back office of the ledger and the weekly dispatch: own star, locked months, queries."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from governance.models import LockedChange, MonthlyScore, WeeklyTask, WorkLog

pytestmark = pytest.mark.django_db

ADD = "/admin/governance/worklog/add/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(stars, **overrides):
    data = {
        "stars": [star.id for star in stars],
        "date": "2024-05-06",
        "kind": "publicity",
        "title": "法治宣传进小区",
        "description": "",
        "place": "康乐小区",
        "participants": "40",
        "households_reached": "25",
        "brochures": "120",
        "online_posts": "1",
        "change_reason": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_member_logs_work_for_their_star(client, community, stars, member):
    client.force_login(member)
    response = client.post(ADD, form_data([stars["fortress"]]))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = WorkLog.objects.get()
    assert (entry.community, entry.author, entry.brochures) == (community, member, 120)
    assert list(entry.stars.all()) == [stars["fortress"]]


def test_a_member_cannot_log_work_for_another_star(client, community, stars, member):
    client.force_login(member)
    response = client.post(ADD, form_data([stars["jobs"]]))
    assert response.status_code == 200
    assert "只能" in response.content.decode() or "own star" in response.content.decode()
    assert not WorkLog.objects.exists()


def test_a_member_reads_but_does_not_change_another_stars_entry(
    client, community, stars, member, log
):
    theirs = log([stars["jobs"]], datetime.date(2024, 5, 3), title="就业宣传")
    client.force_login(member)
    url = f"/admin/governance/worklog/{theirs.id}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "就业宣传" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    assert client.post(url, form_data([stars["jobs"]], title="改")).status_code == 403


def _lock_may(community, stars):
    for star in stars.values():
        MonthlyScore.objects.create(
            community=community, star=star, month=datetime.date(2024, 5, 1), state="locked"
        )


def test_the_admin_guards_a_locked_month(client, community, stars, sec, member, log):
    entry = log([stars["fortress"]], datetime.date(2024, 5, 6), title="原标题")
    _lock_may(community, stars)
    url = f"/admin/governance/worklog/{entry.id}/change/"
    client.force_login(member)
    response = client.post(url, form_data([stars["fortress"]], title="成员改"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert WorkLog.objects.get().title == "原标题"
    client.force_login(sec)
    response = client.post(url, form_data([stars["fortress"]], title="书记改"))
    assert response.status_code == 200  # no reason given
    assert WorkLog.objects.get().title == "原标题"
    response = client.post(
        url, form_data([stars["fortress"]], title="书记改", change_reason="笔误")
    )
    assert response.status_code == 302
    assert WorkLog.objects.get().title == "书记改"
    assert LockedChange.objects.get().reason == "笔误"
    assert MonthlyScore.objects.get(star=stars["fortress"]).stale
    # Deleting a record of a locked month is not offered.
    assert client.get(f"/admin/governance/worklog/{entry.id}/delete/").status_code == 403


def test_the_admin_guards_weekly_tasks_of_a_locked_month(client, community, stars, sec, task):
    t = task(stars["safety"], datetime.date(2024, 5, 8), title="巡逻")
    _lock_may(community, stars)
    client.force_login(sec)
    data = {
        "star": stars["safety"].id,
        "week_start": "2024-05-06",
        "title": "巡逻",
        "description": "",
        "owner": sec.id,
        "due_date": "2024-05-08",
        "status": "done",
        "outcome": "完成",
        "closed_on": "2024-05-08",
        "change_reason": "",
    }
    url = f"/admin/governance/weeklytask/{t.id}/change/"
    assert client.post(url, data).status_code == 200
    assert WeeklyTask.objects.get().status == "open"
    data["change_reason"] = "当日完成,补登"
    assert client.post(url, data).status_code == 302
    assert WeeklyTask.objects.get().status == "done"


def _jpeg_with_gps():
    image = Image.new("RGB", (800, 600), (20, 120, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 50.0, 0.0)}
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photos_uploaded_in_the_admin_are_cleaned(client, community, stars, member):
    client.force_login(member)
    data = form_data(
        [stars["fortress"]],
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": SimpleUploadedFile("gps.jpg", _jpeg_with_gps(), "image/jpeg"),
            "photos-0-alt_text": "宣传现场",
            "photos-0-order": "0",
        },
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = WorkLog.objects.get().photos.get()
    with Image.open(photo.image.path) as image:
        assert dict(image.getexif()) == {}
    assert photo.thumbnail and photo.image.name != "gps.jpg"


def test_a_bad_photo_is_refused_in_the_admin(client, community, stars, member):
    client.force_login(member)
    data = form_data(
        [stars["fortress"]],
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"),
            "photos-0-order": "0",
        },
    )
    assert client.post(ADD, data).status_code == 200
    assert not WorkLog.objects.exists()


def test_another_communitys_entry_is_invisible(client, other_community, sec, log):
    theirs = WorkLog.objects.create(
        community=other_community,
        date=datetime.date(2024, 5, 3),
        kind="activity",
        title="别人的",
        author=sec,
    )
    client.force_login(sec)
    assert "别人的" not in client.get("/admin/governance/worklog/").content.decode()
    response = client.get(f"/admin/governance/worklog/{theirs.id}/change/")
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("rows", [1, 3])
def test_the_worklog_changelist_runs_a_fixed_number_of_queries(
    client, community, stars, sec, log, rows, django_assert_num_queries
):
    for i in range(rows):
        log([stars["fortress"], stars["unity"]], datetime.date(2024, 5, 1 + i))
    client.force_login(sec)
    client.get("/admin/governance/worklog/")
    with django_assert_num_queries(12):  # no unfiltered total (show_full_result_count=False)
        response = client.get("/admin/governance/worklog/")
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_weeklytask_changelist_runs_a_fixed_number_of_queries(
    client, community, stars, sec, task, rows, django_assert_num_queries
):
    for i in range(rows):
        task(stars["jobs"], datetime.date(2024, 5, 6 + i))
    client.force_login(sec)
    client.get("/admin/governance/weeklytask/")
    with django_assert_num_queries(12):
        response = client.get("/admin/governance/weeklytask/?overdue=yes")
    assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_the_score_changelist_runs_a_fixed_number_of_queries(
    client, community, stars, sec, rows, django_assert_num_queries
):
    for i in range(rows):
        for star in stars.values():
            MonthlyScore.objects.create(
                community=community, star=star, month=datetime.date(2024, 1 + i, 1)
            )
    client.force_login(sec)
    client.get("/admin/governance/monthlyscore/")
    with django_assert_num_queries(12):
        assert client.get("/admin/governance/monthlyscore/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/governance/worklog/add/",
        "/admin/governance/weeklytask/add/",
        "/admin/governance/starmember/add/",
        "/admin/governance/indicator/add/",
        "/admin/governance/indicator/",
        "/admin/governance/manualvalue/add/",
        "/admin/governance/vetoevent/add/",
        "/admin/governance/scoringrule/add/",
        "/admin/governance/monthlyscore/",
        "/admin/governance/lockedchange/",
        "/admin/governance/quarterlyassessment/",
    ],
)
def test_the_secretarys_back_office_pages_open(client, community, sec, url):
    client.force_login(sec)
    assert client.get(url).status_code == 200


def test_the_secretary_edits_targets_and_weights(client, community, stars, sec):
    from governance.models import Indicator

    client.force_login(sec)
    response = client.post(
        "/admin/governance/indicator/add/",
        {
            "star": stars["unity"].id,
            "name": "结对联系率",
            "source": "rate",
            "kind": "",
            "figure": "",
            "rate_key": "pairing_contact",
            "monthly_target": "95",
            "weight": "2",
            "bands": "[[100, 100], [90, 80], [80, 60]]",
            "is_active": "on",
            "order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get()
    assert (indicator.community, indicator.rate_key, indicator.weight) == (
        community,
        "pairing_contact",
        2,
    )


def test_a_member_cannot_edit_indicators_or_record_vetoes(client, community, member):
    client.force_login(member)
    assert client.get("/admin/governance/indicator/").status_code == 200  # read
    assert client.get("/admin/governance/indicator/add/").status_code == 403
    assert client.get("/admin/governance/vetoevent/add/").status_code == 403
