"""The back office for the work: one module per concern, all registered on import."""

from governance.admin import (  # noqa: F401
    calendar,
    council,
    disputes,
    honours,
    notices,
    projects,
    requests,
    scoring,
    star,
    unity,
    welfare,
    work,
)
