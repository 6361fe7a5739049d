"""Give communities without indicators the default six-star indicators (idempotent).

python manage.py ensure_indicators [--community hongxing]
"""

from django.core.management.base import BaseCommand

from community.management.communities import add_community_option, chosen_communities
from governance.services.scoring import ensure_default_indicators


class Command(BaseCommand):
    help = "Create the default six-star indicators for communities that have none."

    def add_arguments(self, parser):
        add_community_option(parser)

    def handle(self, *args, **options):
        for community in chosen_communities(options):
            created = ensure_default_indicators(community=community)
            self.stdout.write(f"{community.slug}: {created} indicator(s) created")
