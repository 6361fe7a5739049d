"""Encryption at rest of the backup files (privacy/backup.py): AES-256-GCM, streamed in chunks.

One encrypted file is

    header  b"HXBACKUP" | format version (1 byte) | key source (1 byte) | chunk size (4 bytes)
            | backup id (16 bytes) | salt (16 bytes) | key check (16 bytes)
    chunks  AES-256-GCM of chunk_size plaintext bytes each (the last one may be shorter or
            empty), each followed by its 16-byte tag

- The file's key and its key check come from HKDF-SHA256 over the backup key, with the file's
  own random salt: no two files share a key, so the nonce can be the chunk's number.
- The nonce also carries "last chunk or not", and every chunk authenticates the header and
  the file's role ("manifest", "database", "media") as associated data (the STREAM
  construction): a changed byte, a swapped or dropped chunk, a cut-off or extended file, a
  file moved to another role or another backup's folder, all fail to decrypt.
- The key check tells a wrong key apart from a damaged file before any chunk is read.

Only two chunks are in memory at a time, whatever the size of the file.

The backup key: BACKUP_ENCRYPTION_KEY when set, otherwise derived with HKDF from
FIELD_ENCRYPTION_KEY under a label of its own (config/settings.py explains the choice).
"""

import hmac
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MAGIC = b"HXBACKUP"
FORMAT_VERSION = 1
CHUNK_SIZE = 1 << 20  # 1 MiB of plaintext per chunk
TAG_SIZE = 16
HEADER = struct.Struct(">8sBBI16s16s16s")  # magic, version, key source, chunk size, id, salt, check
MAX_CHUNK_SIZE = 64 << 20

# Where the backup key came from (stored in the header, so a refusal can say which key to set).
KEY_FROM_BACKUP_SETTING = 1
KEY_FROM_FIELD_KEY = 2


class BackupCryptoError(Exception):
    """The file cannot be decrypted; the message says why, in the active language."""


class WrongKeyError(BackupCryptoError):
    pass


class DamagedFileError(BackupCryptoError):
    pass


def backup_key() -> tuple[bytes, int]:
    """The 32-byte backup key and where it came from."""
    explicit = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
    if explicit:
        return _hkdf(explicit.encode(), info=b"hongxing/backup-key/v1"), KEY_FROM_BACKUP_SETTING
    field_key = settings.FIELD_ENCRYPTION_KEY
    if not field_key:
        raise ImproperlyConfigured("Set BACKUP_ENCRYPTION_KEY or FIELD_ENCRYPTION_KEY.")
    # A label of its own: the field encryption (privacy/crypto.py) never uses this key.
    return _hkdf(field_key.encode(), info=b"hongxing/backup-key-from-field-key/v1"), (
        KEY_FROM_FIELD_KEY
    )


