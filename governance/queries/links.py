"""Links from a figure to the records behind it.

A figure on the dashboard or in the annual summary carries the address of exactly the rows it
was computed from: an admin changelist filtered by the same conditions (a date range is always
start <= date < end), or the record's own admin page.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from governance.models import Indicator
from governance.queries.indicators import RATE_SOURCES


def admin_url(name: str, params: dict | None = None, *, args=None) -> str:
    """The URL of an admin view, with the changelist filters as its query string."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def day(value: datetime.date) -> str:
    """A date as a changelist filter value."""
    return value.isoformat()


def moment(value: datetime.date) -> str:
    """A date as an aware ISO timestamp in the current time zone (for datetime filters)."""
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min)).isoformat()


def ledger_url(star_id: int, *, start, end, kind: str = "") -> str:
    """The work-log entries of a star (joint work included) in [start, end), of one kind or all."""
    params = {"stars__id__exact": star_id, "date__gte": day(start), "date__lt": day(end)}
    if kind:
        params["kind__exact"] = kind
    return admin_url("admin:governance_worklog_changelist", params)


def overdue_tasks_url(star_id: int, *, start, end) -> str:
    """The star's weekly tasks due in [start, end) and not finished by their due date."""
    params = {
        "star__id__exact": star_id,
        "due_date__gte": day(start),
        "due_date__lt": day(end),
        "overdue": "yes",
    }
    return admin_url("admin:governance_weeklytask_changelist", params)


def veto_url(star_id: int, *, start, end) -> str:
    """The star's veto events in [start, end)."""
    params = {"star__id__exact": star_id, "date__gte": day(start), "date__lt": day(end)}
    return admin_url("admin:governance_vetoevent_changelist", params)


def records_url(indicator: Indicator, *, start, end) -> str:
    """The admin changelist (or the module's own page) showing the records behind an actual."""
    if indicator.source in (Indicator.Source.LEDGER_COUNT, Indicator.Source.LEDGER_SUM):
        return ledger_url(indicator.star_id, start=start, end=end, kind=indicator.kind)
    if indicator.source == Indicator.Source.MANUAL:
        params = {"indicator__id__exact": indicator.id, "month": day(start)}
        return admin_url("admin:governance_manualvalue_changelist", params)
    source = RATE_SOURCES.get(indicator.rate_key)
    if source is None or source.records_url is None:
        return ""
    return (
        source.records_url(community=indicator.community, start=start, end=end, star=indicator.star)
        or ""
    )
