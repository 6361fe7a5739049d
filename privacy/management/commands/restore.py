"""manage.py restore BACKUP_DIR [--database-url URL] [--media-root DIR] --yes

Restores an encrypted backup made by `manage.py backup` into the configured database (or the
one given by --database-url, e.g. a fresh one for a restore drill) and media folder, then
checks every table's row count and every media file's SHA-256 against the backup's manifest.
Every file of the backup is decrypted and authenticated first: with a wrong key or a damaged
file the command stops before touching the database or the media folder. Stop the site first
when restoring over the live database."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from privacy.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore an encrypted backup folder and verify it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The folder written by `manage.py backup`.")
        parser.add_argument("--database-url", help="Restore into this database instead.")
        parser.add_argument("--media-root", help="Restore the media files here instead.")
        parser.add_argument("--yes", action="store_true", help="Overwrite without asking.")

    def handle(self, *args, backup, database_url, media_root, yes, **options):
        if not yes:
            raise CommandError(_("Restoring overwrites data: add --yes to go ahead."))
        if database_url:
            database = dj_database_url.parse(database_url)
        else:
            database = dict(settings.DATABASES["default"])
            connections.close_all()
        try:
            report = restore_backup(
                Path(backup),
                database=database,
                media_root=Path(media_root or settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = len(report["tables_expected"])
        rows = sum(report["tables_restored"].values())
        if report["table_mismatches"] or report["media_mismatches"]:
            raise CommandError(
                _("Restore incomplete: tables %(tables)s, media %(media)s")
                % {"tables": report["table_mismatches"], "media": report["media_mismatches"]}
            )
        self.stdout.write(
            _("Restored %(tables)d tables (%(rows)d rows); counts and media match.")
            % {"tables": tables, "rows": rows}
        )
