"""The working-day calendar: loading the State Council's schedule, staff's local corrections, and
the open requests' deadlines that follow them.

- load_official_calendar() stores the published schedule (governance.holidays) as official
  CalendarDay rows. A date staff corrected (a local row) is left alone: local rows win. It runs
  at install (migration 0012), in `make run` and by `manage.py load_holidays`, and is idempotent.
- save_calendar_day() / delete_calendar_days() are the admin's writes.
- Every change of the calendar recalculates the deadline of each open request it moves (the
  clock's start and an approved extension are kept) and writes a "deadline recalculated" event
  in that request's history. The extension's length is measured on the calendar as it was
  before the change, then added again on the calendar after it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from governance import deadlines, holidays
from governance.models.requests import CalendarDay, RequestEvent, ServiceRequest
from governance.services.request_lifecycle import record_event


@dataclass
class _Plan:
    """What an open request's deadline is made of, apart from the calendar."""

    request: ServiceRequest
    clock_start: dt.datetime
    extension_days: int


@dataclass
class CalendarResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    recalculated: int = 0


def _plans() -> list[_Plan]:
    """The open requests with their clock start (the submission, or the last reopening) and the
    working days of an extension approved since then, measured on the current calendar."""
    requests = list(ServiceRequest.objects.open().select_related("category").order_by("id"))
    if not requests:
        return []
    reopened = dict(
        RequestEvent.objects.filter(
            request__in=[r for r in requests if r.reopen_count],
            kind=RequestEvent.Kind.REOPENED,
        )
        .values("request")
        .annotate(last=Max("at"))
        .values_list("request", "last")
    )
    starts = {r.pk: reopened.get(r.pk, r.submitted_at) for r in requests}
    first = timezone.localtime(min(starts.values())).date()
    last = timezone.localtime(max(r.due_at for r in requests)).date()
    calendar = deadlines.WorkingCalendar(first, max(first, last) + dt.timedelta(days=40))
    plans = []
    for sr in requests:
        start = starts[sr.pk]
        extension = 0
        if sr.extended_at is not None and sr.extended_at >= start:
            base = deadlines.deadline_after(start, sr.category.deadline_class, calendar=calendar)
            extension = calendar.working_days_between(
                timezone.localtime(base.due).date(), timezone.localtime(sr.due_at).date()
            )
        plans.append(_Plan(sr, start, extension))
    return plans


def _recalculate(plans: list[_Plan], *, actor, reason: str) -> int:
    """Apply the calendar as it is now to the planned requests; returns how many moved."""
    if not plans:
        return 0
    first = timezone.localtime(min(p.clock_start for p in plans)).date()
    calendar = deadlines.WorkingCalendar(first, first + dt.timedelta(days=60))
    now, moved = timezone.now(), 0
    for plan in plans:
        sr = plan.request
        deadline = deadlines.deadline_after(
            plan.clock_start, sr.category.deadline_class, calendar=calendar
        )
        original = deadlines.deadline_after(
            sr.submitted_at, sr.category.deadline_class, calendar=calendar
        )
        if plan.extension_days:
            extended = deadlines.extend_deadline(
                deadline.due, plan.extension_days, calendar=calendar
            )
            provisional = deadline.provisional or extended.provisional
            deadline = deadlines.Deadline(extended.due, provisional)
        if (deadline.due, deadline.provisional) == (sr.due_at, sr.due_provisional):
            continue
        note = gettext("%(reason)s: due %(old)s, now %(new)s.") % {
            "reason": reason,
            "old": timezone.localtime(sr.due_at).strftime("%Y-%m-%d %H:%M"),
            "new": timezone.localtime(deadline.due).strftime("%Y-%m-%d %H:%M"),
        }
        ServiceRequest.objects.filter(pk=sr.pk).update(
            due_at=deadline.due, due_provisional=deadline.provisional, original_due_at=original.due
        )
        record_event(
            sr,
            RequestEvent.Kind.RECALCULATED,
            actor=actor,
            from_status=sr.status,
            to_status=sr.status,
            note=note,
            at=now,
        )
        moved += 1
    return moved


def _changing_calendar(change: Callable[[], CalendarResult], *, actor, reason: str):
    plans = _plans()
    result = change()
    result.recalculated = _recalculate(plans, actor=actor, reason=reason)
    return result


def _store_official(model=CalendarDay) -> CalendarResult:
    """Upsert the published schedule into model (the live model, or a migration's); local rows
    are kept, official rows the schedule no longer has are removed."""
    official = holidays.official_days()
    result = CalendarResult()
    existing = {row.date: row for row in model.objects.all()}
    new_rows, changed = [], []
    for day, (kind, name) in sorted(official.items()):
        row = existing.get(day)
        if row is None:
            new_rows.append(model(date=day, kind=kind, name=name, source="official"))
        elif row.source == "official" and (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            changed.append(row)
    model.objects.bulk_create(new_rows, batch_size=500)
    model.objects.bulk_update(changed, ["kind", "name"], batch_size=500)
    years = holidays.published_years()
    stale = [
        row.pk
        for day, row in existing.items()
        if row.source == "official" and day.year in years and day not in official
    ]
    model.objects.filter(pk__in=stale).delete()
    result.created, result.updated, result.removed = len(new_rows), len(changed), len(stale)
    return result


@transaction.atomic
def load_official_calendar(*, actor=None) -> CalendarResult:
    """Store the State Council's schedule and recalculate the open requests it moves."""
    return _changing_calendar(
        _store_official, actor=actor, reason=gettext("Holiday schedule loaded")
    )


@transaction.atomic
def save_calendar_day(*, day: CalendarDay, actor) -> CalendarResult:
    """Add or change a calendar day (the admin's form) and recalculate the open requests."""

    def change():
        created = day.pk is None
        day.save()
        return CalendarResult(created=int(created), updated=int(not created))

    reason = gettext("Calendar changed (%(day)s)") % {"day": f"{day.date:%Y-%m-%d}"}
    return _changing_calendar(change, actor=actor, reason=reason)


@transaction.atomic
def delete_calendar_days(*, days, actor) -> CalendarResult:
    """Delete calendar days (the admin's delete) and recalculate the open requests."""
    days = list(days)

    def change():
        removed, _ = CalendarDay.objects.filter(pk__in=[d.pk for d in days]).delete()
        return CalendarResult(removed=removed)

    label = ", ".join(f"{d.date:%Y-%m-%d}" for d in days[:5])
    reason = gettext("Calendar changed (%(day)s)") % {"day": label}
    return _changing_calendar(change, actor=actor, reason=reason)


def years_without_schedule(*, today: dt.date | None = None) -> list[int]:
    """The years deadlines may need and that have no published schedule: this year, and from
    November on (when the State Council usually publishes it) next year too."""
    today = today or timezone.localdate()
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    scheduled = deadlines.scheduled_years(wanted)
    return [year for year in wanted if year not in scheduled]
