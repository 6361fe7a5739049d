"""The date staff pages open on: today, or the demo's day (settings.PORTAL_TODAY).

A demo whose records are one past year would open every page on the real today: the month
dashboard "not calculated yet", every cared-for household hundreds of days overdue. With
PORTAL_TODAY set (`make run` sets the demo's last day), view_today() is that day instead. It is
only the default of what a page shows (the dashboard's month, "due/overdue as of" on the visit
and request lists, the current week and year of the navigation): nothing written to a record
ever takes its time from here; services keep timezone.now().
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def demo_today() -> dt.date | None:
    """The day the pages are set to (PORTAL_TODAY), or None on a real installation."""
    return getattr(settings, "PORTAL_TODAY", None)


def view_today() -> dt.date:
    """The default date of a staff page: PORTAL_TODAY when set, else the local today."""
    return demo_today() or timezone.localdate()


def view_now() -> dt.datetime:
    """The moment "overdue" is measured against on a staff page: the end of PORTAL_TODAY
    (local time) when set, else now."""
    day = demo_today()
    if day is None:
        return timezone.now()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end) - dt.timedelta(microseconds=1)
