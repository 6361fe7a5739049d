"""Locked months: a change to the records behind a locked month's scores needs the party
secretary and a reason, is logged (LockedChange) and marks the scores stale; a change to an
unlocked month only marks its scores stale, for the next calculation to refresh.

The ledger, the weekly dispatch and the score inputs (veto events, manual values) all write
through guard_months() / guard_changes(); forms ask check_months() to show the refusal first.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.access import is_secretary
from governance.models import LockedChange, MonthlyScore
from governance.periods import month_start


def _scores_touched(*, community, touched, lock: bool) -> list[MonthlyScore]:
    """The scores of the (star, day) pairs touched, in one query: the stars' rows of the months
    (locked for update when asked), of which those of a touched pair are kept. A batch touches
    hundreds of pairs: one OR condition a pair would be a query longer than the batch."""
    pairs = {(star_id, month_start(day)) for star_id, day in touched}
    if not pairs:
        return []
    queryset = MonthlyScore.objects.filter(
        community=community,
        star_id__in={star_id for star_id, _month in pairs},
        month__in={month for _star_id, month in pairs},
    )
    if lock:
        queryset = queryset.select_for_update()
    return [score for score in queryset if (score.star_id, score.month) in pairs]


def _refuse_locked(scores: list[MonthlyScore], *, actor, reason: str) -> list[MonthlyScore]:
    """The locked scores among those touched; a change to them needs the secretary and a
    reason: PermissionDenied (not the secretary) or ValidationError (no reason)."""
    locked = [score for score in scores if score.is_locked]
    if locked:
        months = ", ".join(sorted({f"{score.month:%Y-%m}" for score in locked}))
        if not is_secretary(actor):
            raise PermissionDenied(
                _(
                    "The scores of %(months)s are locked; only the party secretary may "
                    "change its records."
                )
                % {"months": months}
            )
        if not (reason or "").strip():
            raise ValidationError(
                _("The scores of %(months)s are locked: give the reason for this change.")
                % {"months": months},
                code="reason_required",
            )
    return locked


def check_months(
    *, community, touched: Iterable[tuple[int, datetime.date]], actor, reason: str
) -> list[MonthlyScore]:
    """Refuse a change to (star, day) pairs of a locked month unless the secretary gives a reason.

    Raises PermissionDenied (not the secretary) or ValidationError (no reason); returns the
    locked scores touched. Forms call it to show the error before saving.
    """
    scores = _scores_touched(community=community, touched=touched, lock=False)
    return _refuse_locked(scores, actor=actor, reason=reason)


@dataclass(frozen=True)
class Change:
    """One record's change as the locked-month guard sees it: the (star, day) pairs it touches
    (before and after), the record's name and the action, for the LockedChange log."""

    touched: frozenset
    record: str
    action: str


def record_label(record) -> str:
    """How the log of locked months names a record: its kind and its own name."""
    return f"{record._meta.verbose_name}: {record}"[:200]


def guard_months(
    *,
    record,
    community,
    touched: Iterable[tuple[int, datetime.date]],
    actor,
    reason: str,
    action: str = "",
) -> list[MonthlyScore]:
    """check_months(), then log the change to locked months and mark the scores touched stale.

    record is the row being written, named in the log; action is "add" or "change" by whether
    it is saved yet, unless given ("delete"). Scores that are not locked only become stale: the
    next calculation refreshes them.
    """
    action = action or ("change" if record.pk else "add")
    change = Change(touched=frozenset(touched), record=record_label(record), action=action)
    return guard_changes(community=community, changes=[change], actor=actor, reason=reason)


def delete_guarded(*, record, touched, actor, reason: str) -> None:
    """Delete a row of the ledger or the scores, guarded like a change (guard_months)."""
    guard_months(
        record=record,
        community=record.community,
        touched=touched,
        actor=actor,
        reason=reason,
        action="delete",
    )
    record.delete()


def guard_changes(*, community, changes: list[Change], actor, reason: str) -> list[MonthlyScore]:
    """guard_months() for several records of one community: the scores they touch are read
    once; each locked score a record touches gets its LockedChange row."""
    touched = set().union(*(change.touched for change in changes))
    scores = _scores_touched(community=community, touched=touched, lock=True)
    locked = _refuse_locked(scores, actor=actor, reason=reason)
    rows = []
    for change in changes:
        months = {(star_id, month_start(day)) for star_id, day in change.touched}
        rows += [
            LockedChange(
                score=score,
                record=change.record[:200],
                action=change.action,
                reason=reason,
                user=actor,
            )
            for score in locked
            if (score.star_id, score.month) in months
        ]
    LockedChange.objects.bulk_create(rows)
    if scores:
        MonthlyScore.objects.filter(id__in=[score.id for score in scores]).update(stale=True)
    return locked


def guard_each_community(records, changes: list[Change], *, actor, reason: str) -> None:
    """guard_changes() for the records of each community (the records and changes in pairs)."""
    by_community: dict[int, list[Change]] = {}
    for record, change in zip(records, changes, strict=True):
        by_community.setdefault(record.community_id, []).append(change)
    for community_id, group in by_community.items():
        guard_changes(community=community_id, changes=group, actor=actor, reason=reason)


def is_month_locked(*, community, star_ids: Iterable[int], day: datetime.date) -> bool:
    return MonthlyScore.objects.filter(
        community=community,
        star_id__in=list(star_ids),
        month=month_start(day),
        state=MonthlyScore.State.LOCKED,
    ).exists()
