"""The back office for the work: one module per concern, all registered on import."""

from governance.admin import star  # noqa: F401
