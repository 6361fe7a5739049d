"""Calculate (or refresh) the six stars' monthly scores; locked months stay as they are.

    python manage.py compute_scores [--month 2024-05] [--community hongxing]

Idempotent: run it nightly by cron for the current and the previous month.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from community.management.communities import add_community_option, chosen_communities
from governance.periods import month_start, previous_month
from governance.services.scoring import compute_month


class Command(BaseCommand):
    help = "Calculate the monthly star scores (default: this month and the previous one)."

    def add_arguments(self, parser):
        parser.add_argument("--month", action="append", help="YYYY-MM; may be repeated.")
        add_community_option(parser)

    def handle(self, *args, **options):
        if options["month"]:
            try:
                months = [datetime.date.fromisoformat(f"{value}-01") for value in options["month"]]
            except ValueError as error:
                raise CommandError(f"--month: {error}") from None
        else:
            this_month = month_start(timezone.localdate())
            previous = previous_month(this_month)
            months = [previous, this_month]
        for community in chosen_communities(options):
            for month in months:
                scores = compute_month(community=community, month=month)
                self.stdout.write(f"{community.slug} {month:%Y-%m}: {len(scores)} scores")
