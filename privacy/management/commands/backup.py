"""manage.py backup [--output DIR]: a consistent, encrypted copy of the database and the media
files while the site keeps running (privacy/backup.py); prints the backup folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database (online, consistent) and the media files, encrypted."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=getattr(settings, "BACKUP_DIR", None),
            help="Folder for the backups (default: BACKUP_DIR).",
        )

    def handle(self, *args, output, **options):
        if not output:
            raise CommandError(_("Give --output or set BACKUP_DIR."))
        try:
            target = make_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(target))
