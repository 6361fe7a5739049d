"""Fixtures for the security tests: the registry world of tests/community (two communities,
grids A and B, a canary resident) plus a star member, every account bound to the community."""

import pytest
from django.core.cache import cache

from accounts import roles
from tests.community.conftest import CANARY_ID, CANARY_PHONE, registry  # noqa: F401
from tests.factories import UserFactory

__all__ = ["CANARY_ID", "CANARY_PHONE"]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Own MEDIA_ROOT, an empty cache (rate limits, idle timers) and no proxy by default."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRUSTED_PROXY_COUNT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(registry):  # noqa: F811
    registry.star_member = UserFactory(
        username="star", role=roles.STAR_MEMBER, community=registry.community
    )
    registry.viewer.staff_profile.viewable_communities.add(registry.community)
    return registry
