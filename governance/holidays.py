"""The State Council's published holiday and 调休 schedule, as data.

The schedule (国务院办公厅关于部分节假日安排的通知, published each year, usually in November
for the next year) comes from the `chinesecalendar` package on PyPI, which carries every
published year since 2004 and is updated when a new notice appears: `pip install -U
chinesecalendar`, then `manage.py load_holidays` (make run does it) stores the new year and
recalculates the open requests' deadlines.

This module only reads the package; the rows live in governance.CalendarDay (source "official").
"""

import datetime as dt

import chinese_calendar

# The package names the holidays in English; the calendar shows them in Chinese.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
HOLIDAY, WORKDAY = "holiday", "workday"  # CalendarDay.Kind's values


def official_days() -> dict[dt.date, tuple[str, str]]:
    """{date: (kind, name)} for every day off and every 调休 working day the State Council has
    published; a day off that falls on a weekend inside a holiday period is listed too."""
    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        days[day] = (HOLIDAY, NAMES.get(name, name))
    for day, name in chinese_calendar.workdays.items():
        days[day] = (WORKDAY, f"{NAMES.get(name, name)}调休")
    return days


def published_years() -> set[int]:
    """The years the package has a schedule for."""
    return {day.year for day in chinese_calendar.holidays}


def official_working_day(day: dt.date) -> bool:
    """Whether the package says the day is a working day (for checks and tests)."""
    return chinese_calendar.is_workday(day)
