"""The work ledger and the weekly dispatch: own-star rules, photos, carrying tasks over."""

import datetime
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from governance.models import WeeklyTask, WorkLog
from governance.services import ledger as work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def entry(community, day, **fields):
    return WorkLog(
        community=community,
        date=day,
        kind=fields.pop("kind", WorkLog.Kind.ACTIVITY),
        title=fields.pop("title", "活动"),
        **fields,
    )


def test_public_feed_is_public_entries_newest_first(community, other_community, stars, log):
    old = log([stars["unity"]], datetime.date(2024, 5, 1), is_public=True)
    new = log([stars["unity"]], datetime.date(2024, 5, 9), is_public=True)
    log([stars["unity"]], datetime.date(2024, 5, 10))  # not public
    assert list(WorkLog.objects.for_community(community).public()) == [new, old]
    assert list(WorkLog.objects.for_community(other_community).public()) == []


def test_a_member_keeps_their_own_stars_ledger(community, stars, member):
    saved = work.save_work_log(
        worklog=entry(community, datetime.date(2024, 5, 3)), stars=[stars["fortress"]], actor=member
    )
    assert saved.author == member
    assert list(saved.stars.all()) == [stars["fortress"]]
    with pytest.raises(PermissionDenied):
        work.save_work_log(
            worklog=entry(community, datetime.date(2024, 5, 3)),
            stars=[stars["safety"]],
            actor=member,
        )


def test_a_member_may_log_joint_work_with_another_star(community, stars, member):
    saved = work.save_work_log(
        worklog=entry(community, datetime.date(2024, 5, 3)),
        stars=[stars["fortress"], stars["safety"]],
        actor=member,
    )
    assert set(saved.stars.all()) == {stars["fortress"], stars["safety"]}


def test_a_member_cannot_change_another_stars_entry(community, stars, member, log):
    theirs = log([stars["jobs"]], datetime.date(2024, 5, 3))
    theirs.title = "改"
    with pytest.raises(PermissionDenied):
        work.save_work_log(worklog=theirs, stars=[stars["jobs"], stars["fortress"]], actor=member)
    with pytest.raises(PermissionDenied):
        work.delete_work_log(worklog=theirs, actor=member)


def test_staff_write_for_every_star(community, stars, clerk):
    work.save_work_log(
        worklog=entry(community, datetime.date(2024, 5, 3)), stars=[stars["unity"]], actor=clerk
    )


def test_an_entry_needs_a_star_of_its_community(community, other_community, stars, sec):
    with pytest.raises(ValidationError):
        work.save_work_log(worklog=entry(community, datetime.date(2024, 5, 3)), stars=[], actor=sec)
    with pytest.raises(ValidationError):
        work.save_work_log(
            worklog=entry(community, datetime.date(2024, 5, 3)),
            stars=[other_community.stars.first()],
            actor=sec,
        )


def _jpeg_with_gps():
    image = Image.new("RGB", (1200, 800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (43.0, 50.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)}
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photos_are_cleaned_and_get_a_thumbnail(community, stars, member, log):
    entry_ = log([stars["fortress"]], datetime.date(2024, 5, 3))
    upload = SimpleUploadedFile("张三家门口.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    photo = work.add_work_log_photo(worklog=entry_, upload=upload, actor=member, alt_text="入户")
    assert "张三" not in photo.image.name and photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (1200, 800)
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 480
    with pytest.raises(ValidationError):
        work.add_work_log_photo(
            worklog=entry_,
            upload=SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg"),
            actor=member,
        )


def test_overdue_means_not_finished_by_the_due_date(community, stars, task):
    today = datetime.date(2024, 5, 15)
    star = stars["safety"]
    late_open = task(star, datetime.date(2024, 5, 10))
    late_done = task(star, datetime.date(2024, 5, 10), "done", closed_on=datetime.date(2024, 5, 11))
    task(star, datetime.date(2024, 5, 10), "done", closed_on=datetime.date(2024, 5, 10))
    task(star, datetime.date(2024, 5, 10), "cancelled")
    task(star, datetime.date(2024, 5, 15))  # due today: not yet overdue
    assert set(WeeklyTask.objects.overdue(today)) == {late_open, late_done}
    assert late_open.is_overdue(today) and not late_open.is_overdue(datetime.date(2024, 5, 10))


def test_closing_a_task_stamps_the_day(community, stars, sec, member, task):
    with time_machine.travel(datetime.datetime(2024, 5, 9, 3, tzinfo=datetime.UTC)):
        t = work.dispatch_task(
            star=stars["fortress"],
            title="组织生活会",
            owner=member,
            due_date=datetime.date(2024, 5, 10),
            actor=sec,
        )
        assert t.week_start == datetime.date(2024, 5, 6)
        with pytest.raises(ValidationError):
            work.complete_task(task=t, outcome=" ", actor=member)
        work.complete_task(task=t, outcome="已召开,12人参加", actor=member)
    t.refresh_from_db()
    assert (t.status, t.closed_on) == ("done", datetime.date(2024, 5, 9))


def test_a_member_dispatches_only_for_their_star(community, stars, member):
    with pytest.raises(PermissionDenied):
        work.dispatch_task(
            star=stars["jobs"],
            title="x",
            owner=member,
            due_date=datetime.date(2024, 5, 10),
            actor=member,
        )


def test_open_tasks_carry_into_the_next_week_once(community, stars, task):
    star = stars["harmony"]
    open_task = task(star, datetime.date(2024, 5, 8), title="走访独居老人")
    done = task(star, datetime.date(2024, 5, 9), "done")
    copies = work.carry_open_tasks(community=community, week=datetime.date(2024, 5, 6))
    assert len(copies) == 1
    copy = copies[0]
    assert (copy.title, copy.week_start, copy.due_date, copy.status) == (
        "走访独居老人",
        datetime.date(2024, 5, 13),
        datetime.date(2024, 5, 15),
        "open",
    )
    open_task.refresh_from_db()
    assert (open_task.status, open_task.closed_on) == ("carried", datetime.date(2024, 5, 13))
    assert open_task.carried_to == copy
    done.refresh_from_db()
    assert done.status == "done"
    # Again: nothing more to carry.
    assert work.carry_open_tasks(community=community, week=datetime.date(2024, 5, 6)) == []
    assert WeeklyTask.objects.count() == 3
    # The carried task counts as overdue (not done by its due date): one point a week.
    assert list(WeeklyTask.objects.overdue(datetime.date(2024, 5, 14))) == [open_task]


def test_the_command_carries_every_past_week_and_is_idempotent(community, stars, task):
    task(stars["jobs"], datetime.date(2024, 4, 24))  # three weeks before "today"
    call_command("carry_weekly_tasks", today="2024-05-14")
    chain = list(WeeklyTask.objects.order_by("week_start").values_list("week_start", "status"))
    assert chain == [
        (datetime.date(2024, 4, 22), "carried"),
        (datetime.date(2024, 4, 29), "carried"),
        (datetime.date(2024, 5, 6), "carried"),
        (datetime.date(2024, 5, 13), "open"),
    ]
    call_command("carry_weekly_tasks", today="2024-05-14")
    assert WeeklyTask.objects.count() == 4


def test_the_compute_scores_command(community):
    from governance.models import MonthlyScore

    call_command("compute_scores", month=["2024-05"], community="hongxing")
    call_command("compute_scores", month=["2024-05"])
    assert MonthlyScore.objects.filter(month=datetime.date(2024, 5, 1)).count() == 6
