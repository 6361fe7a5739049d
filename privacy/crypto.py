"""Field-level protection of personal data (ID numbers, phones).

- EncryptedTextField stores Fernet ciphertext; Python code sees plain text.
- blind_index() is a keyed hash (HMAC-SHA256) for exact lookup and uniqueness without
  decrypting: store it beside the ciphertext in an indexed column.
- The masked forms shown everywhere by default are privacy.masks'.

Both keys are derived from FIELD_ENCRYPTION_KEY (environment); rotating it needs a
re-encryption migration, which is why the derivation is versioned ("v1").
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _derive(purpose: str) -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY
    if not secret:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY in the environment.")
    return hashlib.sha256(f"hongxing:v1:{purpose}:{secret}".encode()).digest()


@cache
def _fernet(secret: str) -> Fernet:  # keyed by the secret so tests may override it
    return Fernet(base64.urlsafe_b64encode(_derive("fernet")))


def fernet() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Cannot decrypt a protected field: is FIELD_ENCRYPTION_KEY the key it was written with?"
        ) from exc


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of a normalised value, for exact lookups ("id_number", "phone")."""
    if not value:
        return ""
    return hmac.new(_derive(f"index:{purpose}"), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding Fernet ciphertext; empty stays empty. Not searchable: use a
    blind_index() column for lookups."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
