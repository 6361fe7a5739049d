"""The calendar of the six-star cadence: weeks (周调度), months (月评比), quarters (季考核) and
years, as dates, and the local midnight that starts a day.

A period is a half-open range [start, end) of dates: the end is the first day after it.
Months are named by their first day; weeks by their Monday (ISO weeks, as China counts them).
"""

import datetime

from django.utils import timezone

ONE_WEEK = datetime.timedelta(days=7)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month_start(month) - datetime.timedelta(days=1)).replace(day=1)


def months_back(month: datetime.date, count: int) -> list[datetime.date]:
    """The `count` months ending with `month`, oldest first."""
    months = [month_start(month)]
    for _i in range(count - 1):
        months.insert(0, previous_month(months[0]))
    return months


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week of a day."""
    return day - datetime.timedelta(days=day.weekday())


def iso_week_start(year: int, week: int) -> datetime.date:
    return datetime.date.fromisocalendar(year, week, 1)


def quarter_months(year: int, quarter: int) -> list[datetime.date]:
    """The first days of the three months of a quarter (1-4)."""
    first = 3 * (quarter - 1) + 1
    return [datetime.date(year, first + i, 1) for i in range(3)]


def period_bounds(year: int, *, month: int | None = None, quarter: int | None = None):
    """[start, end) dates of a month, a quarter or (neither given) a year."""
    if month is not None:
        start = datetime.date(year, month, 1)
        return start, next_month(start)
    if quarter is not None:
        start = quarter_months(year, quarter)[0]
        return start, next_month(quarter_months(year, quarter)[-1])
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware moment a day starts in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
