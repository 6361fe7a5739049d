"""Resident requests (诉求): submission, the staff workflow, the resident's rating, extensions.

The lifecycle (DESIGN §3):

    submitted ─accept→ accepted ─assign→ assigned ─start→ in progress ─resolve→ resolved
    ─follow up (回访)→ followed up ─close→ closed
    side exits: reject (with a reason) and merge (as a duplicate) before work starts;
    an unsolved or unsatisfied rating reopens the request (back to assigned, a new deadline).

Every step writes one RequestEvent (append-only) with the actor and the time. A step that the
current status does not allow raises ValidationError(code="transition_refused").

Two staff acting on one request from pages opened at the same state: each workflow form
carries the id of the request's last event as it was shown (`seen_event`, last_event_id());
the step re-reads the request under its row lock and refuses with code="request_changed",
naming who changed what and when, if any event was written since. Every write to a request
after its submission happens under that lock and writes an event, so the last event id is
the request's version, and the first of two stale submissions wins while the second changes
nothing.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.models import Building, Community, Compound, Grid, GridMember, Unit
from community.validators import normalize_mobile
from governance import deadlines
from governance.models import Star
from governance.models.requests import (
    ReferenceCounter,
    RequestCategory,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from privacy.crypto import blind_index

Status = ServiceRequest.Status
Kind = RequestEvent.Kind
MAX_PHOTOS = 3
REFERENCE_PREFIX = "HX"

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
STAFF_ACTIONS = [a for a in ALLOWED_FROM if a != "rate"]


def available_actions(service_request: ServiceRequest) -> list[str]:
    """The staff actions the request's status allows (extension: only once)."""
    actions = [a for a in STAFF_ACTIONS if service_request.status in ALLOWED_FROM[a]]
    if service_request.extended_at is not None and "extend" in actions:
        actions.remove("extend")
    return actions


def can_rate(service_request: ServiceRequest) -> bool:
    return service_request.status in ALLOWED_FROM["rate"] and not (
        service_request.rated_at
        and service_request.resolved_at
        and service_request.rated_at >= service_request.resolved_at
    )


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


def normalise_reference(value: str) -> str:
    return "".join(str(value or "").split()).upper().replace("—", "-").replace("－", "-")


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose="phone")


# --- submission --------------------------------------------------------------------------


