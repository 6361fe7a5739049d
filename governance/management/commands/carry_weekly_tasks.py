"""Carry the open weekly tasks into the next week (idempotent; run it by cron on Mondays).

python manage.py carry_weekly_tasks [--community hongxing] [--today 2024-05-13]
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from community.management.communities import add_community_option, chosen_communities
from governance.services.ledger import carry_all_past_weeks


class Command(BaseCommand):
    help = "Carry every past week's open weekly tasks into the following week (idempotent)."

    def add_arguments(self, parser):
        add_community_option(parser)
        parser.add_argument("--today", help="Treat this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today: {error}") from None
        for community in chosen_communities(options):
            carried = carry_all_past_weeks(community=community, today=today)
            self.stdout.write(f"{community.slug}: {carried} task(s) carried over")
