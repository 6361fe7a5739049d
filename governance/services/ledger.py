"""Writes to the work ledger (台账) and the weekly dispatch (周调度).

Who may write: the secretary and community staff write for every star of their community; a
star's lead and group members write their own star's records and read the others'; a grid
worker logs the work of their grids (for whichever stars it serves) and keeps the entries they
wrote.
A month whose scores are locked is frozen: changing one of its records needs the secretary
and a reason, is logged (LockedChange) and marks the score stale.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.access import has_role, is_secretary
from governance.models import (
    Star,
    StarMember,
    WeeklyTask,
    WorkLog,
    WorkLogPhoto,
)
from governance.periods import week_start
from governance.services.locked_months import (
    Change,
    delete_guarded,
    guard_each_community,
    record_label,
)
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


def logs_grid_work(user) -> bool:
    """A grid worker (网格员) logs their own work in the ledger, whatever star it serves."""
    return has_role(user, roles.GRID_WORKER)


def check_entry(user, star_ids: Iterable[int], *, author_id: int | None) -> None:
    """Who may write a ledger entry (author_id None: a new entry, which will be the user's):
    check_stars()'s rule, or a grid worker for the entries they wrote."""
    if logs_grid_work(user) and author_id in (None, user.pk):
        return
    check_stars(user, star_ids)


def writes_entry(user, worklog: WorkLog) -> bool:
    """Whether the user may change or delete this stored ledger entry."""
    try:
        check_entry(user, [star.id for star in worklog.stars.all()], author_id=worklog.author_id)
    except PermissionDenied:
        return False
    return True


def _locked_before(model, records) -> dict:
    """The stored rows of the records that have one, read under a row lock (one query)."""
    pks = [record.pk for record in records if record.pk]
    if not pks:
        return {}
    before = model.objects.select_for_update().in_bulk(pks)
    for pk in pks:
        if pk not in before:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    return before


def _clean_each(records, *, exclude: Iterable[str], settled: Iterable[str] = ()) -> None:
    """Model.full_clean() of each record, each foreign key value looked up once for them all.

    full_clean() checks that the row a foreign key points at exists, one query a key and
    record; a batch repeats its community, stars and people on every record. The same checks
    in the same order, with full_clean()'s errors: fields, clean(), uniqueness, constraints.
    `settled`: fields the service has just set so that the constraints on them hold; those
    constraints are not asked of the database again (a query and a savepoint a record).
    """
    exclude = set(exclude)
    settled = set(settled)
    keys = [f for f in records[0]._meta.concrete_fields if f.is_relation] if records else []
    checked = set()
    for record in records:
        known = {f.name for f in keys if (f.name, getattr(record, f.attname)) in checked}
        checked |= {(f.name, getattr(record, f.attname)) for f in keys}
        errors: dict = {}
        try:
            record.clean_fields(exclude=exclude | known)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            record.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for validate, skip in (
            (record.validate_unique, exclude),
            (record.validate_constraints, exclude | settled),
        ):
            failed = {name for name in errors if name != NON_FIELD_ERRORS}
            try:
                validate(exclude=skip | failed)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def work_log_touched(*, worklog: WorkLog, date: datetime.date, star_ids: Iterable[int]) -> set:
    """The (star, day) pairs a change to a ledger entry touches: before and after."""
    touched = {(star_id, date) for star_id in star_ids}
    if worklog.pk:
        before = WorkLog.objects.filter(pk=worklog.pk).values_list("date", flat=True).first()
        touched |= {(star_id, before) for star_id in worklog.stars.values_list("id", flat=True)}
    return touched


# --- the work ledger ---------------------------------------------------------------------------


@transaction.atomic
def save_work_log(*, worklog: WorkLog, stars: Iterable[Star], actor, reason: str = "") -> WorkLog:
    """Create or change a ledger entry with its stars (the admin and the forms call this)."""
    return save_work_logs(entries=[(worklog, stars)], actor=actor, reason=reason)[0]


@transaction.atomic
def save_work_logs(
    *, entries: Iterable[tuple[WorkLog, Iterable[Star]]], actor, reason: str = ""
) -> list[WorkLog]:
    """Create or change ledger entries, each with its stars (an import of a whole ledger).

    Each entry needs a star of its community that the actor may write for (before and after
    a change); a change to a locked month needs the secretary and a reason. Every entry is
    checked before any is written (the months they touch read once), so a refused entry
    leaves the ledger as it was.
    """
    entries = [(worklog, list(stars)) for worklog, stars in entries]
    worklogs = [worklog for worklog, _stars in entries]
    before = _locked_before(WorkLog, worklogs)
    old_ids: dict[int, set[int]] = {pk: set() for pk in before}
    links = WorkLog.stars.through.objects.filter(worklog_id__in=list(before))
    for worklog_id, star_id in links.values_list("worklog_id", "star_id"):
        old_ids[worklog_id].add(star_id)
    changes = []
    for worklog, stars in entries:
        if not stars:
            raise ValidationError(_("Choose at least one star."), code="no_star")
        if any(star.community_id != worklog.community_id for star in stars):
            raise ValidationError(_("The stars must belong to the entry's community."), code="star")
        new_ids = {star.id for star in stars}
        touched = {(star_id, worklog.date) for star_id in new_ids}
        if worklog.pk:
            author_id = before[worklog.pk].author_id
            check_entry(actor, old_ids[worklog.pk], author_id=author_id)
            check_entry(actor, new_ids, author_id=author_id)
            touched |= {(star_id, before[worklog.pk].date) for star_id in old_ids[worklog.pk]}
            action = "change"
        else:
            check_entry(actor, new_ids, author_id=worklog.author_id)
            if not worklog.author_id:
                worklog.author = actor
            action = "add"
        changes.append(
            Change(touched=frozenset(touched), record=record_label(worklog), action=action)
        )
    guard_each_community(worklogs, changes, actor=actor, reason=reason)
    _clean_each(worklogs, exclude=["author"])
    for worklog, stars in entries:
        new = worklog.pk is None
        worklog.save()
        if new:
            worklog.stars.add(*stars)  # what set() does on an entry without stars
        else:
            worklog.stars.set(stars)
    return worklogs


@transaction.atomic
def delete_work_log(*, worklog: WorkLog, actor, reason: str = "") -> None:
    star_ids = set(worklog.stars.values_list("id", flat=True))
    check_entry(actor, star_ids, author_id=worklog.author_id)
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
    worklog = photo.worklog
    check_entry(actor, worklog.stars.values_list("id", flat=True), author_id=worklog.author_id)
    if image is not None:
        attach_photo(photo, image)
    photo.save()
    return photo


# --- the weekly dispatch -----------------------------------------------------------------------


@transaction.atomic
def save_weekly_task(*, task: WeeklyTask, actor, reason: str = "") -> WeeklyTask:
    """Create or change a weekly task; closing it stamps closed_on, reopening clears it."""
    return save_weekly_tasks(tasks=[task], actor=actor, reason=reason)[0]


@transaction.atomic
def save_weekly_tasks(*, tasks: Iterable[WeeklyTask], actor, reason: str = "") -> list[WeeklyTask]:
    """Create or change weekly tasks (a term's dispatch at once); the rules of
    save_weekly_task for each, every task checked before any is written."""
    tasks = list(tasks)
    before = _locked_before(WeeklyTask, tasks)
    changes = []
    for task in tasks:
        if task.star.community_id != task.community_id:
            raise ValidationError(_("The star belongs to another community."), code="star")
        touched = {(task.star_id, task.due_date)}
        star_ids = {task.star_id}
        if task.pk:
            touched.add((before[task.pk].star_id, before[task.pk].due_date))
            star_ids.add(before[task.pk].star_id)
            action = "change"
        else:
            if not task.created_by_id:
                task.created_by = actor
            action = "add"
        for star_id in star_ids:
            check_stars(actor, {star_id})
        task.week_start = week_start(task.week_start)
        if task.status in WeeklyTask.OPEN_STATUSES:
            task.closed_on = None
        elif task.closed_on is None:
            task.closed_on = timezone.localdate()
        changes.append(Change(touched=frozenset(touched), record=record_label(task), action=action))
    guard_each_community(tasks, changes, actor=actor, reason=reason)
    # closed_on was set from the status above: the constraint tying them holds.
    _clean_each(tasks, exclude=["created_by", "owner"], settled=["closed_on"])
    for task in tasks:
        task.save()
    return tasks


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
