"""governance models, one module per concern; import them from here."""

from governance.models.star import Star, StarQuerySet

__all__ = ["Star", "StarQuerySet"]
