"""Locked months: a change to the records behind a locked month's scores needs the party
secretary and a reason, is logged (LockedChange) and marks the scores stale; a change to an
unlocked month only marks its scores stale, for the next calculation to refresh.

The ledger, the weekly dispatch and the score inputs (veto events, manual values) all write
through guard_months() / guard_changes(); forms ask check_months() to show the refusal first.

Every other source of a month's figures (disputes, requests and their steps, pairings and their
contacts, and the registry's visits and volunteer hours through community.frozen_months) says
what it contributes as facts: (star, month, detail) triples, each a thing the month's figures
count (a dispute found, a request due and whether on time, a contact made). A change touches
the months whose facts differ before and after it (touched_by()), so work that goes on after a
month is locked (resolving last month's dispute this month) is not refused, while a change that
would alter a locked month's counts is. A fact the community's figures count whatever the star
(a visit, a request received) is given for every star (community_stars()).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.access import is_secretary
from governance.models import LockedChange, MonthlyScore, Star
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


def _refuse_locked(
    scores: list[MonthlyScore], *, actor, reason: str, resident: bool = False
) -> list[MonthlyScore]:
    """The locked scores among those touched; a change to them needs the secretary and a
    reason: PermissionDenied (not the secretary) or ValidationError (no reason).

    resident: the change is a resident's own step (a rating that reopens a request), which is
    never refused: it is logged with the reason given and no user."""
    locked = [score for score in scores if score.is_locked]
    if locked and not resident:
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


def guard_changes(
    *, community, changes: list[Change], actor, reason: str, resident: bool = False
) -> list[MonthlyScore]:
    """guard_months() for several records of one community: the scores they touch are read
    once; each locked score a record touches gets its LockedChange row (resident: see
    _refuse_locked; the row has no user)."""
    touched = set().union(*(change.touched for change in changes))
    scores = _scores_touched(community=community, touched=touched, lock=True)
    locked = _refuse_locked(scores, actor=actor, reason=reason, resident=resident)
    rows = []
    for change in changes:
        months = {(star_id, month_start(day)) for star_id, day in change.touched}
        rows += [
            LockedChange(
                score=score,
                record=change.record[:200],
                action=change.action,
                reason=reason,
                user=None if resident else actor,
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


# --- facts: what a record contributes to the months' figures -----------------------------------


def community_stars(community) -> list[int]:
    """The ids of the community's stars: a fact the community's figures count whatever the
    star is given for each of them (one query)."""
    community_id = getattr(community, "pk", community)
    return list(Star.objects.filter(community_id=community_id).values_list("id", flat=True))


def facts(star_ids: Iterable[int], dated: Iterable[tuple]) -> set:
    """(star, month, detail) for each star and each (day, *detail) of a record; a day None
    (a step not taken yet) counts in no month."""
    return {
        (star_id, month_start(day), tuple(detail))
        for day, *detail in dated
        if day is not None
        for star_id in star_ids
    }


def touched_by(before: Iterable[tuple], after: Iterable[tuple]) -> frozenset:
    """The (star, month) pairs whose facts differ before and after a change."""
    return frozenset((star_id, month) for star_id, month, _detail in set(before) ^ set(after))


def locked_facts(*, community, facts_of: Iterable[tuple]) -> bool:
    """Whether any of these facts lies in a locked month (the admin offers no delete then)."""
    pairs = {(star_id, month) for star_id, month, _detail in facts_of}
    return any(
        score.is_locked for score in _scores_touched(community=community, touched=pairs, lock=False)
    )


def guard_registry_change(
    *, record, community_id, before, after, actor, reason, action="", check_only=False
) -> None:
    """The guard of the registry's records (community.frozen_months): their facts, the
    community's figures whatever the star, go through check_months() or guard_changes()."""
    if check_only:
        stars = community_stars(community_id)
        touched = touched_by(facts(stars, before), facts(stars, after))
        check_months(community=community_id, touched=touched, actor=actor, reason=reason)
        return
    guard_registry_changes(
        community_id=community_id,
        changes=[(record, before, after)],
        actor=actor,
        reason=reason,
        action=action,
    )


def guard_registry_changes(*, community_id, changes, actor, reason, action="") -> None:
    """guard_registry_change() for many (record, facts before, facts after) of one community:
    its stars and the scores touched are read once for all of them."""
    stars = community_stars(community_id)
    guard_changes(
        community=community_id,
        changes=[
            Change(
                touched=touched_by(facts(stars, before), facts(stars, after)),
                record=record_label(record),
                action=action or ("change" if record.pk else "add"),
            )
            for record, before, after in changes
        ],
        actor=actor,
        reason=reason,
    )
