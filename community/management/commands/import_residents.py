from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from community.models import Community
from community.resources import error_lines
from community.services import import_resident_ledger
from community.uploads import SpreadsheetRefused


class Command(BaseCommand):
    help = (
        "Import a resident ledger (XLSX) as the given staff account: all rows or none; the "
        "import is written to the access log. Prints every bad row."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--community", required=True, help="the community's short name")
        parser.add_argument("--user", required=True, help="the account importing (its scope)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, community, user, dry_run=False, **options):
        try:
            target = Community.objects.get(slug=community)
            account = get_user_model().objects.get(username=user, is_active=True)
        except (Community.DoesNotExist, get_user_model().DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        if not account.has_perm("community.import_resident"):
            raise CommandError(f"{user} may not import residents.")
        try:
            result = import_resident_ledger(
                user=account, community=target, data=file.read_bytes(), dry_run=dry_run
            )
        except SpreadsheetRefused as exc:  # not a ledger the import reads: say why
            raise CommandError(str(exc)) from exc
        lines = error_lines(result)
        if lines:
            for line in lines:
                self.stderr.write(line)
            raise CommandError(f"{len(lines)} problems: nothing was imported.")
        totals = result.totals
        self.stdout.write(
            f"{'Checked' if dry_run else 'Imported'}: {totals['new']} new, "
            f"{totals['update']} updated, {totals['skip']} unchanged."
        )
