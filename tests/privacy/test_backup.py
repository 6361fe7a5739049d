"""Backup and restore drill, the way an operator runs it: a real database of the engine under
test (a file for SQLite, a database of its own on PostgreSQL) with data and photos;
`manage.py backup` while another process keeps writing; `manage.py restore` into a fresh
database and media folder; per-table counts and media SHA-256 compared.

The drill uses databases of its own, not the test database: pg_dump cannot see the test's
uncommitted rows, and a transactional test would empty the shared test database."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from privacy.backup import read_manifest
from privacy.backup_crypto import EncryptingWriter

BASE_DIR = Path(__file__).resolve().parents[2]

SEED = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from governance.services.setup import set_up_community
from community.models import Grid
c = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
for n in range(20):
    Grid.objects.create(community=c, code=f"S{n}", name=f"网格{n}")
"""

WRITER = """
import time, django; django.setup()
from community.models import Community, Grid
c = Community.objects.get(slug="hongxing")
n, end = 0, time.time() + float(__import__("os").environ["WRITE_SECONDS"])
while time.time() < end:
    Grid.objects.create(community=c, code=f"W{n}", name="写入中"); n += 1
print(n)
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Drill:
    """Two databases (the site's and a fresh one) of the engine the suite runs on."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        if connection.vendor == "sqlite":
            self.site_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
            self.fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
            self.drop = lambda: None
            return
        if connection.vendor != "postgresql":
            pytest.skip(f"no backup drill for {connection.vendor}")
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump/pg_restore missing: apt-get install postgresql-client")
        import psycopg

        s = connection.settings_dict
        self.params = {
            "user": s["USER"],
            "password": s["PASSWORD"],
            "host": s["HOST"] or "localhost",
            "port": s["PORT"] or 5432,
        }
        base = s["NAME"].removeprefix("test_")
        self.names = [f"{base}_drill_site", f"{base}_drill_fresh"]
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
            for name in self.names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
        p = self.params
        root = f"postgres://{p['user']}:{p['password']}@{p['host']}:{p['port']}"
        self.site_url, self.fresh_url = (f"{root}/{n}" for n in self.names)

        def drop():
            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
                for name in self.names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

        self.drop = drop

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.site_url,
            "MEDIA_ROOT": str(self.tmp / "media"),
            "CONN_MAX_AGE": "0",
            **extra,
        }
        return env

    def run(self, args, **extra) -> subprocess.CompletedProcess:
        result = subprocess.run(
            args, env=self.env(**extra), capture_output=True, text=True, timeout=300, cwd=BASE_DIR
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def counts(self, url) -> dict[str, int]:
        if url.startswith("sqlite"):
            db = sqlite3.connect(url.removeprefix("sqlite:///"))
            tables = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
            db.close()
            return counts
        import psycopg

        with psycopg.connect(dbname=url.rsplit("/", 1)[1], **self.params) as conn:
            tables = [
                r[0]
                for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
            ]
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def drill(tmp_path):
    drill = Drill(tmp_path)
    yield drill
    drill.drop()


def test_backup_while_the_site_writes_then_restore_into_a_fresh_database(drill, tmp_path):
    py = sys.executable
    drill.run([py, "-c", SEED])
    media = tmp_path / "media"
    (media / "requests" / "2025").mkdir(parents=True)
    (media / "requests" / "2025" / "a1b2.jpg").write_bytes(b"\xff\xd8photo-one" * 500)
    (media / "worklogs").mkdir()
    (media / "worklogs" / "c3d4.jpg").write_bytes(b"\xff\xd8photo-two" * 700)
    originals = {p.relative_to(media).as_posix(): _sha(p) for p in media.rglob("*") if p.is_file()}

    writer = subprocess.Popen(
        [py, "-c", WRITER],
        env=drill.env(WRITE_SECONDS="6"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=BASE_DIR,
    )
    try:
        import time

        time.sleep(2)  # the writer is in full swing
        out = drill.run([py, "manage.py", "backup", "--output", str(tmp_path / "backups")])
    finally:
        stdout, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 0, stderr
    assert int(stdout) > 0  # rows were written while the backup ran
    folder = Path(out.stdout.strip())
    assert folder.is_dir() and not folder.name.endswith(".partial")
    manifest = read_manifest(folder)

    result = drill.run(
        [
            py,
            "manage.py",
            "restore",
            str(folder),
            "--database-url",
            drill.fresh_url,
            "--media-root",
            str(tmp_path / "restored-media"),
            "--yes",
        ]
    )
    assert "行数和媒体文件均一致" in result.stdout  # counts and media match
    restored = drill.counts(drill.fresh_url)
    live = drill.counts(drill.site_url)
    # Every table came back, with exactly the rows of the backup's moment (a consistent
    # snapshot: fewer grids than the site has now, since the writer went on).
    assert restored == manifest["tables"]
    assert set(restored) == set(live)
    assert restored["auth_group"] == 5 and restored["community_community"] == 1
    assert 20 < restored["community_grid"] < live["community_grid"]
    restored_media = tmp_path / "restored-media"
    assert (
        {
            p.relative_to(restored_media).as_posix(): _sha(p)
            for p in restored_media.rglob("*")
            if p.is_file()
        }
        == originals
        == manifest["media"]
    )


def test_restore_refuses_without_yes_and_reports_a_tampered_backup(drill, tmp_path):
    py = sys.executable
    drill.run([py, "-c", SEED])
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "x.jpg").write_bytes(b"original")
    folder = Path(
        drill.run([py, "manage.py", "backup", "--output", str(tmp_path / "b")]).stdout.strip()
    )
    refused = subprocess.run(
        [py, "manage.py", "restore", str(folder), "--database-url", drill.fresh_url],
        env=drill.env(),
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    )
    assert refused.returncode != 0 and "--yes" in refused.stderr
    # A manifest that disagrees with the files (rewritten by someone holding the key: any
    # other change fails to decrypt, tests/privacy/test_backup_crypto.py) is reported.
    manifest = read_manifest(folder)
    manifest["media"]["x.jpg"] = "0" * 64
    (folder / "manifest.json.enc").unlink()
    with EncryptingWriter(
        folder / "manifest.json.enc", role="manifest", backup_id=manifest.pop("backup_id")
    ) as out:
        out.write(json.dumps(manifest).encode())
    tampered = subprocess.run(
        [
            py,
            "manage.py",
            "restore",
            str(folder),
            "--database-url",
            drill.fresh_url,
            "--media-root",
            str(tmp_path / "m"),
            "--yes",
        ],
        env=drill.env(),
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    )
    assert tampered.returncode != 0 and "x.jpg" in tampered.stderr
