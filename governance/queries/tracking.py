"""Reads for the residents' tracking page (/requests/track/): finding a request by its reference
and the phone's last 4 digits, then what the page shows of it and of its public timeline."""

from community.models import Community
from governance.models.requests import RequestEvent, ServiceRequest, normalise_reference


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
    "due_provisional",
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
