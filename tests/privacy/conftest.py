"""Fixtures of the privacy tests: the registry of tests/community with its canary resident
(masking), and the security tests' world with the same isolation (audit trail, backups)."""

from tests.community.conftest import (  # noqa: F401
    CANARY_ID,
    CANARY_PHONE,
    plain_clerk,
    registry,
)
from tests.security.conftest import _isolated, world  # noqa: F401
