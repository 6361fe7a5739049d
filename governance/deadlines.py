"""Deadlines of resident requests, counted on the working-day calendar.

Each category has a deadline class. Emergencies run on the clock (2 hours by default); the other
classes count working days: Monday to Friday, minus the public holidays, plus the 调休 weekend
days kept in governance.CalendarDay (the State Council's schedule, loaded at install, and staff's
local corrections). 1 working day stands for the "24 hours" of utilities.

When a deadline counted in days ends (docs/requests.md gives the basis): the day the clock
starts is not counted, and the deadline is the END of the N-th working day after it (24:00 local
time, stored as 23:59:59.999999), not the clock time of the submission. A request submitted on
Thursday at 16:00 with 1 working day is due by the end of Friday.

A deadline whose counting runs through a year without a published schedule is provisional
(Deadline.provisional, stored on the request as due_provisional): weekends are the only days
off it knows. Loading the schedule recalculates it (governance.services.calendar).

The durations can be changed in settings:

    REQUEST_DEADLINES = {"emergency": {"hours": 2}, "complex": {"working_days": 15}}
"""

import datetime as dt
from typing import NamedTuple

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
# Long enough for any run of days off (the Spring Festival week plus weekends).
_MARGIN = 30


class Deadline(NamedTuple):
    due: dt.datetime
    provisional: bool


def deadline_rule(deadline_class: str) -> dict[str, int]:
    rules = {**DEFAULT_DEADLINES, **getattr(settings, "REQUEST_DEADLINES", {})}
    return rules[deadline_class]


def calendar_exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """{date: kind} for the calendar's holidays and 调休 days between start and end (one query)."""
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def scheduled_years(years) -> set[int]:
    """Of the given years, those with a published schedule (at least one official row)."""
    years = sorted(set(years))
    if not years:
        return set()
    return set(
        CalendarDay.objects.filter(
            source=CalendarDay.Source.OFFICIAL,
            date__gte=dt.date(years[0], 1, 1),
            date__lte=dt.date(years[-1], 12, 31),
        )
        .values_list("date__year", flat=True)
        .distinct()
    )


def is_working_day(day: dt.date, exceptions: dict[dt.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.WORKDAY:
        return True
    return day.weekday() < 5


class WorkingCalendar:
    """The calendar between two dates, read in one query and then counted in memory (it
    reads more if a count runs past its end). Recalculating many requests shares one.

    It reads whole years (from 1 January of start's year): whether a year has a published
    schedule depends on all of its rows."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start = start
        self.end = dt.date(start.year, 1, 1) - dt.timedelta(days=1)
        self.exceptions: dict[dt.date, str] = {}
        self.scheduled: set[int] = set()
        self._extend(end)

    def _extend(self, end: dt.date) -> None:
        last = dt.date(end.year, 12, 31)
        rows = CalendarDay.objects.filter(date__gt=self.end, date__lte=last).values_list(
            "date", "kind", "source"
        )
        for day, kind, source in rows:
            self.exceptions[day] = kind
            if source == CalendarDay.Source.OFFICIAL:
                self.scheduled.add(day.year)
        self.end = last

    def add_working_days(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """(the days-th working day after start, whether a year without schedule was crossed).
        start itself is never counted."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day, counted, provisional = start, 0, False
        while counted < days:
            day += dt.timedelta(days=1)
            if day > self.end:
                self._extend(day + dt.timedelta(days=days * 2 + _MARGIN))
            provisional = provisional or day.year not in self.scheduled
            if is_working_day(day, self.exceptions):
                counted += 1
        return day, provisional

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days follow start up to and including end (0 when end <= start)."""
        if end > self.end:
            self._extend(end)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += is_working_day(day, self.exceptions)
        return count


def calendar_for(start: dt.date, days: int = 0) -> WorkingCalendar:
    return WorkingCalendar(start, start + dt.timedelta(days=days * 2 + _MARGIN))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date of the days-th working day after start (start itself is never counted)."""
    return calendar_for(start, days).add_working_days(start, days)[0]


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 local time of the day: the last instant still on it."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def deadline_after(
    start: dt.datetime, deadline_class: str, *, calendar: WorkingCalendar | None = None
) -> Deadline:
    """When a request of this deadline class, whose clock starts at start, is due."""
    rule = deadline_rule(deadline_class)
    if "hours" in rule:
        return Deadline(start + dt.timedelta(hours=rule["hours"]), False)
    first = timezone.localtime(start).date()
    calendar = calendar or calendar_for(first, rule["working_days"])
    day, provisional = calendar.add_working_days(first, rule["working_days"])
    return Deadline(end_of_day(day), provisional)


def due_after(start: dt.datetime, deadline_class: str) -> dt.datetime:
    return deadline_after(start, deadline_class).due


def extend_deadline(
    due: dt.datetime, days: int, *, calendar: WorkingCalendar | None = None
) -> Deadline:
    """The deadline moved by days working days (an approved extension): the end of the
    days-th working day after the day it was due."""
    first = timezone.localtime(due).date()
    calendar = calendar or calendar_for(first, days)
    day, provisional = calendar.add_working_days(first, days)
    return Deadline(end_of_day(day), provisional)


def extend_by_working_days(due: dt.datetime, days: int) -> dt.datetime:
    return extend_deadline(due, days).due
