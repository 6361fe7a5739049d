"""`manage.py check` warns when the working-day calendar lacks a year's holiday schedule: this
year, and from November on (the State Council usually publishes the next year's schedule then)
next year too. Deadlines counted through such a year are provisional."""

from django.core import checks
from django.db import DatabaseError


@checks.register()
def holiday_schedule_check(app_configs=None, **kwargs):
    from governance.services.calendar import years_without_schedule

    try:
        missing = years_without_schedule()
    except DatabaseError:  # not migrated yet: nothing to say
        return []
    return [
        checks.Warning(
            f"The working-day calendar has no holiday schedule for {year}: request deadlines "
            "counted through it are provisional (weekends only).",
            hint=(
                "Once the State Council publishes it: pip install -U chinesecalendar, then "
                "python manage.py load_holidays; or enter it in the admin (holiday and 调休 "
                "calendar, source “State Council schedule”)."
            ),
            id="governance.W001",
        )
        for year in missing
    ]
