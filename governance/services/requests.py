"""Resident requests (诉求): submission and the resident's side (the rating of the result).

A resident (or staff for a resident who came in or called) submits a request with a category, a
description, a place and up to three photos; it gets the community's next reference of the year
and a deadline from its category. Once the request is resolved the resident rates the result
once per resolution on the tracking page. The staff steps in between are in
governance.services.request_workflow, the lifecycle they share in
governance.services.request_lifecycle.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Building, Community, Compound, Unit
from community.validators import normalize_mobile
from governance import deadlines
from governance.models import Star
from governance.models.requests import (
    ReferenceCounter,
    RequestCategory,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
    format_reference,
)
from governance.services.request_lifecycle import (
    ALLOWED_FROM,
    apply_rating,
    lock_request,
    record_event,
)
from governance.services.request_photos import check_photo_count, photo_files, save_photos
from privacy.crypto import blind_index

Status = ServiceRequest.Status
Kind = RequestEvent.Kind


def phone_index(phone: str) -> str:
    """The blind index a request's phone is looked up by (the number itself is encrypted)."""
    return blind_index(phone, purpose="phone")


# --- submission --------------------------------------------------------------------------


def next_reference(*, community: Community, year: int) -> str:
    """The next reference of the community's year: unique and gapless.

    Must run inside the submitting transaction: the counter row stays locked until it commits
    (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), and a
    rolled-back submission gives its number back.
    """
    counters = ReferenceCounter.objects.select_for_update().filter(community=community, year=year)
    counter = counters.first()
    if counter is None:  # the year's first request: make the counter, then lock it
        ReferenceCounter.objects.get_or_create(community=community, year=year)
        counter = counters.get()
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


def _check_submission(*, consent, category, description, photos, actor) -> str:
    """Consent given, an offered category (staff may use a retired one), a description and at
    most MAX_PHOTOS photos; returns the description stripped."""
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
    check_photo_count(photos)
    return description


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
    description = _check_submission(
        consent=consent, category=category, description=description, photos=photos, actor=actor
    )
    phone = normalize_mobile(phone)
    compound, building, unit = _check_place(
        community=community, compound=compound, building=building, unit=unit
    )
    place_text = (place_text or "").strip()
    if building is None and not compound and not place_text:
        raise ValidationError(
            {"place_text": _("Tell us where: pick a building or describe the place.")},
            code="place_required",
        )
    now = now or timezone.now()
    service_request = ServiceRequest(
        community=community,
        category=category,
        description=description,
        requester_name=(requester_name or "").strip(),
        phone=phone,
        phone_last4=phone[-4:],
        phone_index=phone_index(phone),
        compound=compound,
        building=building,
        unit=unit,
        place_text=place_text,
        grid_id=building.grid_id if building is not None else None,
        channel=channel,
        consent_at=now,
        submitted_at=now,
        created_by=actor,
    )
    with photo_files() as written, transaction.atomic():
        return _submit(service_request, photos=photos, actor=actor, written=written)


def _submit(service_request: ServiceRequest, *, photos, actor, written) -> ServiceRequest:
    """Give the new request its star, deadline and reference, and save it with its event and
    photos (inside the submitting transaction); staff filing it accept it at once."""
    now = service_request.submitted_at
    category = service_request.category
    if category.star_code:
        service_request.star = Star.objects.filter(
            community=service_request.community, code=category.star_code
        ).first()
    due, provisional = deadlines.deadline_after(now, category.deadline_class)
    service_request.due_at = service_request.original_due_at = due
    service_request.due_provisional = provisional
    service_request.reference = next_reference(
        community=service_request.community, year=timezone.localtime(now).year
    )
    service_request.save(force_insert=True)
    record_event(service_request, Kind.SUBMITTED, actor=actor, to_status=Status.SUBMITTED, at=now)
    save_photos(service_request, photos, stage=RequestPhoto.Stage.SUBMITTED, written=written)
    if actor is not None:
        service_request.status = Status.ACCEPTED
        service_request.accepted_at = now
        service_request.save(update_fields=["status", "accepted_at"])
        record_event(
            service_request,
            Kind.ACCEPTED,
            actor=actor,
            from_status=Status.SUBMITTED,
            to_status=Status.ACCEPTED,
            at=now,
        )
    return service_request


# --- the resident's rating --------------------------------------------------------------


def can_rate(service_request: ServiceRequest) -> bool:
    """A resolved (or followed-up) request can be rated once per resolution: not again until
    it is reopened and resolved anew."""
    return service_request.status in ALLOWED_FROM["rate"] and not (
        service_request.rated_at
        and service_request.resolved_at
        and service_request.rated_at >= service_request.resolved_at
    )


@transaction.atomic
def rate_request(
    *,
    service_request: ServiceRequest,
    solved: bool,
    satisfaction: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """The resident's rating on the tracking page; unsolved or unsatisfied reopens it."""
    if satisfaction not in ServiceRequest.Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied you are.")}, code="choice")
    sr = lock_request(service_request, "rate")
    if not can_rate(sr):
        raise ValidationError(_("This result has already been rated."), code="already_rated")
    return apply_rating(
        sr,
        solved=solved,
        satisfaction=satisfaction,
        comment=(comment or "").strip(),
        actor=None,
        now=now or timezone.now(),
    )
