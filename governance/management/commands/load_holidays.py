"""Store the State Council's holiday and 调休 schedule in the working-day calendar (idempotent).

python manage.py load_holidays

Run after `pip install -U chinesecalendar` brings a newly published year (make run runs it every
time). Local corrections made in the admin are kept; the open requests whose deadline moves are
recalculated, each with an event in its history. It then names the years still missing.
"""

from django.core.management.base import BaseCommand

from governance.services.calendar import load_official_calendar, years_without_schedule


class Command(BaseCommand):
    help = "Load the State Council's holiday schedule and recalculate open requests' deadlines."

    def handle(self, *args, **options):
        result = load_official_calendar()
        self.stdout.write(
            f"holiday schedule: {result.created} day(s) added, {result.updated} changed, "
            f"{result.removed} removed; {result.recalculated} open request deadline(s) "
            "recalculated"
        )
        missing = years_without_schedule()
        if missing:
            years = ", ".join(str(year) for year in missing)
            self.stdout.write(
                self.style.WARNING(
                    f"no published holiday schedule for {years}: deadlines there are "
                    "provisional (update chinesecalendar, or enter it in the admin)"
                )
            )
