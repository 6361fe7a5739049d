import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance import deadlines
from governance.models import CalendarDay
from governance.models.requests import DeadlineClass
from governance.services.request_workflow import extend_request

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def national_day_2025(db):
    """国庆中秋 2025: 10月1日-8日放假, 9月28日(周日)、10月11日(周六)上班."""
    for day in range(1, 9):
        CalendarDay.objects.create(date=dt.date(2025, 10, day), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=dt.date(2025, 9, 28), kind="workday", name="国庆调休")
    CalendarDay.objects.create(date=dt.date(2025, 10, 11), kind="workday", name="国庆调休")


def test_emergency_runs_on_the_clock_even_on_a_holiday(national_day_2025):
    assert deadlines.due_after(at(2025, 10, 3, 22, 30), DeadlineClass.EMERGENCY) == at(
        2025, 10, 4, 0, 30
    )


def test_utilities_skip_the_weekend():
    # Friday 16:00 -> Monday 16:00 (one working day).
    assert deadlines.due_after(at(2025, 6, 13, 16, 0), DeadlineClass.UTILITIES) == at(
        2025, 6, 16, 16, 0
    )


def test_general_deadline_across_national_day_counts_the_调休_saturday(national_day_2025):
    # Tuesday 30 Sept 10:00: working days are 9, 10, 11 (调休 Saturday), 13, 14, 15, 16 Oct.
    assert deadlines.due_after(at(2025, 9, 30, 10, 0), DeadlineClass.GENERAL) == at(
        2025, 10, 16, 10, 0
    )


def test_without_the_calendar_the_same_request_would_be_due_a_week_earlier():
    assert deadlines.due_after(at(2025, 9, 30, 10, 0), DeadlineClass.GENERAL) == at(
        2025, 10, 9, 10, 0
    )


def test_a_调休_sunday_counts_as_a_working_day(national_day_2025):
    # Friday 26 Sept: 28 Sept (Sunday) is worked, so one working day later is the 28th.
    assert deadlines.due_after(at(2025, 9, 26, 9, 0), DeadlineClass.UTILITIES) == at(
        2025, 9, 28, 9, 0
    )


def test_complex_is_fifteen_working_days():
    # Monday 2 June 2025 -> 15 working days -> Monday 23 June.
    assert deadlines.due_after(at(2025, 6, 2, 9, 0), DeadlineClass.COMPLEX) == at(2025, 6, 23, 9, 0)


def test_deadlines_are_configurable(settings):
    settings.REQUEST_DEADLINES = {"emergency": {"hours": 1}, "general": {"working_days": 2}}
    assert deadlines.due_after(at(2025, 6, 2, 9, 0), "emergency") == at(2025, 6, 2, 10, 0)
    assert deadlines.due_after(at(2025, 6, 2, 9, 0), "general") == at(2025, 6, 4, 9, 0)


def test_a_long_run_of_holidays_is_crossed(db):
    for offset in range(40):
        CalendarDay.objects.create(date=dt.date(2025, 1, 1) + dt.timedelta(days=offset),
                                   kind="holiday")  # fmt: skip
    due = deadlines.due_after(at(2024, 12, 31, 9, 0), DeadlineClass.UTILITIES)
    assert due == at(2025, 2, 10, 9, 0)  # the first working day after the 40 days off


def test_request_due_date_uses_the_category_class(make_request, national_day_2025):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        service_request = make_request()
    assert service_request.due_at == at(2025, 10, 16, 10, 0)
    assert service_request.original_due_at == service_request.due_at


def test_overdue_requests_are_flagged(make_request, office):
    with time_machine.travel(at(2025, 6, 2, 9, 0), tick=False):
        service_request = make_request()
        assert not service_request.is_overdue
    with time_machine.travel(at(2025, 6, 12, 9, 0), tick=False):
        assert service_request.is_overdue
        from governance.models import ServiceRequest

        assert list(ServiceRequest.objects.overdue()) == [service_request]


def test_one_extension_can_be_approved(make_request, office, national_day_2025):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        service_request = make_request()
        extend_request(
            service_request=service_request, actor=office, working_days=2, reason="等待配件"
        )
    service_request.refresh_from_db()
    assert service_request.due_at == at(2025, 10, 20, 10, 0)  # Thu 16 -> Fri 17 -> Mon 20
    assert service_request.original_due_at == at(2025, 10, 16, 10, 0)
    with pytest.raises(ValidationError) as info:
        extend_request(service_request=service_request, actor=office, working_days=1, reason="再等")
    assert info.value.code == "already_extended"
    with pytest.raises(ValidationError) as info:
        extend_request(service_request=service_request, actor=office, working_days=30, reason="x")


def test_extension_length_is_limited(make_request, office):
    service_request = make_request()
    with pytest.raises(ValidationError) as info:
        extend_request(service_request=service_request, actor=office, working_days=16, reason="x")
    assert "1至15个工作日" in " ".join(info.value.message_dict["working_days"])