def next_reference(*, community: Community, year: int) -> str:
    """The next reference of the community's year: unique and gapless.

    Must run inside the submitting transaction: the counter row stays locked until it commits
    (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), and a
    rolled-back submission gives its number back.
    """
    ReferenceCounter.objects.get_or_create(community=community, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(community=community, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_reference(year, counter.last)


def _check_place(*, community, compound, building, unit):
    """The picked places must belong together and to the community; returns them completed."""
    if unit is not None:
        if building is not None and unit.building_id != building.pk:
            raise ValidationError(
                {"unit": _("This unit is not in the chosen building.")}, code="place_mismatch"
            )
        building = building or unit.building
    if building is not None:
        if compound is not None and building.compound_id != compound.pk:
            raise ValidationError(
                {"building": _("This building is not in the chosen compound.")},
                code="place_mismatch",
            )
        if building.community_id != community.pk:
            raise ValidationError({"building": _("Unknown building.")}, code="place_mismatch")
        compound = compound or building.compound
    if compound is not None and compound.community_id != community.pk:
        raise ValidationError({"compound": _("Unknown compound.")}, code="place_mismatch")
    return compound, building, unit


def submit_request(
    *,
    community: Community,
    category: RequestCategory,
    description: str,
    phone: str,
    consent: bool,
    requester_name: str = "",
    compound: Compound | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    place_text: str = "",
    photos: Sequence[ContentFile] = (),
    channel: str = ServiceRequest.Channel.WEB,
    actor=None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Record a new request with its photos (already cleaned by privacy.images.clean_photo).

    Nothing is kept on any error: the rows roll back and the photo files written so far are
    deleted. A request filed by staff (actor given: walk-in, phone…) is accepted at once.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            return _submit(
                community=community,
                category=category,
                description=description,
                phone=phone,
                consent=consent,
                requester_name=requester_name,
                compound=compound,
                building=building,
                unit=unit,
                place_text=place_text,
                photos=photos,
                channel=channel,
                actor=actor,
                now=now or timezone.now(),
                written=written,
            )
    except BaseException:
        _delete_files(written)
        raise


def _submit(
    *,
    community,
    category,
    description,
    phone,
    consent,
    requester_name,
    compound,
    building,
    unit,
    place_text,
    photos,
    channel,
    actor,
    now,
    written,
):
    if not consent:
        raise ValidationError(
            {"consent": _("Please agree to the use of your personal information.")},
            code="consent",
        )
    if not category.is_active and actor is None:
        raise ValidationError({"category": _("Choose a category.")}, code="category")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the problem.")}, code="required")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)d photos.") % {"count": MAX_PHOTOS}}, code="too_many"
        )
    phone = normalize_mobile(phone)
    compound, building, unit = _check_place(
        community=community, compound=compound, building=building, unit=unit
    )
    if building is None and not compound and not (place_text or "").strip():
        raise ValidationError(
            {"place_text": _("Tell us where: pick a building or describe the place.")},
            code="place_required",
        )
    star = None
    if category.star_code:
        star = Star.objects.filter(community=community, code=category.star_code).first()
    due = deadlines.due_after(now, category.deadline_class)
    service_request = ServiceRequest.objects.create(
        community=community,
        reference=next_reference(community=community, year=timezone.localtime(now).year),
        category=category,
        description=description,
        compound=compound,
        building=building,
        unit=unit,
        place_text=(place_text or "").strip(),
        grid_id=building.grid_id if building is not None else None,
        star=star,
        requester_name=(requester_name or "").strip(),
        phone=phone,
        phone_last4=phone[-4:],
        phone_index=phone_index(phone),
        channel=channel,
        consent_at=now,
        submitted_at=now,
        due_at=due,
        original_due_at=due,
        created_by=actor,
    )
    _record(service_request, Kind.SUBMITTED, actor=actor, to_status=Status.SUBMITTED, at=now)
    _save_photos(service_request, photos, stage=RequestPhoto.Stage.SUBMITTED, written=written)
    if actor is not None:
        service_request.status = Status.ACCEPTED
        service_request.accepted_at = now
        service_request.save(update_fields=["status", "accepted_at"])
        _record(
            service_request,
            Kind.ACCEPTED,
            actor=actor,
            from_status=Status.SUBMITTED,
            to_status=Status.ACCEPTED,
            at=now,
        )
    return service_request


def _save_photos(service_request, photos: Iterable[ContentFile], *, stage, written: list[str]):
    for content in photos:
        photo = RequestPhoto(request=service_request, stage=stage)
        photo.image.save(content.name, content, save=False)
        written.append(photo.image.name)
        photo.save()


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        with suppress(OSError):
            default_storage.delete(name)


def _record(
    service_request,
    kind,
    *,
    actor=None,
    from_status="",
    to_status="",
    note="",
    public_note="",
    at=None,
) -> RequestEvent:
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


# --- staff workflow ---------------------------------------------------------------------


