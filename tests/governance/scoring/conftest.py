"""The scoring tests share the work tests' fixtures, plus a test rate source."""

import pytest

from governance.queries.indicators import RATE_SOURCES, rate_source
from tests.governance.ledger.conftest import (  # noqa: F401
    bind,
    clerk,
    log,
    make_user,
    member,
    other_community,
    sec,
    stars,
    task,
)


@pytest.fixture
def test_rate():
    """Registers the rate "test_rate" (numerator, denominator set by the test) and removes it."""
    state = {"value": (0, 0), "calls": []}

    def compute(*, community, start, end, star=None):
        state["calls"].append((community.id, start, end, star.code if star else None))
        return state["value"]

    rate_source("test_rate", "Test rate", records_url=lambda **kw: "/records/test-rate/")(compute)
    yield state
    RATE_SOURCES.pop("test_rate", None)
