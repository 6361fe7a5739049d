"""Backups that are consistent while the site is in use, encrypted at rest, and their restore.

A backup is a folder holding three files, each encrypted and authenticated with the backup key
(AES-256-GCM in 1 MiB chunks, privacy/backup_crypto.py):
- db.sqlite3.enc (SQLite's online backup API, page by page, never a file copy of a live
  database) or db.dump.enc (pg_dump's custom format, taken in the same snapshot as the row
  counts, streamed from pg_dump into the encryption: no plaintext copy on disk);
- media.tar.gz.enc (the uploaded photos and files, streamed into the encryption);
- manifest.json.enc: when, which engine, the row count of every table and the SHA-256 of every
  media file, so that a restore can prove it is complete.

A restore first decrypts every file into a private scratch folder (TMPDIR), checking every
chunk; only when all three are whole and made with the configured key does it touch the
target database and media folder. A wrong key, a changed byte or a cut-off file is refused
with nothing changed.

Neither key is in the backup: BACKUP_ENCRYPTION_KEY (or FIELD_ENCRYPTION_KEY, from which the
backup key is derived when BACKUP_ENCRYPTION_KEY is unset) must be stored apart from the
backups, or they cannot be read (docs/deployment.md).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.backup_crypto import (
    BackupCryptoError,
    EncryptingWriter,
    decrypt_to,
    encrypt_file,
    new_backup_id,
)

MANIFEST = "manifest.json.enc"
MEDIA_ARCHIVE = "media.tar.gz.enc"
DATABASE_FILES = {"sqlite": "db.sqlite3.enc", "postgresql": "db.dump.enc"}
PLAINTEXT_FILES = ("manifest.json", "db.sqlite3", "db.dump", "media.tar.gz")


class BackupError(Exception):
    pass


def media_checksums(root: Path) -> dict[str, str]:
    checksums = {}
    root = Path(root)
    if not root.exists():
        return checksums
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            checksums[path.relative_to(root).as_posix()] = digest.hexdigest()
    return checksums


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}
    finally:
        db.close()


def _pg_env(settings_dict) -> dict[str, str]:
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _backup_sqlite(partial: Path, scratch: Path, backup_id: bytes) -> dict[str, int]:
    """The online backup API writes a plain copy in the private scratch folder (it needs a
    file); the copy is counted, encrypted into the backup and deleted with the folder."""
    connection.ensure_connection()
    plain = scratch / "db.sqlite3"
    dest = sqlite3.connect(plain)
    try:
        connection.connection.backup(dest, pages=256)
    finally:
        dest.close()
    counts = sqlite_counts(plain)
    encrypt_file(plain, partial / DATABASE_FILES["sqlite"], role="database", backup_id=backup_id)
    return counts


def _pg_connect(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )


def _backup_postgres(partial: Path, scratch: Path, backup_id: bytes) -> dict[str, int]:
    if shutil.which("pg_dump") is None:
        raise BackupError(_("pg_dump is not installed (apt-get install postgresql-client)."))
    settings_dict = connection.settings_dict
    with _pg_connect(settings_dict) as conn:
        # One snapshot for the counts and the dump: writes during the backup are in neither.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            counts = pg_counts(cursor)
        with (scratch / "pg_dump.log").open("w+b") as errors:
            # pg_dump writes to a pipe that goes straight into the encryption.
            process = subprocess.Popen(
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"],
                env=_pg_env(settings_dict),
                stdout=subprocess.PIPE,
                stderr=errors,
            )
            writer = EncryptingWriter(
                partial / DATABASE_FILES["postgresql"], role="database", backup_id=backup_id
            )
            copied = False
            try:
                shutil.copyfileobj(process.stdout, writer, 1 << 20)
                copied = True
            finally:
                if not copied:
                    process.kill()
                process.stdout.close()
                returncode = process.wait()
                if copied and returncode == 0:
                    writer.close()  # the last chunk: the file is complete
                else:
                    writer.abort()
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
        conn.rollback()
    if returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": message})
    return counts


def make_backup(output_dir: Path) -> Path:
    """Write one encrypted backup folder under output_dir and return it."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(output_dir) / f"backup-{stamp}"
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True)
    backup_id = new_backup_id()
    try:
        with tempfile.TemporaryDirectory(prefix="hx-backup-") as scratch:
            if connection.vendor == "sqlite":
                engine, counts = "sqlite", _backup_sqlite(partial, Path(scratch), backup_id)
            elif connection.vendor == "postgresql":
                engine = "postgresql"
                counts = _backup_postgres(partial, Path(scratch), backup_id)
            else:
                raise BackupError(
                    _("No backup method for %(engine)s.") % {"engine": connection.vendor}
                )
        media_root = Path(settings.MEDIA_ROOT)
        checksums = media_checksums(media_root)
        with (
            EncryptingWriter(partial / MEDIA_ARCHIVE, role="media", backup_id=backup_id) as out,
            tarfile.open(fileobj=out, mode="w|gz") as archive,  # streamed: no plain copy
        ):
            for name in checksums:
                archive.add(media_root / name, arcname=name)
        manifest = {
            "format": 1,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": DATABASE_FILES[engine],
            "tables": counts,
            "media": checksums,
        }
        with EncryptingWriter(partial / MANIFEST, role="manifest", backup_id=backup_id) as out:
            out.write(json.dumps(manifest, indent=1, sort_keys=True).encode())
        partial.rename(target)  # a folder without ".partial" is complete
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def read_manifest(source: Path) -> dict:
    """The backup's manifest, decrypted and checked (BackupCryptoError if it cannot be)."""
    with tempfile.TemporaryDirectory(prefix="hx-manifest-") as scratch:
        plain = Path(scratch) / "manifest.json"
        backup_id = decrypt_to(Path(source) / MANIFEST, plain, role="manifest")
        manifest = json.loads(plain.read_text())
    manifest["backup_id"] = backup_id
    return manifest


