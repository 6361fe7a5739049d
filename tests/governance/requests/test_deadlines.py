"""Deadlines on the working-day calendar: the State Council's schedule shipped with the install
(migration 0012), the end-of-day rule, and the deadline classes."""

import datetime as dt
import zoneinfo

import chinese_calendar
import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance import deadlines, holidays
from governance.models import CalendarDay
from governance.models.requests import DeadlineClass
from governance.services.request_workflow import extend_request

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day):
    """A deadline counted in days ends at 24:00 of its last day."""
    return dt.datetime.combine(dt.date(year, month, day), dt.time.max, tzinfo=SHANGHAI)


def days_of(*years):
    day = dt.date(years[0], 1, 1)
    while day.year <= years[-1]:
        yield day
        day += dt.timedelta(days=1)


def reference_due(start: dt.date, working_days: int) -> dt.date | None:
    """The N-th working day after start, counted on the package alone (the shipped source);
    None when the count runs into a year the package has no schedule for."""
    day, counted = start, 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        try:
            counted += chinese_calendar.is_workday(day)
        except NotImplementedError:
            return None
    return day


# --- the shipped schedule ------------------------------------------------------------------


def test_a_fresh_install_has_every_published_year_of_the_schedule():
    official = holidays.official_days()
    stored = dict(
        CalendarDay.objects.filter(source=CalendarDay.Source.OFFICIAL).values_list("date", "kind")
    )
    assert stored == {day: kind for day, (kind, _name) in official.items()}
    assert {day.year for day in stored} == set(range(2004, 2027))


