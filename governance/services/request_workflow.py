"""The staff workflow of resident requests (诉求): accept, reject, merge, assign, start,
resolve, follow up, close, and the one extension.

Each step checks what the request's status allows and that nobody changed the request since the
form was shown (request_lifecycle.lock_request), then writes its fields and one event. Each takes
`now` (default: the current time) for every time it writes (its event, the status times, the
deadlines), so a past year can be replayed through the same steps.

Every step is one entry of STEPS: the checks of its values (made before the lock) and the
Change it plans on the locked request. The single functions (accept_request, ...) and
take_steps(), the same step for many requests at once, both run those entries, so a batch
obeys exactly the rules of a step taken from a form.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.models import Grid, GridMember
from governance import deadlines
from governance.models.requests import RequestEvent, RequestPhoto, ServiceRequest
from governance.services.request_lifecycle import (
    ALLOWED_FROM,
    Kind,
    Status,
    apply_rating,
    apply_step,
    apply_steps,
    lock_request,
    lock_requests,
    not_possible,
)
from governance.services.request_photos import check_photo_count, photo_files, save_photos

STAFF_ACTIONS = [a for a in ALLOWED_FROM if a != "rate"]


def available_actions(service_request: ServiceRequest) -> list[str]:
    """The staff actions the request's status allows (extension: only once)."""
    actions = [a for a in STAFF_ACTIONS if service_request.status in ALLOWED_FROM[a]]
    if service_request.extended_at is not None and "extend" in actions:
        actions.remove("extend")
    return actions


def last_event_id(service_request: ServiceRequest) -> int:
    """The request's version for a workflow form: the id of its last event (0: none yet)."""
    last = (
        RequestEvent.objects.filter(request_id=service_request.pk)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


@dataclass(frozen=True)
class Change:
    """What a step writes on a (locked) request: its event, the status it leaves the request
    in, the fields it sets and the event's notes (staff-only and shown to the resident)."""

    kind: str
    to_status: str
    fields: dict
    note: str = ""
    public_note: str = ""


def _timed(kind: str, to_status: str, time_field: str):
    """A step that only moves the request on and notes when (accept, start, close)."""

    def plan(sr: ServiceRequest, now: dt.datetime, *, note: str = "") -> Change:
        return Change(kind, to_status, {time_field: now}, note=note)

    return plan


def _check_reason(*, reason: str, **_values) -> None:
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Give the reason for the rejection: the resident will read it.")},
            code="reason_required",
        )


def _plan_reject(sr: ServiceRequest, now: dt.datetime, *, reason: str) -> Change:
    reason = reason.strip()
    return Change(
        Kind.REJECTED,
        Status.REJECTED,
        {"reject_reason": reason, "closed_at": now},
        public_note=reason,
    )


def _plan_merge(
    sr: ServiceRequest, now: dt.datetime, *, duplicate_of: ServiceRequest, note: str = ""
) -> Change:
    if duplicate_of.pk == sr.pk or duplicate_of.community_id != sr.community_id:
        raise ValidationError(
            {"duplicate_of": _("Choose another request of the same community.")},
            code="bad_duplicate",
        )
    if duplicate_of.status in (Status.MERGED, Status.REJECTED):
        raise ValidationError(
            {
                "duplicate_of": _(
                    "Merge into the original request, not into a merged or rejected one."
                )
            },
            code="bad_duplicate",
        )
    public = gettext("Merged into request %(reference)s, which handles the same problem.") % {
        "reference": duplicate_of.reference
    }
    return Change(
        Kind.MERGED,
        Status.MERGED,
        {"duplicate_of": duplicate_of, "closed_at": now},
        note=note,
        public_note=public,
    )


def _check_assignee(sr: ServiceRequest, assignee) -> None:
    """The assignee must be active and work in the request's community (staff or grid)."""
    if assignee is None:
        return
    in_community = (
        getattr(getattr(assignee, "staff_profile", None), "community_id", None) == sr.community_id
        or GridMember.objects.filter(user=assignee, grid__community_id=sr.community_id).exists()
    )
    if not (assignee.is_active and in_community):
        raise ValidationError(
            {"assignee": _("This person does not work in the request's community.")},
            code="bad_assignee",
        )


def _check_assign(*, assignee=None, star=None, **_values) -> None:
    if assignee is None and star is None:
        raise ValidationError(
            _("Choose a grid worker, a staff member or a star."), code="assignee_required"
        )