def _refused(reason: str) -> BackupError:
    return BackupError(
        _("Restore refused; the database and the media folder were not touched. %(reason)s")
        % {"reason": reason}
    )


def _open_backup(source: Path, engine: str, scratch: Path) -> tuple[dict, Path, Path]:
    """Decrypt and check the whole backup into scratch before anything is restored: the
    manifest, then the database and media files, which must come from the same backup."""
    if not source.is_dir():
        raise _refused(_("%(folder)s is not a backup folder.") % {"folder": source})
    if not (source / MANIFEST).exists():
        if any((source / name).exists() for name in PLAINTEXT_FILES):
            raise _refused(
                _(
                    "%(folder)s is an unencrypted backup from an older version of the portal; "
                    "this version restores only encrypted backups."
                )
                % {"folder": source.name}
            )
        raise _refused(
            _("%(folder)s holds no %(file)s: it is not a complete backup.")
            % {"folder": source.name, "file": MANIFEST}
        )
    try:
        manifest = read_manifest(source)
        backup_engine = manifest["engine"]
        if not (
            (engine == "sqlite3" and backup_engine == "sqlite")
            or (engine == "postgresql" and backup_engine == "postgresql")
        ):
            raise _refused(
                _("A %(backup)s backup cannot be restored into %(target)s.")
                % {"backup": backup_engine, "target": engine}
            )
        files = {"database": manifest["database"], "media": MEDIA_ARCHIVE}
        plain = {}
        for role, name in files.items():
            if not (source / name).exists():
                raise _refused(
                    _("%(folder)s holds no %(file)s: it is not a complete backup.")
                    % {"folder": source.name, "file": name}
                )
            plain[role] = scratch / name.removesuffix(".enc")
            if decrypt_to(source / name, plain[role], role=role) != manifest["backup_id"]:
                raise _refused(
                    _("%(file)s belongs to another backup than the manifest of %(folder)s.")
                    % {"file": name, "folder": source.name}
                )
    except BackupCryptoError as error:
        raise _refused(str(error)) from error
    return manifest, plain["database"], plain["media"]


def restore_backup(source: Path, *, database: dict, media_root: Path) -> dict:
    """Restore a backup folder into `database` (a settings-style dict: ENGINE, NAME, …) and
    media_root, then compare counts and checksums with the manifest. Returns the report.

    Raises BackupError, before touching either, if any file of the backup cannot be
    decrypted with the configured key or is not whole."""
    source = Path(source)
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="hx-restore-") as scratch:
        manifest, db_file, media_file = _open_backup(source, engine, Path(scratch))
        if engine == "sqlite3":
            src = sqlite3.connect(db_file)
            dest = sqlite3.connect(database["NAME"])
            try:
                src.backup(dest)
            finally:
                src.close()
                dest.close()
            counts = sqlite_counts(Path(database["NAME"]))
        else:
            if shutil.which("pg_restore") is None:
                raise BackupError(
                    _("pg_restore is not installed (apt-get install postgresql-client).")
                )
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    f"--dbname={database['NAME']}",
                    str(db_file),
                ],
                env=_pg_env(database),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(
                    _("pg_restore failed: %(error)s") % {"error": result.stderr.strip()}
                )
            with _pg_connect(database) as conn, conn.cursor() as cursor:
                counts = pg_counts(cursor)
        media_root = Path(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(media_file, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
    checksums = media_checksums(media_root)
    return {
        "tables_expected": manifest["tables"],
        "tables_restored": counts,
        "table_mismatches": sorted(t for t, n in manifest["tables"].items() if counts.get(t) != n),
        "media_mismatches": sorted(
            name for name, digest in manifest["media"].items() if checksums.get(name) != digest
        ),
    }
