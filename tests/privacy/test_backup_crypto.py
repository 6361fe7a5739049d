"""Backups are encrypted and authenticated at rest (privacy/backup_crypto.py).

- The format itself, in-process: round trips at every chunk boundary; every flipped byte and
  every truncation refused; chunks swapped, files moved to another role; a wrong key named as
  such (which key, in Chinese and English); memory bounded whatever the file's size.
- The commands, the way an operator runs them (the drill of test_backup.py, on the engine the
  suite runs on): no plaintext in the backup folder or left in TMPDIR; a wrong key, a flipped
  byte, a cut-off file or a file of another backup are refused before the target database and
  media folder are touched; the right key restores."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.utils import translation

from privacy.backup_crypto import (
    HEADER,
    TAG_SIZE,
    BackupCryptoError,
    DamagedFileError,
    EncryptingWriter,
    WrongKeyError,
    decrypt_to,
    new_backup_id,
)
from tests.privacy.test_backup import BASE_DIR, SEED, Drill

pytestmark = pytest.mark.django_db  # the drill's databases are its own; this is for Django's
KEY_A = "backup-key-a-" + "a" * 40
KEY_B = "backup-key-b-" + "b" * 40


@pytest.fixture
def key_a(settings):
    settings.BACKUP_ENCRYPTION_KEY = KEY_A
    return settings


def _encrypt(path: Path, data: bytes, *, chunk_size=64, role="database", backup_id=None, step=7):
    with EncryptingWriter(
        path, role=role, backup_id=backup_id or new_backup_id(), chunk_size=chunk_size
    ) as writer:
        for start in range(0, len(data), step):  # written in odd pieces, as tarfile does
            writer.write(data[start : start + step])
    return path


def _decrypt(path: Path, tmp_path: Path, role="database") -> bytes:
    out = tmp_path / f"plain-{os.urandom(4).hex()}"
    decrypt_to(path, out, role=role)
    return out.read_bytes()


# --- the format ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 128, 129, 1000])
def test_round_trip_at_every_chunk_boundary(key_a, tmp_path, size):
    data = os.urandom(size)
    path = _encrypt(tmp_path / "f.enc", data)
    chunks = max(1, -(-size // 64))
    assert path.stat().st_size == HEADER.size + size + chunks * TAG_SIZE
    assert _decrypt(path, tmp_path) == data


def test_the_ciphertext_holds_none_of_the_plaintext(key_a, tmp_path):
    marker = "热依汗古丽·明文检查".encode()
    data = b"SQLite format 3\x00" + marker * 200
    raw = _encrypt(tmp_path / "f.enc", data, chunk_size=1 << 20).read_bytes()
    assert b"SQLite format 3" not in raw and marker not in raw
    # Two encryptions of the same data differ (a fresh salt, hence a fresh key, per file).
    again = _encrypt(tmp_path / "g.enc", data, chunk_size=1 << 20).read_bytes()
    assert raw[HEADER.size :] != again[HEADER.size :]


def test_every_flipped_byte_is_refused_and_leaves_no_output(key_a, tmp_path):
    path = _encrypt(tmp_path / "f.enc", os.urandom(50), chunk_size=16)
    original = path.read_bytes()
    for position in range(len(original)):
        changed = bytearray(original)
        changed[position] ^= 0x01
        path.write_bytes(changed)
        with pytest.raises(BackupCryptoError):
            decrypt_to(path, tmp_path / "out", role="database")
        assert not (tmp_path / "out").exists(), position


def test_every_truncation_is_refused(key_a, tmp_path):
    path = _encrypt(tmp_path / "f.enc", os.urandom(50), chunk_size=16)
    original = path.read_bytes()
    for length in range(len(original)):
        path.write_bytes(original[:length])
        with pytest.raises(BackupCryptoError):
            decrypt_to(path, tmp_path / "out", role="database")
        assert not (tmp_path / "out").exists(), length
    # Cut at a chunk boundary, the message says what happened.
    path.write_bytes(original[: HEADER.size + 2 * (16 + TAG_SIZE)])
    with translation.override("en"), pytest.raises(DamagedFileError) as error:
        decrypt_to(path, tmp_path / "out", role="database")
    assert "f.enc is truncated: it ends after chunk 2" in str(error.value)
    with translation.override("zh-hans"), pytest.raises(DamagedFileError) as error:
        decrypt_to(path, tmp_path / "out", role="database")
    assert "f.enc 不完整" in str(error.value)


def test_extra_bytes_swapped_chunks_and_another_role_are_refused(key_a, tmp_path):
    data = os.urandom(48)
    path = _encrypt(tmp_path / "f.enc", data, chunk_size=16)
    original = path.read_bytes()
    path.write_bytes(original + b"\x00" * (16 + TAG_SIZE))
    with pytest.raises(DamagedFileError):
        decrypt_to(path, tmp_path / "out", role="database")
    header, body = original[: HEADER.size], original[HEADER.size :]
    size = 16 + TAG_SIZE
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    path.write_bytes(header + chunks[1] + chunks[0] + b"".join(chunks[2:]))
    with pytest.raises(DamagedFileError):
        decrypt_to(path, tmp_path / "out", role="database")
    path.write_bytes(original)
    with pytest.raises(DamagedFileError):  # the database file offered as the media archive
        decrypt_to(path, tmp_path / "out", role="media")
    assert _decrypt(path, tmp_path) == data  # the file itself was fine all along


def test_a_wrong_key_is_named_as_such(settings, tmp_path):
    settings.BACKUP_ENCRYPTION_KEY = KEY_A
    path = _encrypt(tmp_path / "db.dump.enc", b"data")
    settings.BACKUP_ENCRYPTION_KEY = KEY_B
    with translation.override("en"), pytest.raises(WrongKeyError) as error:
        decrypt_to(path, tmp_path / "out", role="database")
    message = str(error.value)
    assert message.startswith("Wrong key: db.dump.enc was encrypted with the BACKUP_ENCRYPTION_KEY")
    assert "BACKUP_ENCRYPTION_KEY is set to another key" in message
    with translation.override("zh-hans"), pytest.raises(WrongKeyError) as error:
        decrypt_to(path, tmp_path / "out", role="database")
    assert str(error.value).startswith("密钥错误:db.dump.enc")
    assert not (tmp_path / "out").exists()


def test_without_its_own_key_the_backup_key_is_derived_from_the_field_key(settings, tmp_path):
    settings.BACKUP_ENCRYPTION_KEY = ""
    settings.FIELD_ENCRYPTION_KEY = "field-key-one"
    path = _encrypt(tmp_path / "f.enc", b"data")
    assert _decrypt(path, tmp_path) == b"data"
    # The derived key is not the field key itself (a label of its own) ...
    settings.BACKUP_ENCRYPTION_KEY = "field-key-one"
    with pytest.raises(WrongKeyError):
        decrypt_to(path, tmp_path / "out", role="database")
    # ... and another field key cannot read it; the message says which key was used.
    settings.BACKUP_ENCRYPTION_KEY = ""
    settings.FIELD_ENCRYPTION_KEY = "field-key-two"
    with translation.override("en"), pytest.raises(WrongKeyError) as error:
        decrypt_to(path, tmp_path / "out", role="database")
    assert "derived from the FIELD_ENCRYPTION_KEY" in str(error.value)


def test_memory_stays_bounded_for_a_large_file(key_a, tmp_path):
    """64 MiB through the writer and back: Python never holds more than a few chunks."""
    block = os.urandom(1 << 20)
    digest = hashlib.sha256()
    tracemalloc.start()
    try:
        with EncryptingWriter(tmp_path / "big.enc", role="media", backup_id=b"x" * 16) as out:
            for n in range(64):
                piece = block[n:] + block[:n]
                digest.update(piece)
                out.write(piece)
        decrypt_to(tmp_path / "big.enc", tmp_path / "big", role="media")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak
    check = hashlib.sha256()
    with (tmp_path / "big").open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            check.update(chunk)
    assert check.hexdigest() == digest.hexdigest()


def test_production_refuses_a_short_backup_key():
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"} | {
        "SECRET_KEY": "x" * 60,
        "FIELD_ENCRYPTION_KEY": "y" * 40,
        "BACKUP_ENCRYPTION_KEY": "short",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
    )
    assert result.returncode != 0
    assert "BACKUP_ENCRYPTION_KEY must have at least 32 characters" in result.stderr


# --- the commands ----------------------------------------------------------------------------

RESIDENT = "热依汗古丽·明文检查"
SEED_RESIDENT = (
    SEED
    + f"""
