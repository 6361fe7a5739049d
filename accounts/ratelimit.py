"""Abuse limits: attempts counted per key in fixed windows, in the shared cache.

The limits themselves belong to the feature that sets them (e.g. the request pages'
REQUEST_LIMITS); settings.HX_RATE_LIMITS may override any scope's (attempts, seconds).
"""

import time

from django.conf import settings
from django.core.cache import cache


def hit_limit(scope: str, key: str, *, default: tuple[int, int]) -> bool:
    """Count one attempt in a fixed window (Django cache); True once the limit is passed."""
    limit, window = getattr(settings, "HX_RATE_LIMITS", {}).get(scope, default)
    cache_key = f"hx-limit:{scope}:{key}:{int(time.time() // window)}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, window)
        count = 1
    return count > limit