def test_every_day_of_2024_to_2026_matches_the_published_schedule():
    exceptions = deadlines.calendar_exceptions(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    wrong = [
        day
        for day in days_of(2024, 2026)
        if deadlines.is_working_day(day, exceptions) != chinese_calendar.is_workday(day)
    ]
    assert wrong == []
    assert len(list(days_of(2024, 2026))) == 1096


def test_every_deadline_submitted_in_2024_to_2026_matches_the_published_schedule():
    calendar = deadlines.WorkingCalendar(dt.date(2024, 1, 1), dt.date(2027, 3, 31))
    wrong, checked = [], 0
    for day in days_of(2024, 2026):
        submitted = at(day.year, day.month, day.day, 10, 0)
        for deadline_class, working_days in (("utilities", 1), ("general", 7), ("complex", 15)):
            due = deadlines.deadline_after(submitted, deadline_class, calendar=calendar).due
            expected = reference_due(day, working_days)
            if expected is not None and due.astimezone(SHANGHAI).date() != expected:
                wrong.append((day, deadline_class))
            checked += 1
    assert wrong == []
    assert checked == 1096 * 3


def test_submitted_11_september_2025_fifteen_working_days_skip_national_day():
    # 12 Sep … 26 Sep (11 days), Sunday 28 Sep (调休, 12), 29, 30 Sep (14), 1-8 Oct off, 9 Oct.
    due = deadlines.due_after(at(2025, 9, 11, 10, 0), DeadlineClass.COMPLEX)
    assert due == end_of(2025, 10, 9)


def _periods(year):
    """The runs of consecutive official days off of a year (each public holiday's period)."""
    days = sorted(d for d, (kind, _) in holidays.official_days().items()
                  if kind == "holiday" and d.year == year)  # fmt: skip
    runs, run = [], [days[0]]
    for day in days[1:]:
        if day - run[-1] == dt.timedelta(days=1):
            run.append(day)
        else:
            runs.append(run)
            run = [day]
    return [*runs, run]


HOLIDAY_PERIODS = [(run[0], run[-1]) for year in (2024, 2025, 2026) for run in _periods(year)]


@pytest.mark.parametrize(("first", "last"), HOLIDAY_PERIODS, ids=str)
def test_no_deadline_lands_inside_a_holiday(first, last):
    """From the last working day before each holiday, 1, 7 and 15 working days all land on
    the working days the schedule names, never inside the holiday."""
    before = first - dt.timedelta(days=1)
    while not chinese_calendar.is_workday(before):
        before -= dt.timedelta(days=1)
    submitted = at(before.year, before.month, before.day, 15, 0)
    for deadline_class, working_days in (("utilities", 1), ("general", 7), ("complex", 15)):
        due = deadlines.due_after(submitted, deadline_class)
        expected = reference_due(before, working_days)
        assert due == end_of(expected.year, expected.month, expected.day), deadline_class
        assert not first <= due.date() <= last
        assert due.astimezone(SHANGHAI).date() not in chinese_calendar.holidays


def test_a_调休_sunday_counts_as_a_working_day():
    # Friday 26 Sept 2025: Sunday 28 Sept is worked (国庆调休): one working day later is the 28th.
    assert deadlines.due_after(at(2025, 9, 26, 9, 0), DeadlineClass.UTILITIES) == end_of(
        2025, 9, 28
    )


def test_general_deadline_across_national_day_counts_the_调休_saturday():
    # Tuesday 30 Sept: working days are 9, 10, 11 (调休 Saturday), 13, 14, 15, 16 Oct.
    assert deadlines.due_after(at(2025, 9, 30, 10, 0), DeadlineClass.GENERAL) == end_of(
        2025, 10, 16
    )


def test_a_local_correction_wins_over_the_schedule():
    CalendarDay.objects.filter(date=dt.date(2025, 9, 28)).update(
        kind=CalendarDay.Kind.HOLIDAY, source=CalendarDay.Source.LOCAL
    )
    assert deadlines.due_after(at(2025, 9, 26, 9, 0), DeadlineClass.UTILITIES) == end_of(
        2025, 9, 29
    )


# --- when a deadline ends: the end of its last day -------------------------------------------


def test_a_deadline_ends_at_the_end_of_its_last_day_not_at_the_clock_time():
    # Thursday 16:00 and Thursday 08:00 get the same deadline: the end of Friday.
    assert deadlines.due_after(at(2025, 6, 12, 16, 0), DeadlineClass.UTILITIES) == end_of(
        2025, 6, 13
    )
    assert deadlines.due_after(at(2025, 6, 12, 8, 0), DeadlineClass.UTILITIES) == end_of(
        2025, 6, 13
    )


def test_the_day_of_submission_is_not_counted_even_just_before_midnight():
    # 23:59 on Thursday: the count starts on Friday; 00:01 on Friday: it starts on Monday.
    assert deadlines.due_after(at(2025, 6, 12, 23, 59), DeadlineClass.UTILITIES) == end_of(
        2025, 6, 13
    )
    assert deadlines.due_after(at(2025, 6, 13, 0, 1), DeadlineClass.UTILITIES) == end_of(
        2025, 6, 16
    )


def test_a_request_is_overdue_only_after_its_last_day(make_request):
    with time_machine.travel(at(2025, 6, 12, 16, 0), tick=False):
        service_request = make_request()  # general: 7 working days -> Monday 23 June
    assert service_request.due_at == end_of(2025, 6, 23)
    with time_machine.travel(at(2025, 6, 23, 23, 59, 59), tick=False):
        assert not service_request.is_overdue
    with time_machine.travel(at(2025, 6, 24, 0, 0, 0), tick=False):
        assert service_request.is_overdue


def test_emergency_runs_on_the_clock_even_on_a_holiday():
    assert deadlines.due_after(at(2025, 10, 3, 22, 30), DeadlineClass.EMERGENCY) == at(
        2025, 10, 4, 0, 30
    )


# --- the classes and extensions --------------------------------------------------------------


def test_utilities_skip_the_weekend():
    # Friday 16:00 -> the end of Monday (one working day).
    assert deadlines.due_after(at(2025, 6, 13, 16, 0), DeadlineClass.UTILITIES) == end_of(
        2025, 6, 16
    )


def test_complex_is_fifteen_working_days():
    # Tuesday 3 June 2025, after the Dragon Boat Festival (31 May - 2 June): 15 working days.
    assert deadlines.due_after(at(2025, 6, 3, 9, 0), DeadlineClass.COMPLEX) == end_of(2025, 6, 24)


def test_deadlines_are_configurable(settings):
    settings.REQUEST_DEADLINES = {"emergency": {"hours": 1}, "general": {"working_days": 2}}
    assert deadlines.due_after(at(2025, 6, 3, 9, 0), "emergency") == at(2025, 6, 3, 10, 0)
    assert deadlines.due_after(at(2025, 6, 3, 9, 0), "general") == end_of(2025, 6, 5)


def test_a_long_run_of_holidays_is_crossed():
    CalendarDay.objects.filter(date__range=(dt.date(2025, 1, 1), dt.date(2025, 2, 9))).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=dt.date(2025, 1, 1) + dt.timedelta(days=offset), kind="holiday")
        for offset in range(40)
    )
    due = deadlines.due_after(at(2024, 12, 31, 9, 0), DeadlineClass.UTILITIES)
    assert due == end_of(2025, 2, 10)  # the first working day after the 40 days off


def test_request_due_date_uses_the_category_class(make_request):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        service_request = make_request()
    assert service_request.due_at == end_of(2025, 10, 16)
    assert service_request.original_due_at == service_request.due_at
    assert not service_request.due_provisional


def test_overdue_requests_are_flagged(make_request, office):
    with time_machine.travel(at(2025, 6, 3, 9, 0), tick=False):
        service_request = make_request()
        assert not service_request.is_overdue
    with time_machine.travel(at(2025, 6, 13, 9, 0), tick=False):
        assert service_request.is_overdue
        from governance.models import ServiceRequest

        assert list(ServiceRequest.objects.overdue()) == [service_request]


def test_one_extension_can_be_approved(make_request, office):
    with time_machine.travel(at(2025, 9, 30, 10, 0), tick=False):
        service_request = make_request()
        extend_request(
            service_request=service_request, actor=office, working_days=2, reason="等待配件"
        )
    service_request.refresh_from_db()
    assert service_request.due_at == end_of(2025, 10, 20)  # Thu 16 -> Fri 17 -> Mon 20
    assert service_request.original_due_at == end_of(2025, 10, 16)
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
