import pytest
from django.core.exceptions import ValidationError

from accounts.models import StaffProfile
from community.models import Grid
from governance.models import RequestEvent, RequestPhoto, ServiceRequest, Star
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    close_request,
    follow_up_request,
    merge_request,
    reject_request,
    resolve_request,
    start_request,
)
from governance.services.requests import submit_request
from governance.services.setup import set_up_community
from privacy.images import clean_photo

from .conftest import upload

pytestmark = pytest.mark.django_db
Status = ServiceRequest.Status
Kind = RequestEvent.Kind


def _to(status, service_request, office, worker=None):
    """Walk a request along the happy path up to status."""
    sr, kw = service_request, {"service_request": service_request, "actor": office}
    path = [
        (Status.ACCEPTED, lambda: accept_request(**kw)),
        (Status.ASSIGNED, lambda: assign_request(**kw, assignee=worker or office)),
        (Status.IN_PROGRESS, lambda: start_request(**kw)),
        (Status.RESOLVED, lambda: resolve_request(**kw, note="已修复")),
        (Status.FOLLOWED_UP, lambda: follow_up_request(**kw, note="居民表示满意")),
        (Status.CLOSED, lambda: close_request(**kw)),
    ]
    for reached, step in path:
        step()
        if reached == status:
            break
    sr.refresh_from_db()
    return sr


def test_full_lifecycle_writes_one_event_per_step_with_actor_and_time(make_request, office, worker):
    service_request = make_request()
    assert service_request.grid.code == "G1"
    _to(Status.CLOSED, service_request, office, worker)
    assert service_request.status == Status.CLOSED
    events = list(service_request.events.order_by("at", "id"))
    assert [e.kind for e in events] == [
        Kind.SUBMITTED,
        Kind.ACCEPTED,
        Kind.ASSIGNED,
        Kind.STARTED,
        Kind.RESOLVED,
        Kind.FOLLOWED_UP,
        Kind.CLOSED,
    ]
    assert [e.actor for e in events[1:]] == [office] * 6
    assert events[0].actor is None  # the resident
    assert all(e.at is not None for e in events)
    assert [(e.from_status, e.to_status) for e in events[1:3]] == [
        (Status.SUBMITTED, Status.ACCEPTED),
        (Status.ACCEPTED, Status.ASSIGNED),
    ]
    assert service_request.assignee == worker
    for stamp in ("accepted_at", "assigned_at", "started_at", "resolved_at", "followed_up_at",
                  "closed_at"):  # fmt: skip
        assert getattr(service_request, stamp) is not None, stamp


REFUSED = [
    (Status.SUBMITTED, "start"),
    (Status.SUBMITTED, "resolve"),
    (Status.SUBMITTED, "close"),
    (Status.ACCEPTED, "accept"),
    (Status.ACCEPTED, "follow_up"),
    (Status.IN_PROGRESS, "reject"),
    (Status.IN_PROGRESS, "merge"),
    (Status.RESOLVED, "start"),
    (Status.RESOLVED, "close"),
    (Status.CLOSED, "accept"),
    (Status.CLOSED, "assign"),
    (Status.CLOSED, "resolve"),
]


def _call(action, service_request, office, other):
    kwargs = {"service_request": service_request, "actor": office}
    return {
        "accept": lambda: accept_request(**kwargs),
        "reject": lambda: reject_request(**kwargs, reason="不属于社区职责"),
        "merge": lambda: merge_request(**kwargs, duplicate_of=other),
        "assign": lambda: assign_request(**kwargs, assignee=office),
        "start": lambda: start_request(**kwargs),
        "resolve": lambda: resolve_request(**kwargs, note="好了"),
        "follow_up": lambda: follow_up_request(**kwargs, note="回访"),
        "close": lambda: close_request(**kwargs),
    }[action]()


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_impossible_transitions_are_refused_with_a_clear_message(
    make_request, office, status, action
):
    other = make_request()
    service_request = (
        _to(status, make_request(), office) if status != Status.SUBMITTED else (make_request())
    )
    before = service_request.events.count()
    with pytest.raises(ValidationError) as info:
        _call(action, service_request, office, other)
    assert info.value.code == "transition_refused"
    message = " ".join(info.value.messages)
    assert service_request.reference in message and "不能执行" in message
    service_request.refresh_from_db()
    assert service_request.status == status
    assert service_request.events.count() == before


