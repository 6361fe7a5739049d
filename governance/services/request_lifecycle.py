"""The lifecycle of a resident request (诉求), shared by the staff steps and the resident's side.

    submitted ─accept→ accepted ─assign→ assigned ─start→ in progress ─resolve→ resolved
    ─follow up (回访)→ followed up ─close→ closed
    side exits: reject (with a reason) and merge (as a duplicate) before work starts;
    an unsolved or unsatisfied rating reopens the request (back to assigned, a new deadline).

Every step writes one RequestEvent (append-only) with the actor and the time. A step that the
current status does not allow raises ValidationError(code="transition_refused").

Two staff acting on one request from pages opened at the same state: each workflow form
carries the id of the request's last event as it was shown (`seen_event`,
request_workflow.last_event_id()); the step re-reads the request under its row lock and refuses
with code="request_changed", naming who changed what and when, if any event was written since.
Every write to a request after its submission happens under that lock and writes an event, so
the last event id is the request's version, and the first of two stale submissions wins while
the second changes nothing.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance import deadlines
from governance.models.requests import RequestEvent, ServiceRequest

Status = ServiceRequest.Status
Kind = RequestEvent.Kind

ACTION_LABELS = {
    "accept": _("Accept"),
    "reject": _("Reject"),
    "merge": _("Merge as duplicate"),
    "assign": _("Assign"),
    "start": _("Start work"),
    "resolve": _("Resolve"),
    "follow_up": _("Follow-up visit"),
    "close": _("Close"),
    "extend": _("Approve an extension"),
    "rate": _("Rate"),
}
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": (Status.SUBMITTED,),
    "reject": (Status.SUBMITTED, Status.ACCEPTED),
    "merge": (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED),
    "assign": (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS),
    "start": (Status.ASSIGNED,),
    "resolve": (Status.IN_PROGRESS,),
    "follow_up": (Status.RESOLVED,),
    "close": (Status.FOLLOWED_UP,),
    "extend": ServiceRequest.OPEN_STATUSES,
    "rate": (Status.RESOLVED, Status.FOLLOWED_UP),
}


def not_possible(service_request: ServiceRequest, action: str) -> ValidationError:
    """Why the request's state does not allow the action now: its status, or (for an
    extension) the one extension it already had."""
    if service_request.status not in ALLOWED_FROM[action]:
        return ValidationError(
            _("Request %(reference)s is “%(status)s”: “%(action)s” is not possible now.")
            % {
                "reference": service_request.reference,
                "status": service_request.get_status_display(),
                "action": ACTION_LABELS[action],
            },
            code="transition_refused",
        )
    return ValidationError(
        _("Request %(reference)s has already had its one extension.")
        % {"reference": service_request.reference},
        code="already_extended",
    )


def record_event(
    service_request: ServiceRequest,
    kind: str,
    *,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public_note: str = "",
    at: dt.datetime | None = None,
) -> RequestEvent:
    """Append one event to the request's history (events are never changed afterwards)."""
    return RequestEvent.objects.create(
        request=service_request,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public_note=public_note,
        at=at or timezone.now(),
    )


def _who(event: RequestEvent) -> str:
    if event.actor is None:
        return gettext("the resident")
    return event.actor.get_full_name() or event.actor.get_username()


def _check_unchanged(sr: ServiceRequest, seen_event: int | None) -> None:
    """Refuse when the request has events newer than the form's (call under the row lock)."""
    if seen_event is None:
        return
    newer = list(
        RequestEvent.objects.filter(request_id=sr.pk, id__gt=seen_event)
        .select_related("actor")
        .order_by("id")
    )
    if not newer:
        return
    changes = [
        gettext("“%(step)s” by %(who)s at %(time)s")
        % {
            "step": event.get_kind_display(),
            "who": _who(event),
            "time": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
        }
        for event in newer[-3:]
    ]
    if len(newer) > 3:
        changes.insert(0, gettext("%(count)d earlier changes") % {"count": len(newer) - 3})
    raise ValidationError(
        _(
            "Request %(reference)s was changed after you opened this page: %(changes)s. "
            "Nothing was saved. Check its state now; if your step is still needed, "
            "submit it again."
        )
        % {"reference": sr.reference, "changes": gettext("; ").join(changes)},
        code="request_changed",
    )