def _hkdf(secret: bytes, *, info: bytes, salt: bytes | None = None, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(secret)


def _file_keys(master: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = _hkdf(master, salt=salt, info=b"hongxing/backup-file/v1", length=48)
    return material[:32], material[32:]


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def new_backup_id() -> bytes:
    return os.urandom(16)


class EncryptingWriter:
    """A write-only file object: what is written to it lands encrypted in `path`.

    close() writes the last chunk; a writer that is never closed leaves a file that every
    reader refuses as truncated."""

    def __init__(self, path: Path, *, role: str, backup_id: bytes, chunk_size: int = CHUNK_SIZE):
        if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk_size")
        master, source = backup_key()
        salt = os.urandom(16)
        key, check = _file_keys(master, salt)
        self._aead = AESGCM(key)
        self._header = HEADER.pack(
            MAGIC, FORMAT_VERSION, source, chunk_size, backup_id, salt, check
        )
        self._aad = self._header + role.encode()
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self._file = open(path, "xb")  # noqa: SIM115 (closed in close())
        self._file.write(self._header)
        self.closed = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known at close().
        while len(self._buffer) > self._chunk_size:
            self._emit(bytes(self._buffer[: self._chunk_size]), final=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def flush(self) -> None:
        pass

    def _emit(self, plain: bytes, *, final: bool) -> None:
        self._file.write(self._aead.encrypt(_nonce(self._index, final), plain, self._aad))
        self._index += 1

    def close(self) -> None:
        if self.closed:
            return
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self.closed = True

    def abort(self) -> None:
        """Close without the last chunk (the file stays unreadable); for error paths."""
        if not self.closed:
            self._file.close()
            self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()


def encrypt_file(source: Path, target: Path, *, role: str, backup_id: bytes, **kwargs) -> None:
    with (
        open(source, "rb") as plain,
        EncryptingWriter(target, role=role, backup_id=backup_id, **kwargs) as writer,
    ):
        for block in iter(lambda: plain.read(CHUNK_SIZE), b""):
            writer.write(block)


def _parse_header(raw: bytes, name: str) -> dict:
    if len(raw) < len(MAGIC) or raw[: len(MAGIC)] != MAGIC:
        raise DamagedFileError(
            _("%(file)s is not an encrypted backup file of this portal.") % {"file": name}
        )
    if len(raw) < HEADER.size:
        raise DamagedFileError(
            _("%(file)s is truncated (its header is incomplete).") % {"file": name}
        )
    magic, version, source, chunk_size, backup_id, salt, check = HEADER.unpack(raw)
    if version != FORMAT_VERSION:
        raise DamagedFileError(
            _(
                "%(file)s is in backup format version %(version)d; this version of the portal "
                "reads version %(supported)d."
            )
            % {"file": name, "version": version, "supported": FORMAT_VERSION}
        )
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise DamagedFileError(_("%(file)s has a damaged header.") % {"file": name})
    master, current_source = backup_key()
    key, expected_check = _file_keys(master, salt)
    if not hmac.compare_digest(check, expected_check):
        raise WrongKeyError(_wrong_key_message(name, source, current_source))
    return {
        "raw": raw,
        "source": source,
        "chunk_size": chunk_size,
        "backup_id": backup_id,
        "key": key,
    }


def _wrong_key_message(name: str, source: int, current_source: int) -> str:
    if source == KEY_FROM_BACKUP_SETTING:
        made_with = _("the BACKUP_ENCRYPTION_KEY in force when it was made")
    elif source == KEY_FROM_FIELD_KEY:
        made_with = _(
            "the key derived from the FIELD_ENCRYPTION_KEY in force when it was made "
            "(BACKUP_ENCRYPTION_KEY was not set)"
        )
    else:
        made_with = _("another key")
    if current_source == KEY_FROM_BACKUP_SETTING:
        now = _("BACKUP_ENCRYPTION_KEY is set to another key")
    else:
        now = _("BACKUP_ENCRYPTION_KEY is not set and FIELD_ENCRYPTION_KEY gives another key")
    return _(
        "Wrong key: %(file)s was encrypted with %(made_with)s, but %(now)s. Set the key the "
        "backup was made with."
    ) % {"file": name, "made_with": made_with, "now": now}


def decrypt_to(path: Path, target: Path, *, role: str) -> bytes:
    """Decrypt `path` into the new file `target`, checking every chunk; returns the backup id.

    On any failure `target` is deleted and BackupCryptoError says what is wrong. Whoever
    calls this must not use `target` before it returns: the last chunk proves that nothing
    was cut off."""
    name = Path(path).name
    try:
        with open(path, "rb") as source, open(target, "xb") as plain:
            header = _parse_header(source.read(HEADER.size), name)
            aead = AESGCM(header["key"])
            aad = header["raw"] + role.encode()
            size = header["chunk_size"] + TAG_SIZE
            index = 0
            chunk = source.read(size)
            if not chunk:
                raise DamagedFileError(
                    _("%(file)s is truncated: it holds no data after its header.") % {"file": name}
                )
            while chunk:
                following = source.read(size)
                final = not following
                try:
                    plain.write(aead.decrypt(_nonce(index, final), chunk, aad))
                except InvalidTag:
                    raise _damaged(aead, name, index, chunk, aad, final) from None
                index += 1
                chunk = following
            plain.flush()
            os.fsync(plain.fileno())
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise
    return header["backup_id"]


def _damaged(aead, name: str, index: int, chunk: bytes, aad: bytes, final: bool):
    if final:
        try:
            aead.decrypt(_nonce(index, False), chunk, aad)
        except InvalidTag:
            pass
        else:  # a whole chunk that was not the last one: the rest was cut off
            return DamagedFileError(
                _("%(file)s is truncated: it ends after chunk %(chunk)d of a longer file.")
                % {"file": name, "chunk": index + 1}
            )
    return DamagedFileError(
        _(
            "%(file)s is damaged, truncated or was altered: chunk %(chunk)d fails its "
            "authentication check."
        )
        % {"file": name, "chunk": index + 1}
    )
