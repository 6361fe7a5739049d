import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from governance.demo.builder import demo_last_day, load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo community (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (demo accounts have published passwords).",
        )
        parser.add_argument(
            "--last-day",
            action="store_true",
            help="Only print the demo year's last day (ISO), the PORTAL_TODAY `make run` sets.",
        )

    def handle(self, *args, allow_production=False, last_day=False, **options):
        if last_day:
            self.stdout.write(demo_last_day().isoformat())
            return
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "The demo has published passwords: run it with DEBUG=1 or --allow-production."
            )
        started = time.monotonic()
        result = load_demo()
        community = result.community
        verb = "Created" if result.created else "Demo already present, nothing changed"
        self.stdout.write(
            f"{verb}: {community.full_name} ({community.stars.count()} stars, "
            f"{community.residents.count()} residents) in {time.monotonic() - started:.1f} s"
        )
        self.stdout.write("Demo logins (http://127.0.0.1:8000/admin/):")
        for login in result.logins:
            if login.printed:
                self.stdout.write(f"  {login.role}: {login.username} / {login.password}")
        year = demo_last_day().year
        self.stdout.write(f"Annual summary: http://127.0.0.1:8000/dashboard/annual/{year}/")
