"""The working-day calendar over time: a year without a published schedule (the check, the
banner, provisional deadlines), loading the schedule, and staff's corrections in the admin, each
recalculating the open requests' deadlines with an event in their history."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from governance.checks import holiday_schedule_check
from governance.models import CalendarDay, RequestCategory, RequestEvent
from governance.services.calendar import load_official_calendar
from governance.services.request_workflow import extend_request

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LIST = reverse("admin:governance_servicerequest_changelist")
CALENDAR_ADD = reverse("admin:governance_calendarday_add")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day):
    return dt.datetime.combine(dt.date(year, month, day), dt.time.max, tzinfo=SHANGHAI)


def _schedule_2027():
    """Part of what the State Council would publish for 2027 (as staff would enter it)."""
    for day in (1, 2, 3):
        CalendarDay.objects.create(
            date=dt.date(2027, 1, day), kind="holiday", name="元旦", source="official"
        )


# --- manage.py check ---------------------------------------------------------------------------


def test_check_is_silent_before_november_when_this_year_has_its_schedule():
    with time_machine.travel(at(2026, 10, 31, 12, 0)):
        assert holiday_schedule_check() == []


def test_check_warns_from_november_when_next_year_has_no_schedule():
    with time_machine.travel(at(2026, 11, 1, 9, 0)):
        warnings = holiday_schedule_check()
    assert [w.id for w in warnings] == ["governance.W001"]
    assert "2027" in warnings[0].msg


def test_check_goes_quiet_once_the_schedule_is_entered():
    _schedule_2027()
    with time_machine.travel(at(2026, 11, 1, 9, 0)):
        assert holiday_schedule_check() == []


def test_check_warns_about_this_year_too():
    with time_machine.travel(at(2027, 3, 1, 9, 0)):
        warnings = holiday_schedule_check()
    assert len(warnings) == 1 and "2027" in warnings[0].msg


# --- provisional deadlines and the banner ----------------------------------------------------


def test_a_deadline_counted_into_an_unpublished_year_is_provisional(make_request):
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        into_2027 = make_request()  # 7 working days: into January 2027
        emergency = make_request(category=RequestCategory.objects.get(name="燃气"))
    assert into_2027.due_provisional
    assert into_2027.due_at == end_of(2027, 1, 4)  # weekends only: 25, 28-31 Dec, 1, 4 Jan
    assert not emergency.due_provisional  # an emergency runs on the clock


def test_the_request_admin_shows_the_banner_and_the_provisional_deadline(
    client, office, make_request
):
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        service_request = make_request()
        client.force_login(office)
        page = client.get(LIST).content.decode()
        detail = client.get(
            reverse("admin:governance_servicerequest_change", args=[service_request.pk])
        ).content.decode()
    assert "工作日日历还没有 2027 年的节假日安排" in page  # the banner
    assert '<span class="hx-provisional"' in page and ">暂定<" in page  # the deadline column
    assert "暂定截止时间" in detail


def test_the_tracking_page_says_the_deadline_is_provisional(client, make_request):
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        service_request = make_request()
        response = client.post(
            reverse("governance:request-track"),
            {"reference": service_request.reference, "last4": service_request.phone_last4},
            follow=True,
        )
    assert "data-provisional" in response.content.decode()


def test_no_banner_when_the_schedule_is_there(client, office):
    client.force_login(office)
    with time_machine.travel(at(2026, 6, 1, 10, 0), tick=False):
        assert "data-calendar-banner" not in client.get(LIST).content.decode()


# --- adding the schedule recalculates the open requests --------------------------------------


def test_adding_a_holiday_in_the_admin_recalculates_open_requests(client, office, make_request):
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        service_request = make_request()
    assert service_request.due_at == end_of(2027, 1, 4)
    with time_machine.travel(at(2026, 12, 25, 9, 0), tick=False):
        client.force_login(office)
        response = client.post(
            CALENDAR_ADD,
            {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "source": "official"},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 个未办结诉求的截止时间已重新计算" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2027, 1, 5)  # 1 January is now a day off
    assert not service_request.due_provisional  # 2027 has a schedule now
    event = service_request.events.get(kind=RequestEvent.Kind.RECALCULATED)
    assert event.actor == office
    assert "2027-01-04 23:59" in event.note and "2027-01-05 23:59" in event.note


def test_a_closed_request_is_left_alone(client, office, make_request):
    from governance.models import ServiceRequest

    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        service_request = make_request()
    ServiceRequest.objects.filter(pk=service_request.pk).update(status="closed")
    client.force_login(office)
    client.post(CALENDAR_ADD, {"date": "2027-01-01", "kind": "holiday", "source": "local"})
    assert CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).exists()
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2027, 1, 4)
    assert not service_request.events.filter(kind=RequestEvent.Kind.RECALCULATED).exists()


def test_deleting_a_calendar_day_recalculates_too(client, office, make_request):
    with time_machine.travel(at(2025, 9, 26, 9, 0), tick=False):
        service_request = make_request(category=_utilities())
    assert service_request.due_at == end_of(2025, 9, 28)  # the 调休 Sunday
    client.force_login(office)
    sunday = CalendarDay.objects.get(date=dt.date(2025, 9, 28))
    response = client.post(
        reverse("admin:governance_calendarday_delete", args=[sunday.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2025, 9, 29)
    assert service_request.events.filter(kind=RequestEvent.Kind.RECALCULATED).count() == 1


def test_an_approved_extension_is_kept_when_the_calendar_changes(client, office, make_request):
    with time_machine.travel(at(2026, 12, 24, 10, 0), tick=False):
        service_request = make_request()
        extend_request(service_request=service_request, actor=office, working_days=2, reason="等")
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2027, 1, 6)  # 4 Jan + 2 working days
    client.force_login(office)
    client.post(
        CALENDAR_ADD,
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "source": "official"},
    )
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2027, 1, 7)  # 5 Jan + the same 2 working days
    assert service_request.original_due_at == end_of(2027, 1, 5)


def _utilities():
    return RequestCategory.objects.filter(deadline_class="utilities").first()


# --- loading the schedule --------------------------------------------------------------------


def test_loading_again_changes_nothing_and_keeps_local_corrections(make_request):
    CalendarDay.objects.filter(date=dt.date(2025, 10, 8)).update(kind="workday", source="local")
    CalendarDay.objects.filter(date=dt.date(2025, 10, 1)).update(name="改过的名字")
    CalendarDay.objects.filter(date=dt.date(2025, 10, 2)).delete()
    result = load_official_calendar()
    assert (result.created, result.updated, result.removed) == (1, 1, 0)
    local = CalendarDay.objects.get(date=dt.date(2025, 10, 8))
    assert (local.kind, local.source) == ("workday", "local")  # local rows win
    assert CalendarDay.objects.get(date=dt.date(2025, 10, 1)).name == "国庆节"
    again = load_official_calendar()
    assert (again.created, again.updated, again.removed, again.recalculated) == (0, 0, 0, 0)


def test_the_command_reports_what_it_did_and_the_missing_year(capsys):
    CalendarDay.objects.filter(date__year=2026).delete()
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        call_command("load_holidays")
    out = capsys.readouterr().out
    assert "day(s) added" in out and "2027" in out
    assert CalendarDay.objects.filter(date__year=2026, source="official").count() > 30