def last_event_id(service_request: ServiceRequest) -> int:
    """The request's version for a workflow form: the id of its last event (0: none yet)."""
    last = (
        RequestEvent.objects.filter(request_id=service_request.pk)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


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


def _refuse(service_request: ServiceRequest, action: str) -> ValidationError:
    return ValidationError(
        _("Request %(reference)s is “%(status)s”: “%(action)s” is not possible now.")
        % {
            "reference": service_request.reference,
            "status": service_request.get_status_display(),
            "action": ACTION_LABELS[action],
        },
        code="transition_refused",
    )


def _lock(
    service_request: ServiceRequest, action: str, seen_event: int | None = None
) -> ServiceRequest:
    """The request re-read under a row lock, after checking that nobody changed it since the
    form was shown (seen_event) and that the action is allowed now."""
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    _check_unchanged(locked, seen_event)
    if locked.status not in ALLOWED_FROM[action]:
        raise _refuse(locked, action)
    return locked


def _move(
    sr: ServiceRequest,
    action: str,
    kind: str,
    to_status: str,
    *,
    actor,
    now,
    note="",
    public_note="",
    fields: dict | None = None,
) -> ServiceRequest:
    from_status = sr.status
    sr.status = to_status
    for name, value in (fields or {}).items():
        setattr(sr, name, value)
    sr.save(update_fields=["status", *(fields or {})])
    _record(
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


@transaction.atomic
def accept_request(
    *, service_request: ServiceRequest, actor, note: str = "", seen_event: int | None = None
) -> ServiceRequest:
    sr = _lock(service_request, "accept", seen_event)
    now = timezone.now()
    return _move(
        sr,
        "accept",
        Kind.ACCEPTED,
        Status.ACCEPTED,
        actor=actor,
        now=now,
        note=note,
        fields={"accepted_at": now},
    )


@transaction.atomic
def reject_request(
    *, service_request: ServiceRequest, actor, reason: str, seen_event: int | None = None
) -> ServiceRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the rejection: the resident will read it.")},
            code="reason_required",
        )
    sr = _lock(service_request, "reject", seen_event)
    now = timezone.now()
    return _move(
        sr,
        "reject",
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
) -> ServiceRequest:
    sr = _lock(service_request, "merge", seen_event)
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
    now = timezone.now()
    public = gettext("Merged into request %(reference)s, which handles the same problem.") % {
        "reference": duplicate_of.reference
    }
    return _move(
        sr,
        "merge",
        Kind.MERGED,
        Status.MERGED,
        actor=actor,
        now=now,
        note=note,
        public_note=public,
        fields={"duplicate_of": duplicate_of, "closed_at": now},
    )


def _check_assignee(sr: ServiceRequest, assignee) -> None:
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
) -> ServiceRequest:
    """Give the request to a grid worker or staff member and/or to a star's group."""
    if assignee is None and star is None:
        raise ValidationError(
            _("Choose a grid worker, a staff member or a star."), code="assignee_required"
        )
    sr = _lock(service_request, "assign", seen_event)
    _check_assignee(sr, assignee)
    if star is not None and star.community_id != sr.community_id:
        raise ValidationError({"star": _("Unknown star.")}, code="bad_star")
    if grid is not None and grid.community_id != sr.community_id:
        raise ValidationError({"grid": _("Unknown grid.")}, code="bad_grid")
    now = timezone.now()
    fields = {"assignee": assignee, "assigned_at": now}
    if star is not None:
        fields["star"] = star
    if grid is not None:
        fields["grid"] = grid
    return _move(
        sr, "assign", Kind.ASSIGNED, Status.ASSIGNED, actor=actor, now=now, note=note, fields=fields
    )


@transaction.atomic
def start_request(
    *, service_request: ServiceRequest, actor, note: str = "", seen_event: int | None = None
) -> ServiceRequest:
    sr = _lock(service_request, "start", seen_event)
    now = timezone.now()
    return _move(
        sr,
        "start",
        Kind.STARTED,
        Status.IN_PROGRESS,
        actor=actor,
        now=now,
        note=note,
        fields={"started_at": now},
    )


def resolve_request(
    *,
    service_request: ServiceRequest,
    actor,
    note: str,
    photos: Sequence[ContentFile] = (),
    seen_event: int | None = None,
) -> ServiceRequest:
    """Record the resolution (shown to the resident) with up to 3 photos (already cleaned)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Describe what was done: the resident will read it.")},
            code="note_required",
        )
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(count)d photos.") % {"count": MAX_PHOTOS}}, code="too_many"
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            sr = _lock(service_request, "resolve", seen_event)
            now = timezone.now()
            _move(
                sr,
                "resolve",
                Kind.RESOLVED,
                Status.RESOLVED,
                actor=actor,
                now=now,
                public_note=note,
                fields={"resolved_at": now, "resolution_note": note},
            )
            _save_photos(sr, photos, stage=RequestPhoto.Stage.RESOLVED, written=written)
            return sr
    except BaseException:
        _delete_files(written)
        raise


@transaction.atomic
def follow_up_request(
    *,
    service_request: ServiceRequest,
    actor,
    note: str,
    solved: bool | None = None,
    satisfaction: str = "",
    seen_event: int | None = None,
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
    sr = _lock(service_request, "follow_up", seen_event)
    now = timezone.now()
    _move(
        sr,
        "follow_up",
        Kind.FOLLOWED_UP,
        Status.FOLLOWED_UP,
        actor=actor,
        now=now,
        note=note,
        fields={"followed_up_at": now},
    )
    if solved is not None:
        _apply_rating(
            sr, solved=solved, satisfaction=satisfaction, comment=note, actor=actor, now=now
        )
    return sr


@transaction.atomic
def close_request(
    *, service_request: ServiceRequest, actor, note: str = "", seen_event: int | None = None
) -> ServiceRequest:
    sr = _lock(service_request, "close", seen_event)
    now = timezone.now()
    return _move(
        sr,
        "close",
        Kind.CLOSED,
        Status.CLOSED,
        actor=actor,
        now=now,
        note=note,
        fields={"closed_at": now},
    )


@transaction.atomic
def extend_request(
    *,
    service_request: ServiceRequest,
    actor,
    working_days: int,
    reason: str,
    seen_event: int | None = None,
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
    sr = _lock(service_request, "extend", seen_event)
    if sr.extended_at is not None:
        raise ValidationError(
            _("Request %(reference)s has already had its one extension.")
            % {"reference": sr.reference},
            code="already_extended",
        )
    now = timezone.now()
    new_due = deadlines.extend_by_working_days(sr.due_at, working_days)
    public = gettext("Expected completion moved to %(date)s.") % {
        "date": timezone.localtime(new_due).strftime("%Y-%m-%d %H:%M")
    }
    sr.due_at = new_due
    sr.extended_at = now
    sr.save(update_fields=["due_at", "extended_at"])
    _record(
        sr,
        Kind.EXTENDED,
        actor=actor,
        from_status=sr.status,
        to_status=sr.status,
        note=reason,
        public_note=public,
        at=now,
    )
    return sr


# --- the resident's rating --------------------------------------------------------------


@transaction.atomic
def rate_request(
    *, service_request: ServiceRequest, solved: bool, satisfaction: str, comment: str = ""
) -> ServiceRequest:
    """The resident's rating on the tracking page; unsolved or unsatisfied reopens it."""
    if satisfaction not in ServiceRequest.Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied you are.")}, code="choice")
    sr = _lock(service_request, "rate")
    if not can_rate(sr):
        raise ValidationError(_("This result has already been rated."), code="already_rated")
    return _apply_rating(
        sr,
        solved=solved,
        satisfaction=satisfaction,
        comment=(comment or "").strip(),
        actor=None,
        now=timezone.now(),
    )


