"""take_steps(): one workflow step for many requests at once, under exactly the rules of the
single step functions, all or nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from governance.models import RequestEvent, ServiceRequest
from governance.services.request_workflow import (
    Step,
    accept_request,
    assign_request,
    reject_request,
    take_steps,
)
from privacy.models import AuditEvent

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
Status = ServiceRequest.Status
EVENT_FIELDS = ("kind", "actor_id", "from_status", "to_status", "note", "public_note", "at")


def _last_event(sr):
    event = RequestEvent.objects.filter(request=sr).order_by("-id").first()
    return {name: getattr(event, name) for name in EVENT_FIELDS}


def test_a_batch_writes_what_the_single_steps_write(make_request, office, worker):
    when = dt.datetime(2024, 5, 6, 10, 30, tzinfo=SHANGHAI)
    note = "交给网格员"
    single, *batch = [make_request() for _ in range(3)]
    accept_request(service_request=single, actor=office, now=when)
    assign_request(service_request=single, actor=office, assignee=worker, note=note, now=when)
    take_steps("accept", [Step(sr, office, when) for sr in batch])
    done = take_steps(
        "assign",
        [Step(sr, office, when, {"assignee": worker, "note": note}) for sr in batch],
    )
    assert [sr.pk for sr in done] == [sr.pk for sr in batch]
    single.refresh_from_db()
    expected = _last_event(single)
    for sr in batch:
        sr.refresh_from_db()
        assert (sr.status, sr.assignee, sr.assigned_at, sr.accepted_at) == (
            Status.ASSIGNED,
            worker,
            when,
            when,
        )
        assert _last_event(sr) == expected
        assert list(sr.events.values_list("kind", flat=True).order_by("id")) == list(
            single.events.values_list("kind", flat=True).order_by("id")
        )


def test_each_request_keeps_its_own_actor_and_time(make_request, office, worker):
    first, second = make_request(), make_request()
    t1 = dt.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI)
    t2 = dt.datetime(2024, 3, 2, 15, tzinfo=SHANGHAI)
    take_steps("accept", [Step(first, office, t1), Step(second, worker, t2)])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.accepted_at, _last_event(first)["actor_id"]) == (t1, office.pk)
    assert (second.accepted_at, _last_event(second)["actor_id"]) == (t2, worker.pk)


def test_one_refused_request_leaves_the_whole_batch_unchanged(make_request, office):
    fresh, taken = make_request(), make_request()
    reject_request(service_request=taken, actor=office, reason="不属于受理范围")
    events = RequestEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        take_steps("accept", [Step(fresh, office), Step(taken, office)])
    assert refused.value.code == "transition_refused"
    assert taken.reference in refused.value.messages[0]
    fresh.refresh_from_db()
    assert fresh.status == Status.SUBMITTED
    assert RequestEvent.objects.count() == events


def test_the_values_are_checked_as_the_single_step_checks_them(make_request, office):
    sr = make_request()
    with pytest.raises(ValidationError) as refused:
        take_steps("reject", [Step(sr, office, values={"reason": "  "})])
    assert list(refused.value.error_dict) == ["reason"]
    with pytest.raises(ValidationError) as refused:
        take_steps("assign", [Step(sr, office)])
    assert refused.value.code == "assignee_required"
    sr.refresh_from_db()
    assert sr.status == Status.SUBMITTED


def test_a_request_twice_photos_and_ratings_are_refused(make_request, office):
    sr = make_request()
    with pytest.raises(ValueError, match="twice"):
        take_steps("accept", [Step(sr, office), Step(sr, office)])
    with pytest.raises(ValueError, match="one request at a time"):
        take_steps(
            "follow_up",
            [
                Step(
                    sr, office, values={"note": "回访", "solved": True, "satisfaction": "satisfied"}
                )
            ],
        )
    with pytest.raises(ValueError, match="Unknown step"):
        take_steps("rate", [Step(sr, office)])


def test_each_request_of_a_batch_is_audited_like_a_single_save(make_request, office):
    batch = [make_request() for _ in range(3)]
    AuditEvent.objects.all().delete()
    take_steps("accept", [Step(sr, office) for sr in batch])
    updates = AuditEvent.objects.filter(model="governance.servicerequest", action="update")
    assert sorted(updates.values_list("object_id", flat=True)) == sorted(str(sr.pk) for sr in batch)
    for row in updates:  # a request holds personal data: the names of the fields only
        assert set(row.changes) == {"status", "accepted_at"}
