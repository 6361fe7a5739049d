"""Writes to the work ledger (台账) and the weekly dispatch (周调度).

Who may write: the secretary and community staff write for every star of their community; a
star's lead and group members write their own star's records and read the others'.
A month whose scores are locked is frozen: changing one of its records needs the secretary
and a reason, is logged (LockedChange) and marks the score stale.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.access import has_role, is_secretary
from governance.models import (
    LockedChange,
    MonthlyScore,
    Star,
    StarMember,
    WeeklyTask,
    WorkLog,
    WorkLogPhoto,
)
from governance.periods import month_start, week_start
from privacy.images import attach_photo, clean_photo

# --- who may write -----------------------------------------------------------------------------


def writes_every_star(user) -> bool:
    return is_secretary(user) or has_role(user, roles.STAFF)


def own_star_ids(user) -> set[int]:
    """The stars whose team the user is on (one query, cached on the user)."""
    if not hasattr(user, "_own_star_ids"):
        user._own_star_ids = set(
            StarMember.objects.filter(user=user).values_list("star_id", flat=True)
        )
    return user._own_star_ids


def can_write_star(user, star_id: int) -> bool:
    return writes_every_star(user) or star_id in own_star_ids(user)


def writable_stars(user, community):
    stars = Star.objects.for_community(community)
    if writes_every_star(user):
        return stars
    return stars.filter(id__in=own_star_ids(user))


def check_stars(user, star_ids: Iterable[int]) -> None:
    """A star member writes a record only if one of its stars is theirs (joint work included)."""
    star_ids = set(star_ids)
    if writes_every_star(user) or (star_ids & own_star_ids(user)):
        return
    raise PermissionDenied(_("You may only keep the records of your own star."))


# --- locked months -----------------------------------------------------------------------------


def _scores_touched(*, community, touched, lock: bool) -> list[MonthlyScore]:
    pairs = {(star_id, month_start(day)) for star_id, day in touched}
    if not pairs:
        return []
    condition = Q()
    for star_id, month in pairs:
        condition |= Q(star_id=star_id, month=month)
    queryset = MonthlyScore.objects.filter(condition, community=community)
    if lock:
        queryset = queryset.select_for_update()
    return list(queryset)


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
    scores = _scores_touched(community=community, touched=touched, lock=True)
    locked = _refuse_locked(scores, actor=actor, reason=reason)
    label = f"{record._meta.verbose_name}: {record}"[:200]
    action = action or ("change" if record.pk else "add")
    LockedChange.objects.bulk_create(
        LockedChange(score=score, record=label, action=action, reason=reason, user=actor)
        for score in locked
    )
    if scores:
        MonthlyScore.objects.filter(id__in=[score.id for score in scores]).update(stale=True)
    return locked


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


def work_log_touched(*, worklog: WorkLog, date: datetime.date, star_ids: Iterable[int]) -> set:
    """The (star, day) pairs a change to a ledger entry touches: before and after."""
    touched = {(star_id, date) for star_id in star_ids}
    if worklog.pk:
        before = WorkLog.objects.filter(pk=worklog.pk).values_list("date", flat=True).first()
        touched |= {(star_id, before) for star_id in worklog.stars.values_list("id", flat=True)}
    return touched


def is_month_locked(*, community, star_ids: Iterable[int], day: datetime.date) -> bool:
    return MonthlyScore.objects.filter(
        community=community,
        star_id__in=list(star_ids),
        month=month_start(day),
        state=MonthlyScore.State.LOCKED,
    ).exists()


# --- the work ledger ---------------------------------------------------------------------------


@transaction.atomic
def save_work_log(*, worklog: WorkLog, stars: Iterable[Star], actor, reason: str = "") -> WorkLog:
    """Create or change a ledger entry with its stars (the admin and the forms call this)."""
    stars = list(stars)
    if not stars:
        raise ValidationError(_("Choose at least one star."), code="no_star")
    if any(star.community_id != worklog.community_id for star in stars):
        raise ValidationError(_("The stars must belong to the entry's community."), code="star")
    new_ids = {star.id for star in stars}
    touched = {(star_id, worklog.date) for star_id in new_ids}
    if worklog.pk:
        before = WorkLog.objects.select_for_update().get(pk=worklog.pk)
        old_ids = set(before.stars.values_list("id", flat=True))
        check_stars(actor, old_ids)
        check_stars(actor, new_ids)
        touched |= {(star_id, before.date) for star_id in old_ids}
    else:
        check_stars(actor, new_ids)
        if not worklog.author_id:
            worklog.author = actor
    guard_months(
        record=worklog, community=worklog.community, touched=touched, actor=actor, reason=reason
    )
    worklog.full_clean(exclude=["author"])
    worklog.save()
    worklog.stars.set(stars)
    return worklog


@transaction.atomic
def delete_work_log(*, worklog: WorkLog, actor, reason: str = "") -> None:
    star_ids = set(worklog.stars.values_list("id", flat=True))
    check_stars(actor, star_ids)
    delete_guarded(
        record=worklog,
        touched={(star_id, worklog.date) for star_id in star_ids},
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def add_work_log_photo(*, worklog: WorkLog, upload, actor, alt_text: str = "") -> WorkLogPhoto:
    """Clean the upload (re-encoded, EXIF removed), make its thumbnail and attach it."""
    photo = WorkLogPhoto(worklog=worklog, alt_text=alt_text)
    return save_work_log_photo(photo=photo, actor=actor, image=clean_photo(upload))


@transaction.atomic
def save_work_log_photo(*, photo: WorkLogPhoto, actor, image=None) -> WorkLogPhoto:
    """Save a photo; `image` is a new picture already passed through clean_photo()."""
    check_stars(actor, photo.worklog.stars.values_list("id", flat=True))
    if image is not None:
        attach_photo(photo, image)
    photo.save()
    return photo


# --- the weekly dispatch -----------------------------------------------------------------------


@transaction.atomic
def save_weekly_task(*, task: WeeklyTask, actor, reason: str = "") -> WeeklyTask:
    """Create or change a weekly task; closing it stamps closed_on, reopening clears it."""
    if task.star.community_id != task.community_id:
        raise ValidationError(_("The star belongs to another community."), code="star")
    touched = {(task.star_id, task.due_date)}
    star_ids = {task.star_id}
    if task.pk:
        before = WeeklyTask.objects.select_for_update().get(pk=task.pk)
        touched.add((before.star_id, before.due_date))
        star_ids.add(before.star_id)
    elif not task.created_by_id:
        task.created_by = actor
    for star_id in star_ids:
        check_stars(actor, {star_id})
    task.week_start = week_start(task.week_start)
    if task.status in WeeklyTask.OPEN_STATUSES:
        task.closed_on = None
    elif task.closed_on is None:
        task.closed_on = timezone.localdate()
    guard_months(record=task, community=task.community, touched=touched, actor=actor, reason=reason)
    task.full_clean(exclude=["created_by", "owner"])
    task.save()
    return task


@transaction.atomic
def delete_weekly_task(*, task: WeeklyTask, actor, reason: str = "") -> None:
    check_stars(actor, {task.star_id})
    delete_guarded(record=task, touched={(task.star_id, task.due_date)}, actor=actor, reason=reason)


@transaction.atomic
def dispatch_task(
    *,
    star: Star,
    title: str,
    owner,
    due_date: datetime.date,
    actor,
    week: datetime.date | None = None,
    description: str = "",
) -> WeeklyTask:
    task = WeeklyTask(
        community=star.community,
        star=star,
        week_start=week_start(week or due_date),
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    return save_weekly_task(task=task, actor=actor)


@transaction.atomic
def complete_task(
    *, task: WeeklyTask, outcome: str, actor, on: datetime.date | None = None, reason: str = ""
) -> WeeklyTask:
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome of the task."), code="outcome")
    task.status = WeeklyTask.Status.DONE
    task.outcome = outcome
    task.closed_on = on or timezone.localdate()
    return save_weekly_task(task=task, actor=actor, reason=reason)


@transaction.atomic
def carry_open_tasks(
    *, community, week: datetime.date, star_ids: Iterable[int] | None = None
) -> list[WeeklyTask]:
    """Carry the open tasks of a week into the next one (idempotent).

    Each open task is closed as "carried" on the next week's Monday and copied into that week
    due a week later; an unfinished task so costs one overdue point per week it slips.
    """
    week = week_start(week)
    following = week + datetime.timedelta(days=7)
    tasks = list(
        WeeklyTask.objects.select_for_update().for_community(community).for_week(week).open()
    )
    if star_ids is not None:
        tasks = [task for task in tasks if task.star_id in set(star_ids)]
    copies = []
    for task in tasks:
        copies.append(
            WeeklyTask(
                community_id=task.community_id,
                star_id=task.star_id,
                week_start=following,
                title=task.title,
                description=task.description,
                owner_id=task.owner_id,
                due_date=task.due_date + datetime.timedelta(days=7),
                carried_from=task,
                created_by_id=task.created_by_id,
            )
        )
    WeeklyTask.objects.filter(id__in=[t.id for t in tasks]).update(
        status=WeeklyTask.Status.CARRIED, closed_on=following, updated_at=timezone.now()
    )
    return WeeklyTask.objects.bulk_create(copies)


def carry_all_past_weeks(*, community, today: datetime.date | None = None) -> int:
    """Carry every past week's open tasks forward, week by week, up to the current week."""
    current = week_start(today or timezone.localdate())
    carried = 0
    while True:
        first = (
            WeeklyTask.objects.for_community(community)
            .open()
            .filter(week_start__lt=current)
            .order_by("week_start")
            .values_list("week_start", flat=True)
            .first()
        )
        if first is None:
            return carried
        carried += len(carry_open_tasks(community=community, week=first))