from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory
home = HouseholdFactory(
    community=c,
    building=BuildingFactory(community=c, grid=Grid.objects.get(code="S0"), number="7号楼"),
    door_number="702",
)
ResidentFactory(community=c, household=home, name="{RESIDENT}")
"""
)
PHOTO = b"\xff\xd8\xff\xe0" + b"photo-bytes-that-must-not-appear-in-the-backup" * 40


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Target:
    """The database and media folder a refused restore must leave exactly as they were."""

    def __init__(self, drill: Drill, tmp_path: Path):
        self.drill, self.media = drill, tmp_path / "target-media"
        self.media.mkdir()
        (self.media / "keep.txt").write_bytes(b"already here")
        if drill.fresh_url.startswith("sqlite"):
            self.path = Path(drill.fresh_url.removeprefix("sqlite:///"))
            db = sqlite3.connect(self.path)
            db.execute("CREATE TABLE marker (note TEXT)")
            db.execute("INSERT INTO marker VALUES ('untouched')")
            db.commit()
            db.close()
        else:
            import psycopg

            with psycopg.connect(
                dbname=drill.fresh_url.rsplit("/", 1)[1], autocommit=True, **drill.params
            ) as conn:
                conn.execute("CREATE TABLE marker (note TEXT)")
                conn.execute("INSERT INTO marker VALUES ('untouched')")
        self.before = self.state()

    def state(self):
        media = {p.name: _sha(p) for p in self.media.rglob("*") if p.is_file()}
        if self.drill.fresh_url.startswith("sqlite"):
            return media, _sha(self.path)
        return media, self.drill.counts(self.drill.fresh_url)

    def restore(self, folder: Path, **env) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "manage.py",
                "restore",
                str(folder),
                "--database-url",
                self.drill.fresh_url,
                "--media-root",
                str(self.media),
                "--yes",
            ],
            env=self.drill.env(**env),
            capture_output=True,
            text=True,
            cwd=BASE_DIR,
            timeout=300,
        )


@pytest.fixture
def drill(tmp_path):
    drill = Drill(tmp_path)
    yield drill
    drill.drop()


def _backup(drill: Drill, tmp_path: Path, **env) -> Path:
    out = drill.run([sys.executable, "manage.py", "backup", "--output", str(tmp_path / "b")], **env)
    return Path(out.stdout.strip())


def test_the_backup_folder_holds_no_plaintext_and_leaves_none_behind(drill, tmp_path):
    drill.run([sys.executable, "-c", SEED_RESIDENT])
    (tmp_path / "media" / "requests").mkdir(parents=True)
    (tmp_path / "media" / "requests" / "p.jpg").write_bytes(PHOTO)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    folder = _backup(drill, tmp_path, TMPDIR=str(scratch))
    files = sorted(p.name for p in folder.iterdir())
    database = "db.sqlite3.enc" if drill.site_url.startswith("sqlite") else "db.dump.enc"
    assert files == sorted([database, "manifest.json.enc", "media.tar.gz.enc"])
    forbidden = [
        b"SQLite format 3",  # the SQLite file header
        b"PGDMP",  # pg_dump's custom-format header
        RESIDENT.encode(),
        "网格".encode(),
        PHOTO[:64],
        b"p.jpg",  # a media file's name, in the tar archive and the manifest
        b'"tables"',  # the manifest's JSON
    ]
    for path in folder.iterdir():
        raw = path.read_bytes()
        assert raw.startswith(b"HXBACKUP")
        assert [word for word in forbidden if word in raw] == [], path.name
    assert list(scratch.iterdir()) == []  # the plain SQLite copy went with its scratch folder
    # The database really was in there: the right key gives the resident back.
    target = Target(drill, tmp_path)
    result = target.restore(folder)
    assert result.returncode == 0, result.stderr
    assert "行数和媒体文件均一致" in result.stdout
    assert (target.media / "requests" / "p.jpg").read_bytes() == PHOTO
    if drill.fresh_url.startswith("sqlite"):
        db = sqlite3.connect(target.path)
        names = [r[0] for r in db.execute("SELECT name FROM community_resident")]
        db.close()
        assert names == [RESIDENT]


def _flip(path: Path, position: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[position] ^= 0x40
    path.write_bytes(raw)


def test_a_restore_is_refused_before_anything_is_touched(drill, tmp_path):
    drill.run([sys.executable, "-c", SEED_RESIDENT])
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "x.jpg").write_bytes(PHOTO)
    folder = _backup(drill, tmp_path)
    other = _backup(drill, tmp_path)  # a second backup, for the mix-up below
    database = next(p.name for p in folder.iterdir() if p.name.startswith("db."))
    target = Target(drill, tmp_path)

    def variant(name: str, change) -> Path:
        copy = tmp_path / f"variant-{name}"
        shutil.copytree(folder, copy)
        change(copy)
        return copy

    size = (folder / database).stat().st_size
    cases = {
        "wrong key": (folder, {"BACKUP_ENCRYPTION_KEY": KEY_B}, "密钥错误"),
        "flipped byte": (
            variant("flip", lambda f: _flip(f / database, size // 2)),
            {},
            "已损坏、不完整或被改动",
        ),
        "truncated": (
            variant("cut", lambda f: f.joinpath(database).write_bytes(
                f.joinpath(database).read_bytes()[:-100])),
            {},
            "已损坏、不完整或被改动",
        ),
        "media archive's last byte flipped": (
            variant("media", lambda f: _flip(f / "media.tar.gz.enc", -1)),
            {},
            "media.tar.gz.enc",
        ),
        "another backup's manifest": (
            variant("mix", lambda f: shutil.copy(other / "manifest.json.enc", f)),
            {},
            "属于另一个备份",
        ),
        "missing file": (
            variant("missing", lambda f: f.joinpath("media.tar.gz.enc").unlink()),
            {},
            "不是完整的备份",
        ),
    }  # fmt: skip
    for case, (source, env, words) in cases.items():
        result = target.restore(source, **env)
        assert result.returncode != 0, case
        assert "恢复已拒绝,数据库和媒体文件夹均未改动" in result.stderr, (case, result.stderr)
        assert words in result.stderr, (case, result.stderr)
        assert target.state() == target.before, case
    # The untouched backup with the right key restores.
    result = target.restore(folder)
    assert result.returncode == 0, result.stderr
    assert target.state() != target.before


def test_an_unencrypted_backup_of_an_older_version_is_refused(drill, tmp_path):
    folder = tmp_path / "backup-old"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    (folder / "db.sqlite3").write_bytes(b"SQLite format 3\x00")
    target = Target(drill, tmp_path)
    result = target.restore(folder)
    assert result.returncode != 0 and "未加密" in result.stderr
    assert target.state() == target.before


def test_the_writer_cannot_be_left_half_written_unnoticed(key_a, tmp_path):
    """An interrupted backup (the writer never closed) is refused as truncated."""
    writer = EncryptingWriter(tmp_path / "f.enc", role="media", backup_id=b"y" * 16, chunk_size=16)
    writer.write(os.urandom(100))
    writer.abort()
    with pytest.raises(DamagedFileError):
        decrypt_to(tmp_path / "f.enc", tmp_path / "out", role="media")
