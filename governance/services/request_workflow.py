"""The staff workflow of resident requests (诉求): accept, reject, merge, assign, start,
resolve, follow up, close, and the one extension.

Each step checks what the request's status allows and that nobody changed the request since the
form was shown (request_lifecycle.lock_request), then writes its fields and one event. Each takes
`now` (default: the current time) for every time it writes (its event, the status times, the
deadlines), so a past year can be replayed through the same steps.
"""

import datetime as dt
from collections.abc import Sequence

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
    lock_request,
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


# The steps that only move the request on and note when: action -> (event, status, time field).
_TIMED_STEPS = {
    "accept": (Kind.ACCEPTED, Status.ACCEPTED, "accepted_at"),
    "start": (Kind.STARTED, Status.IN_PROGRESS, "started_at"),
    "close": (Kind.CLOSED, Status.CLOSED, "closed_at"),
}


def _timed_step(action: str, service_request, actor, note, seen_event, now) -> ServiceRequest:
    kind, to_status, time_field = _TIMED_STEPS[action]
    sr = lock_request(service_request, action, seen_event)
    now = now or timezone.now()
    return apply_step(
        sr, kind, to_status, actor=actor, now=now, note=note, fields={time_field: now}
    )


@transaction.atomic
def accept_request(*, service_request: ServiceRequest, actor, note="", seen_event=None, now=None):
    """Take a submitted request on: the community will handle it."""
    return _timed_step("accept", service_request, actor, note, seen_event, now)


@transaction.atomic
def reject_request(
    *,
    service_request: ServiceRequest,
    actor,
    reason: str,
    seen_event: int | None = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Turn the request down; the reason is shown to the resident."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the rejection: the resident will read it.")},
            code="reason_required",
        )
    sr = lock_request(service_request, "reject", seen_event)
    now = now or timezone.now()
    return apply_step(
        sr,
        Kind.REJECTED,
        Status.REJECTED,
        actor=actor,
        now=now,
        public_note=reason,
        fields={"reject_reason": reason, "closed_at": now},
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
) -> ServiceRequest:
    """Close the request as a duplicate of another open one of the same community."""
    sr = lock_request(service_request, "merge", seen_event)
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
    now = now or timezone.now()
    public = gettext("Merged into request %(reference)s, which handles the same problem.") % {
        "reference": duplicate_of.reference
    }
    return apply_step(
        sr,
        Kind.MERGED,
        Status.MERGED,
        actor=actor,
        now=now,
        note=note,
        public_note=public,
        fields={"duplicate_of": duplicate_of, "closed_at": now},
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
) -> ServiceRequest:
    """Give the request to a grid worker or staff member and/or to a star's group."""
    if assignee is None and star is None:
        raise ValidationError(
            _("Choose a grid worker, a staff member or a star."), code="assignee_required"
        )
    sr = lock_request(service_request, "assign", seen_event)
    _check_assignee(sr, assignee)
    if star is not None and star.community_id != sr.community_id:
        raise ValidationError({"star": _("Unknown star.")}, code="bad_star")
    if grid is not None and grid.community_id != sr.community_id:
        raise ValidationError({"grid": _("Unknown grid.")}, code="bad_grid")
    now = now or timezone.now()
    fields = {"assignee": assignee, "assigned_at": now}
    if star is not None:
        fields["star"] = star
    if grid is not None:
        fields["grid"] = grid
    return apply_step(
        sr, Kind.ASSIGNED, Status.ASSIGNED, actor=actor, now=now, note=note, fields=fields
    )


@transaction.atomic
def start_request(*, service_request: ServiceRequest, actor, note="", seen_event=None, now=None):
    """The assignee starts the work."""
    return _timed_step("start", service_request, actor, note, seen_event, now)


def resolve_request(
    *,
    service_request: ServiceRequest,
    actor,
    note: str,
    photos: Sequence[ContentFile] = (),
    seen_event: int | None = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Record the resolution (shown to the resident) with up to 3 photos (already cleaned)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Describe what was done: the resident will read it.")},
            code="note_required",
        )
    check_photo_count(photos)
    with photo_files() as written, transaction.atomic():
        sr = lock_request(service_request, "resolve", seen_event)
        now = now or timezone.now()
        apply_step(
            sr,
            Kind.RESOLVED,
            Status.RESOLVED,
            actor=actor,
            now=now,
            public_note=note,
            fields={"resolved_at": now, "resolution_note": note},
        )
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
) -> ServiceRequest:
    """The follow-up visit or call (回访). A rating given there counts as the resident's; an
    unsolved or unsatisfied one reopens the request."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Write down what the resident said.")}, code="note_required"
        )
    if (solved is None) != (not satisfaction):
        raise ValidationError(
            _("Record both whether it is solved and the satisfaction, or neither."),
            code="partial_rating",
        )
    sr = lock_request(service_request, "follow_up", seen_event)
    now = now or timezone.now()
    apply_step(
        sr,
        Kind.FOLLOWED_UP,
        Status.FOLLOWED_UP,
        actor=actor,
        now=now,
        note=note,
        fields={"followed_up_at": now},
    )
    if solved is not None:
        apply_rating(
            sr, solved=solved, satisfaction=satisfaction, comment=note, actor=actor, now=now
        )
    return sr


@transaction.atomic
def close_request(*, service_request: ServiceRequest, actor, note="", seen_event=None, now=None):
    """Close the request after its follow-up."""
    return _timed_step("close", service_request, actor, note, seen_event, now)


@transaction.atomic
def extend_request(
    *,
    service_request: ServiceRequest,
    actor,
    working_days: int,
    reason: str,
    seen_event: int | None = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Approve the one extension a request may get (at most 15 working days)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")}, code="reason")
    if not 1 <= working_days <= deadlines.MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(
            {
                "working_days": _("An extension is 1 to %(max)d working days.")
                % {"max": deadlines.MAX_EXTENSION_WORKING_DAYS}
            },
            code="extension_length",
        )
    sr = lock_request(service_request, "extend", seen_event)
    if sr.extended_at is not None:
        raise not_possible(sr, "extend")
    now = now or timezone.now()
    new_due, provisional = deadlines.extend_deadline(sr.due_at, working_days)
    public = gettext("Expected completion moved to %(date)s.") % {
        "date": timezone.localtime(new_due).strftime("%Y-%m-%d %H:%M")
    }
    return apply_step(
        sr,
        Kind.EXTENDED,
        sr.status,
        actor=actor,
        now=now,
        note=reason,
        public_note=public,
        fields={
            "due_at": new_due,
            "due_provisional": provisional or sr.due_provisional,
            "extended_at": now,
        },
    )
