"""Backups that are consistent while the site is in use, and their restore.

A backup is a folder holding
- db.sqlite3 (SQLite's online backup API, page by page, never a file copy of a live database)
  or db.dump (pg_dump's custom format, taken in the same snapshot as the row counts);
- media.tar.gz (the uploaded photos and files);
- manifest.json: when, which engine, the row count of every table and the SHA-256 of every
  media file, so that a restore can prove it is complete.

The field-encryption key (FIELD_ENCRYPTION_KEY) is NOT in the backup: keep it apart, or the
residents' ID numbers and phones in the copy cannot be read (docs/deployment.md).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


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


def _backup_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    dest = sqlite3.connect(target / "db.sqlite3")
    try:
        connection.connection.backup(dest, pages=256)
    finally:
        dest.close()
    return sqlite_counts(target / "db.sqlite3")


def _backup_postgres(target: Path) -> dict[str, int]:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (apt-get install postgresql-client).")
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    ) as conn:
        # One snapshot for the counts and the dump: writes during the backup are in neither.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        with conn.cursor() as cursor:
            counts = pg_counts(cursor)
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target / 'db.dump'}",
            ],
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
        )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


def make_backup(output_dir: Path) -> Path:
    """Write one backup folder under output_dir and return it."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(output_dir) / f"backup-{stamp}"
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True)
    try:
        if connection.vendor == "sqlite":
            engine, counts = "sqlite", _backup_sqlite(partial)
        elif connection.vendor == "postgresql":
            engine, counts = "postgresql", _backup_postgres(partial)
        else:
            raise BackupError(f"No backup method for {connection.vendor}.")
        media_root = Path(settings.MEDIA_ROOT)
        checksums = media_checksums(media_root)
        with tarfile.open(partial / MEDIA_ARCHIVE, "w:gz") as archive:
            for name in checksums:
                archive.add(media_root / name, arcname=name)
        manifest = {
            "created": timezone.now().isoformat(),
            "engine": engine,
            "tables": counts,
            "media": checksums,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial.rename(target)  # a folder without ".partial" is complete
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def restore_backup(source: Path, *, database: dict, media_root: Path) -> dict:
    """Restore a backup folder into `database` (a settings-style dict: ENGINE, NAME, …) and
    media_root, then compare counts and checksums with the manifest. Returns the report."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3" and manifest["engine"] == "sqlite":
        src = sqlite3.connect(source / "db.sqlite3")
        dest = sqlite3.connect(database["NAME"])
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
        counts = sqlite_counts(Path(database["NAME"]))
    elif engine == "postgresql" and manifest["engine"] == "postgresql":
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed (apt-get install postgresql-client).")
        result = subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={database['NAME']}",
                str(source / "db.dump"),
            ],
            env=_pg_env(database),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        import psycopg

        with (
            psycopg.connect(
                dbname=database["NAME"],
                user=database.get("USER") or None,
                password=database.get("PASSWORD") or None,
                host=database.get("HOST") or None,
                port=database.get("PORT") or None,
            ) as conn,
            conn.cursor() as cursor,
        ):
            counts = pg_counts(cursor)
    else:
        raise BackupError(f"A {manifest['engine']} backup cannot be restored into {engine}.")
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
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
