"""The cadence's calendar: months, weeks, quarters and years as half-open date ranges."""

import datetime

from governance import periods

D = datetime.date


def test_months_roll_over_the_year():
    assert periods.next_month(D(2024, 12, 1)) == D(2025, 1, 1)
    assert periods.previous_month(D(2025, 1, 15)) == D(2024, 12, 1)
    assert periods.months_back(D(2025, 2, 10), 3) == [D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]


def test_period_bounds_are_half_open():
    assert periods.period_bounds(2024, month=2) == (D(2024, 2, 1), D(2024, 3, 1))
    assert periods.period_bounds(2024, month=12) == (D(2024, 12, 1), D(2025, 1, 1))
    assert periods.period_bounds(2024, quarter=4) == (D(2024, 10, 1), D(2025, 1, 1))
    assert periods.period_bounds(2024, quarter=1) == (D(2024, 1, 1), D(2024, 4, 1))
    assert periods.period_bounds(2024) == (D(2024, 1, 1), D(2025, 1, 1))


def test_quarters_and_iso_weeks():
    assert periods.quarter_months(2024, 3) == [D(2024, 7, 1), D(2024, 8, 1), D(2024, 9, 1)]
    # 2024-12-30 is the Monday of ISO week 1 of 2025.
    assert periods.week_start(D(2025, 1, 1)) == D(2024, 12, 30)
    assert periods.iso_week_start(2025, 1) == D(2024, 12, 30)


def test_local_midnight_is_the_sites_time_zone(settings):
    moment = periods.local_midnight(D(2024, 10, 1))
    assert moment.isoformat() == "2024-10-01T00:00:00+08:00"
    assert settings.TIME_ZONE == "Asia/Shanghai"
