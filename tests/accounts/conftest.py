"""Fixtures of the accounts tests: the login and two-factor tests run in the security tests'
world (two communities, grids A and B, every account bound) with the same isolation."""

from tests.security.conftest import _isolated, registry, world  # noqa: F401