def _plan_assign(
    sr: ServiceRequest, now: dt.datetime, *, assignee=None, star=None, grid=None, note=""
) -> Change:
    _check_assignee(sr, assignee)
    if star is not None and star.community_id != sr.community_id:
        raise ValidationError({"star": _("Unknown star.")}, code="bad_star")
    if grid is not None and grid.community_id != sr.community_id:
        raise ValidationError({"grid": _("Unknown grid.")}, code="bad_grid")
    fields = {"assignee": assignee, "assigned_at": now}
    if star is not None:
        fields["star"] = star
    if grid is not None:
        fields["grid"] = grid
    return Change(Kind.ASSIGNED, Status.ASSIGNED, fields, note=note)


def _check_resolution(*, note: str, photos: Sequence[ContentFile] = (), **_values) -> None:
    if not (note or "").strip():
        raise ValidationError(
            {"note": _("Describe what was done: the resident will read it.")},
            code="note_required",
        )
    check_photo_count(photos)


def _plan_resolve(sr: ServiceRequest, now: dt.datetime, *, note: str) -> Change:
    note = note.strip()
    return Change(
        Kind.RESOLVED,
        Status.RESOLVED,
        {"resolved_at": now, "resolution_note": note},
        public_note=note,
    )


def _check_follow_up(*, note: str, solved=None, satisfaction: str = "", **_values) -> None:
    if not (note or "").strip():
        raise ValidationError(
            {"note": _("Write down what the resident said.")}, code="note_required"
        )
    if (solved is None) != (not satisfaction):
        raise ValidationError(
            _("Record both whether it is solved and the satisfaction, or neither."),
            code="partial_rating",
        )


def _plan_follow_up(sr: ServiceRequest, now: dt.datetime, *, note: str) -> Change:
    return Change(Kind.FOLLOWED_UP, Status.FOLLOWED_UP, {"followed_up_at": now}, note=note.strip())


def _check_extension(*, working_days: int, reason: str, **_values) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")}, code="reason")
    if not 1 <= working_days <= deadlines.MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(
            {
                "working_days": _("An extension is 1 to %(max)d working days.")
                % {"max": deadlines.MAX_EXTENSION_WORKING_DAYS}
            },
            code="extension_length",
        )


def _plan_extend(sr: ServiceRequest, now: dt.datetime, *, working_days: int, reason: str):
    if sr.extended_at is not None:
        raise not_possible(sr, "extend")
    new_due, provisional = deadlines.extend_deadline(sr.due_at, working_days)
    public = gettext("Expected completion moved to %(date)s.") % {
        "date": timezone.localtime(new_due).strftime("%Y-%m-%d %H:%M")
    }
    return Change(
        Kind.EXTENDED,
        sr.status,
        {
            "due_at": new_due,
            "due_provisional": provisional or sr.due_provisional,
            "extended_at": now,
        },
        note=reason.strip(),
        public_note=public,
    )


def _no_check(**_values) -> None:
    return None


# action -> (the checks of its values, made before the lock; its Change, planned on the
# locked request, which may still refuse).
STEPS = {
    "accept": (_no_check, _timed(Kind.ACCEPTED, Status.ACCEPTED, "accepted_at")),
    "reject": (_check_reason, _plan_reject),
    "merge": (_no_check, _plan_merge),
    "assign": (_check_assign, _plan_assign),
    "start": (_no_check, _timed(Kind.STARTED, Status.IN_PROGRESS, "started_at")),
    "resolve": (_check_resolution, _plan_resolve),
    "follow_up": (_check_follow_up, _plan_follow_up),
    "close": (_no_check, _timed(Kind.CLOSED, Status.CLOSED, "closed_at")),
    "extend": (_check_extension, _plan_extend),
}


def _take(
    action: str, service_request, actor, seen_event, now, change_reason="", **values
) -> ServiceRequest:
    """One step on one request: check the values, lock, plan, write (call in a transaction).
    change_reason: the secretary's reason for a step that changes a locked month's figures."""
    check, plan = STEPS[action]
    check(**values)
    sr = lock_request(service_request, action, seen_event)
    now = now or timezone.now()
    change = plan(sr, now, **values)
    return apply_step(
        sr,
        change.kind,
        change.to_status,
        actor=actor,
        now=now,
        note=change.note,
        public_note=change.public_note,
        fields=change.fields,
        change_reason=change_reason,
    )


@transaction.atomic
def accept_request(
    *, service_request: ServiceRequest, actor, note="", seen_event=None, now=None, change_reason=""
):
    """Take a submitted request on: the community will handle it."""
    return _take("accept", service_request, actor, seen_event, now, change_reason, note=note)