def _apply_rating(sr, *, solved, satisfaction, comment, actor, now) -> ServiceRequest:
    sr.rated_solved = solved
    sr.satisfaction = satisfaction
    sr.rating_comment = comment
    sr.rated_at = now
    sr.save(update_fields=["rated_solved", "satisfaction", "rating_comment", "rated_at"])
    _record(
        sr,
        Kind.RATED,
        actor=actor,
        from_status=sr.status,
        to_status=sr.status,
        note=comment,
        at=now,
    )
    if solved and satisfaction != ServiceRequest.Satisfaction.UNSATISFIED:
        return sr
    # Reopened: back to whoever had it, with a fresh deadline.
    back_to = Status.ASSIGNED if (sr.assignee_id or sr.star_id) else Status.ACCEPTED
    due = deadlines.due_after(now, sr.category.deadline_class)
    return _move(
        sr,
        "rate",
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
            "started_at": None,
        },
    )


# --- reads for the public pages ---------------------------------------------------------


def find_for_tracking(*, community: Community, reference: str, last4: str):
    """The request matching both the reference and the phone's last 4 digits, else None.

    One query of the same shape whatever is asked, so a wrong pair cannot tell whether the
    reference exists.
    """
    return (
        ServiceRequest.objects.filter(
            community=community,
            reference=normalise_reference(reference),
            phone_last4=(last4 or "").strip(),
        )
        .select_related("category")
        .first()
    )


# What the tracking page shows of a request and of its events.
TRACKED_REQUEST_FIELDS = (
    "id",
    "community_id",
    "reference",
    "category__name",
    "category__name_en",
    "status",
    "submitted_at",
    "due_at",
    "resolved_at",
    "rated_at",
    "satisfaction",
)
TRACKED_EVENT_FIELDS = ("id", "request_id", "kind", "at", "public_note")


def tracked_request(*, community, pk) -> tuple[ServiceRequest | None, list[RequestEvent]]:
    """The request a resident tracks and its public timeline, in one query.

    Every request has at least its "submitted" event, so the events joined to their request
    (and its category) carry both; only the shown columns are read (the full row has ~40
    columns, two of them encrypted). A request without events falls back to one more query.
    """
    events = list(
        RequestEvent.objects.filter(request_id=pk, request__community=community)
        .select_related("request__category")
        .only(
            *TRACKED_EVENT_FIELDS,
            *(f"request__{name}" for name in TRACKED_REQUEST_FIELDS),
        )
        .order_by("at", "id")
    )
    if events:
        service_request = events[0].request
        for event in events:
            event.request = service_request
        return service_request, events
    service_request = (
        ServiceRequest.objects.filter(community=community, pk=pk)
        .select_related("category")
        .only(*TRACKED_REQUEST_FIELDS)
        .first()
    )
    return service_request, []
