"""Deadlines of resident requests, counted on the working-day calendar.

Each category has a deadline class. Emergencies run on the clock (2 hours by default); the other
classes count working days: Monday to Friday, minus the public holidays, plus the 调休 weekend
days kept in governance.CalendarDay. The deadline is the same time of day on the N-th working day
after the day the clock starts (1 working day stands for the "24 hours" of utilities).

The durations can be changed in settings:

    REQUEST_DEADLINES = {"emergency": {"hours": 2}, "complex": {"working_days": 15}}
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from governance.models.requests import CalendarDay, DeadlineClass

DEFAULT_DEADLINES: dict[str, dict[str, int]] = {
    DeadlineClass.EMERGENCY: {"hours": 2},
    DeadlineClass.UTILITIES: {"working_days": 1},
    DeadlineClass.GENERAL: {"working_days": 7},
    DeadlineClass.COMPLEX: {"working_days": 15},
}
# At most this many working days may be added by the one extension.
MAX_EXTENSION_WORKING_DAYS = 15


def deadline_rule(deadline_class: str) -> dict[str, int]:
    rules = {**DEFAULT_DEADLINES, **getattr(settings, "REQUEST_DEADLINES", {})}
    return rules[deadline_class]


def calendar_exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """{date: kind} for the calendar's holidays and 调休 days between start and end (one query)."""
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def is_working_day(day: dt.date, exceptions: dict[dt.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the days-th working day after start (start itself is never counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    # Long enough for any run of holidays (the Spring Festival week plus weekends).
    horizon = start + dt.timedelta(days=days * 2 + 30)
    exceptions = calendar_exceptions(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day > horizon:
            horizon = day + dt.timedelta(days=days * 2 + 30)
            exceptions |= calendar_exceptions(day, horizon)
        if is_working_day(day, exceptions):
            counted += 1
    return day


def due_after(start: dt.datetime, deadline_class: str) -> dt.datetime:
    """When a request of this deadline class, whose clock starts at start, is due."""
    rule = deadline_rule(deadline_class)
    if "hours" in rule:
        return start + dt.timedelta(hours=rule["hours"])
    local = timezone.localtime(start)
    day = add_working_days(local.date(), rule["working_days"])
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))


def extend_by_working_days(due: dt.datetime, days: int) -> dt.datetime:
    local = timezone.localtime(due)
    day = add_working_days(local.date(), days)
    return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
