"""Rate sources for the six-star indicators (issue: monthly scores).

A rate source computes (numerator, denominator) for a community and a date range, in SQL,
optionally for one star. Modules that own the records register their rates here, e.g.

    @rate_source("request_on_time", _("On-time request resolution"))
    def request_on_time(*, community, start, end, star=None) -> tuple[int, int]: ...

Registered keys (each owned by the module that keeps the records):
    request_on_time, request_satisfaction,
    dispute_resolution                         -- requests and disputes (queries/metrics.py)
    visit_coverage, dual_registration_service -- the registry's visits and volunteer hours
                                                 (queries/registry_rates.py)
    pairing_contact                            -- ethnic-unity pairings (queries/unity.py)
Modules register on import; GovernanceConfig.ready() imports them. An indicator whose key no
module provides is kept in its star's month as "not available", with that reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise


@dataclass(frozen=True)
class RateSource:
    key: str
    label: str | Promise
    compute: Callable[..., tuple[int, int]]
    # (community, start, end, star) -> URL of the records behind the rate, or None.
    records_url: Callable[..., str | None] | None = None


RATE_SOURCES: dict[str, RateSource] = {}


def rate_source(key: str, label, *, records_url=None):
    def decorator(func):
        RATE_SOURCES[key] = RateSource(key=key, label=label, compute=func, records_url=records_url)
        return func

    return decorator


def compute_rate(key: str, *, community, start: date, end: date, star=None) -> tuple[int, int]:
    return RATE_SOURCES[key].compute(community=community, start=start, end=end, star=star)
