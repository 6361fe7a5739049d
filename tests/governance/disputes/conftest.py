"""The dispute tests share the request tests' places and staff fixtures."""

from tests.governance.requests.conftest import (  # noqa: F401
    _isolated,
    category,
    office,
    places,
    worker,
)
