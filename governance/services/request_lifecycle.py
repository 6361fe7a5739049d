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

A request counts in the figures of the months it was received, resolved, due and rated in
(request_facts). A step that changes those facts for a month whose scores are locked (an
extension of a deadline that passed in it, a rejection, a rating that reopens a request
resolved in it) needs the party secretary and a reason (`change_reason`), like a change to the
ledger (governance.services.locked_months); a resident's own rating is never refused, and is
logged as the resident's.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance import deadlines
from governance.models.requests import RequestEvent, ServiceRequest
from governance.services.locked_months import (
    Change,
    community_stars,
    facts,
    guard_changes,
    record_label,
    touched_by,
)

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


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def request_facts(sr: ServiceRequest, star_ids: list[int]) -> set:
    """What the request counts for in the months' figures (governance.queries.metrics):
    received and resolved (the community's figures, every star), due with whether it counts
    and was met, and rated (its star's figures; every star when it has none)."""
    own = [sr.star_id] if sr.star_id else star_ids
    counted = sr.status not in (Status.REJECTED, Status.MERGED)
    on_time = bool(sr.resolved_at and sr.due_at and sr.resolved_at <= sr.due_at)
    return facts(
        star_ids,
        [
            (_local_day(sr.submitted_at), "received"),
            (_local_day(sr.resolved_at), "resolved", sr.submitted_at),
        ],
    ) | facts(
        own,
        [
            (_local_day(sr.due_at), "due", counted, on_time),
            (_local_day(sr.rated_at), "rated", sr.satisfaction, sr.rated_solved),
        ],
    )


def _guard_steps(planned, *, action: str) -> None:
    """Refuse (or log) the steps' changes to locked months' figures: `planned` holds
    (request, facts before, the community's stars, actor, change reason) with the request's
    new values set. Steps of one community, actor and reason are checked together."""
    groups: dict = {}
    for sr, before, stars, actor, reason in planned:
        change = Change(
            touched=touched_by(before, request_facts(sr, stars)),
            record=record_label(sr),
            action=action,
        )
        groups.setdefault((sr.community_id, actor, reason), []).append(change)
    for (community_id, actor, reason), changes in groups.items():
        guard_changes(
            community=community_id,
            changes=changes,
            actor=actor,
            reason=reason or (gettext("The resident's rating") if actor is None else ""),
            resident=actor is None,
        )


def apply_steps(steps, change_reasons=None) -> None:
    """apply_step for many (locked) requests: `steps` holds (request, kind, to_status, actor,
    now, note, public_note, fields) tuples. Each request is saved as apply_step saves it (its
    own UPDATE of the fields the step sets, audited like any save); their events, the rows
    apply_step would write, go in with one INSERT."""
    events = []
    guarded = []
    reasons = change_reasons or [""] * len(steps)
    star_ids = {}
    for (sr, kind, to_status, actor, now, note, public_note, fields), reason in zip(
        steps, reasons, strict=True
    ):
        if sr.community_id not in star_ids:
            star_ids[sr.community_id] = community_stars(sr.community_id)
        stars = star_ids[sr.community_id]
        guarded.append((sr, request_facts(sr, stars), stars, actor, reason))
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
    if steps:
        _guard_steps(guarded, action=steps[0][1])
    for sr, _kind, _to, _actor, _now, _note, _public, fields in steps:
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
    change_reason: str = "",
) -> ServiceRequest:
    """Save the (locked) request in to_status with the given field values and write the
    step's event, from the status it had to to_status (the same status for a step that
    changes only fields, like an extension or a rating). A change to a locked month's
    figures needs the secretary and change_reason (see the module's docstring)."""
    from_status = sr.status
    stars = community_stars(sr.community_id)
    before = request_facts(sr, stars)
    sr.status = to_status
    for name, value in (fields or {}).items():
        setattr(sr, name, value)
    _guard_steps([(sr, before, stars, actor, change_reason)], action=kind)
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
    sr: ServiceRequest,
    *,
    solved: bool,
    satisfaction: str,
    comment: str,
    actor,
    now: dt.datetime,
    change_reason: str = "",
) -> ServiceRequest:
    """Record a rating on the (locked) request, the resident's or one taken at the follow-up;
    unsolved or unsatisfied sends the request back to whoever had it, with a fresh deadline."""
    apply_step(
        sr,
        Kind.RATED,
        sr.status,
        actor=actor,
        now=now,
        change_reason=change_reason,
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
        change_reason=change_reason,
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