def test_reject_needs_a_reason_shown_to_the_resident(make_request, office):
    service_request = make_request()
    with pytest.raises(ValidationError):
        reject_request(service_request=service_request, actor=office, reason=" ")
    reject_request(service_request=service_request, actor=office, reason="属物业职责")
    service_request.refresh_from_db()
    assert service_request.status == Status.REJECTED
    assert service_request.events.last().public_note == "属物业职责"


def test_merge_as_duplicate(make_request, office):
    original, duplicate = make_request(), make_request()
    merge_request(service_request=duplicate, actor=office, duplicate_of=original)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.duplicate_of == original
    assert original.reference in duplicate.events.last().public_note
    third = make_request()
    with pytest.raises(ValidationError):  # not into a merged one
        merge_request(service_request=third, actor=office, duplicate_of=duplicate)
    with pytest.raises(ValidationError):  # not into itself
        merge_request(service_request=third, actor=office, duplicate_of=third)


def test_assign_to_a_star_or_a_worker_of_the_community_only(make_request, office, community):
    service_request = _to(Status.ACCEPTED, make_request(), office)
    outsider_community = set_up_community(name="外社区", slug="outside")
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user("outsider", is_staff=True)
    StaffProfile.objects.create(user=outsider, community=outsider_community)
    with pytest.raises(ValidationError):
        assign_request(service_request=service_request, actor=office, assignee=outsider)
    with pytest.raises(ValidationError):
        assign_request(
            service_request=service_request,
            actor=office,
            star=Star.objects.get(community=outsider_community, code="safety"),
        )
    with pytest.raises(ValidationError):
        assign_request(service_request=service_request, actor=office)
    safety = Star.objects.get(community=community, code="safety")
    assign_request(service_request=service_request, actor=office, star=safety)
    service_request.refresh_from_db()
    assert service_request.status == Status.ASSIGNED and service_request.star == safety


def test_resolve_needs_a_note_and_keeps_up_to_three_photos(make_request, office, media_files):
    service_request = _to(Status.IN_PROGRESS, make_request(), office)
    with pytest.raises(ValidationError):
        resolve_request(service_request=service_request, actor=office, note="")
    photos = [clean_photo(upload()) for _ in range(4)]
    with pytest.raises(ValidationError):
        resolve_request(service_request=service_request, actor=office, note="已修", photos=photos)
    assert media_files() == []
    resolve_request(service_request=service_request, actor=office, note="已修", photos=photos[:2])
    assert RequestPhoto.objects.filter(stage=RequestPhoto.Stage.RESOLVED).count() == 2
    assert len(media_files()) == 2


def test_follow_up_with_an_unhappy_phone_rating_reopens(make_request, office):
    service_request = _to(Status.RESOLVED, make_request(), office)
    with pytest.raises(ValidationError):
        follow_up_request(
            service_request=service_request, actor=office, note="电话回访", solved=False
        )
    follow_up_request(
        service_request=service_request,
        actor=office,
        note="居民说灯又坏了",
        solved=False,
        satisfaction=ServiceRequest.Satisfaction.UNSATISFIED,
    )
    service_request.refresh_from_db()
    assert service_request.status == Status.ASSIGNED
    assert service_request.reopen_count == 1
    assert list(service_request.events.values_list("kind", flat=True))[-3:] == [
        Kind.FOLLOWED_UP,
        Kind.RATED,
        Kind.REOPENED,
    ]


def test_staff_filed_request_records_the_channel_and_is_accepted(
    community, category, places, office
):
    service_request = submit_request(
        community=community,
        category=category,
        description="电话反映楼道灯坏",
        phone="13900001111",
        consent=True,
        building=places["b2"],
        channel=ServiceRequest.Channel.PHONE,
        actor=office,
    )
    assert service_request.channel == ServiceRequest.Channel.PHONE
    assert service_request.status == Status.ACCEPTED
    assert service_request.grid == places["grid_b"]
    assert service_request.created_by == office
    assert [e.actor for e in service_request.events.all()] == [office, office]


def test_places_must_belong_together(community, category, places):
    with pytest.raises(ValidationError) as info:
        submit_request(
            community=community,
            category=category,
            description="x",
            phone="13900001111",
            consent=True,
            building=places["b1"],
            unit=places["u2"],
        )
    assert "unit" in info.value.error_dict
    other = set_up_community(name="外社区", slug="outside")
    Grid.objects.create(community=other, code="X", name="X")
    with pytest.raises(ValidationError):
        submit_request(
            community=other,
            category=category,
            description="x",
            phone="13900001111",
            consent=True,
            building=places["b1"],
        )
