"""Give communities without indicators the default six-star indicators (idempotent).

python manage.py ensure_indicators [--community hongxing]
"""

from django.core.management.base import BaseCommand, CommandError

from community.models import Community
from governance.services.scoring import ensure_default_indicators


class Command(BaseCommand):
    help = "Create the default six-star indicators for communities that have none."

    def add_arguments(self, parser):
        parser.add_argument("--community", help="Slug of one community (default: all).")

    def handle(self, *args, **options):
        communities = Community.objects.order_by("id")
        if options["community"]:
            communities = communities.filter(slug=options["community"])
            if not communities.exists():
                raise CommandError(f"No community {options['community']!r}.")
        for community in communities:
            created = ensure_default_indicators(community=community)
            self.stdout.write(f"{community.slug}: {created} indicator(s) created")