@transaction.atomic
def reject_request(
    *,
    service_request: ServiceRequest,
    actor,
    reason: str,
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """Turn the request down; the reason is shown to the resident."""
    return _take(
        "reject", service_request, actor, seen_event, now, change_reason, reason=reason or ""
    )


@transaction.atomic
def merge_request(
    *,
    service_request: ServiceRequest,
    actor,
    duplicate_of: ServiceRequest,
    note: str = "",
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """Close the request as a duplicate of another open one of the same community."""
    return _take(
        "merge",
        service_request,
        actor,
        seen_event,
        now,
        change_reason,
        duplicate_of=duplicate_of,
        note=note,
    )


@transaction.atomic
def assign_request(
    *,
    service_request: ServiceRequest,
    actor,
    assignee=None,
    star=None,
    grid: Grid | None = None,
    note: str = "",
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """Give the request to a grid worker or staff member and/or to a star's group."""
    return _take(
        "assign",
        service_request,
        actor,
        seen_event,
        now,
        change_reason,
        assignee=assignee,
        star=star,
        grid=grid,
        note=note,
    )


@transaction.atomic
def start_request(
    *, service_request: ServiceRequest, actor, note="", seen_event=None, now=None, change_reason=""
):
    """The assignee starts the work."""
    return _take("start", service_request, actor, seen_event, now, change_reason, note=note)


def resolve_request(
    *,
    service_request: ServiceRequest,
    actor,
    note: str,
    photos: Sequence[ContentFile] = (),
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """Record the resolution (shown to the resident) with up to 3 photos (already cleaned)."""
    _check_resolution(note=note, photos=photos)
    with photo_files() as written, transaction.atomic():
        sr = _take("resolve", service_request, actor, seen_event, now, change_reason, note=note)
        save_photos(sr, photos, stage=RequestPhoto.Stage.RESOLVED, written=written)
        return sr


@transaction.atomic
def follow_up_request(
    *,
    service_request: ServiceRequest,
    actor,
    note: str,
    solved: bool | None = None,
    satisfaction: str = "",
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """The follow-up visit or call (回访). A rating given there counts as the resident's; an
    unsolved or unsatisfied one reopens the request."""
    _check_follow_up(note=note, solved=solved, satisfaction=satisfaction)
    now = now or timezone.now()
    sr = _take("follow_up", service_request, actor, seen_event, now, change_reason, note=note or "")
    if solved is not None:
        apply_rating(
            sr,
            solved=solved,
            satisfaction=satisfaction,
            comment=note.strip(),
            actor=actor,
            now=now,
            change_reason=change_reason,
        )
    return sr


@transaction.atomic
def close_request(
    *, service_request: ServiceRequest, actor, note="", seen_event=None, now=None, change_reason=""
):
    """Close the request after its follow-up."""
    return _take("close", service_request, actor, seen_event, now, change_reason, note=note)


@transaction.atomic
def extend_request(
    *,
    service_request: ServiceRequest,
    actor,
    working_days: int,
    reason: str,
    seen_event: int | None = None,
    now: dt.datetime | None = None,
    change_reason: str = "",
) -> ServiceRequest:
    """Approve the one extension a request may get (at most 15 working days)."""
    return _take(
        "extend",
        service_request,
        actor,
        seen_event,
        now,
        change_reason,
        working_days=working_days,
        reason=reason or "",
    )


@dataclass(frozen=True)
class Step:
    """One request's step in a batch (take_steps): who takes it, when (default: now) and the
    values its single function takes (note, reason, assignee, duplicate_of, ...); like the
    single step, one that changes a locked month's figures needs the secretary's
    change_reason."""

    service_request: ServiceRequest
    actor: object
    now: dt.datetime | None = None
    values: dict = field(default_factory=dict)
    change_reason: str = ""


@transaction.atomic
def take_steps(action: str, steps: Sequence[Step]) -> list[ServiceRequest]:
    """The same step for many requests at once, all or nothing: each is checked exactly as its
    single function checks it (the same STEPS), the requests are locked together, then written
    with one UPDATE and their events with one INSERT. Returns the requests in the order given.

    For work on many requests with no form in between (the demo's year, a bulk action): no
    `seen_event`, no photos, no rating at the follow-up (a rating is the resident's, one by
    one); the single functions take those.
    """
    if action not in STEPS:
        raise ValueError(f"Unknown step {action!r}.")
    check, plan = STEPS[action]
    for step in steps:
        if step.values.get("photos") or step.values.get("solved") is not None:
            raise ValueError("Photos and ratings are recorded one request at a time.")
        check(**step.values)
    locked = lock_requests([step.service_request for step in steps], action)
    planned = []
    for step in steps:
        sr = locked[step.service_request.pk]
        now = step.now or timezone.now()
        change = plan(sr, now, **step.values)
        planned.append(
            (
                sr,
                change.kind,
                change.to_status,
                step.actor,
                now,
                change.note,
                change.public_note,
                change.fields,
            )
        )
    apply_steps(planned, [step.change_reason for step in steps])
    return [locked[step.service_request.pk] for step in steps]