def lock_request(
    service_request: ServiceRequest, action: str, seen_event: int | None = None
) -> ServiceRequest:
    """The request re-read under a row lock, after checking that nobody changed it since the
    form was shown (seen_event) and that the action is allowed now. Call inside a transaction."""
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    _check_unchanged(locked, seen_event)
    if locked.status not in ALLOWED_FROM[action]:
        raise not_possible(locked, action)
    return locked


def lock_requests(requests, action: str) -> dict[int, ServiceRequest]:
    """Several requests re-read under row locks in one query (taken in id order, so two
    batches never wait for each other in a circle), each checked as lock_request does: the
    action must be allowed now. Call inside a transaction."""
    pks = [service_request.pk for service_request in requests]
    if len(set(pks)) != len(pks):
        raise ValueError("A request appears twice in one batch of steps.")
    locked = {
        sr.pk: sr
        for sr in ServiceRequest.objects.select_for_update()
        .filter(pk__in=pks)
        .defer("phone")  # no step reads it: not decrypted for nothing
        .order_by("pk")
    }
    for pk in pks:
        if pk not in locked:
            raise ServiceRequest.DoesNotExist(f"No request with id {pk}.")
        if locked[pk].status not in ALLOWED_FROM[action]:
            raise not_possible(locked[pk], action)
    return locked


def apply_steps(steps) -> None:
    """apply_step for many (locked) requests: `steps` holds (request, kind, to_status, actor,
    now, note, public_note, fields) tuples. Each request is saved as apply_step saves it (its
    own UPDATE of the fields the step sets, audited like any save); their events, the rows
    apply_step would write, go in with one INSERT."""
    events = []
    for sr, kind, to_status, actor, now, note, public_note, fields in steps:
        events.append(
            RequestEvent(
                request=sr,
                kind=kind,
                actor=actor,
                from_status=sr.status,
                to_status=to_status,
                note=note,
                public_note=public_note,
                at=now,
            )
        )
        sr.status = to_status
        for name, value in fields.items():
            setattr(sr, name, value)
        sr.save(update_fields=["status", *fields])
    RequestEvent.objects.bulk_create(events)


def apply_step(
    sr: ServiceRequest,
    kind: str,
    to_status: str,
    *,
    actor,
    now: dt.datetime,
    note: str = "",
    public_note: str = "",
    fields: dict | None = None,
) -> ServiceRequest:
    """Save the (locked) request in to_status with the given field values and write the
    step's event, from the status it had to to_status (the same status for a step that
    changes only fields, like an extension or a rating)."""
    from_status = sr.status
    sr.status = to_status
    for name, value in (fields or {}).items():
        setattr(sr, name, value)
    sr.save(update_fields=["status", *(fields or {})])
    record_event(
        sr,
        kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public_note=public_note,
        at=now,
    )
    return sr


def apply_rating(
    sr: ServiceRequest, *, solved: bool, satisfaction: str, comment: str, actor, now: dt.datetime
) -> ServiceRequest:
    """Record a rating on the (locked) request, the resident's or one taken at the follow-up;
    unsolved or unsatisfied sends the request back to whoever had it, with a fresh deadline."""
    apply_step(
        sr,
        Kind.RATED,
        sr.status,
        actor=actor,
        now=now,
        note=comment,
        fields={
            "rated_solved": solved,
            "satisfaction": satisfaction,
            "rating_comment": comment,
            "rated_at": now,
        },
    )
    if solved and satisfaction != ServiceRequest.Satisfaction.UNSATISFIED:
        return sr
    back_to = Status.ASSIGNED if (sr.assignee_id or sr.star_id) else Status.ACCEPTED
    due, provisional = deadlines.deadline_after(now, sr.category.deadline_class)
    return apply_step(
        sr,
        Kind.REOPENED,
        back_to,
        actor=actor,
        now=now,
        public_note=gettext("Reopened: the community will handle it again."),
        fields={
            "reopen_count": sr.reopen_count + 1,
            "resolved_at": None,
            "followed_up_at": None,
            "due_at": due,
            "due_provisional": provisional,
            "started_at": None,
        },
    )
