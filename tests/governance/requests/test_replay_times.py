"""Every step takes `now=`: the times it writes (its event, the status times, the deadlines) are
that time, not the clock's, so a past year can be replayed through the same services."""

import datetime as dt
import zoneinfo

import pytest

from governance import deadlines
from governance.models import RequestEvent, ServiceRequest
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    close_request,
    extend_request,
    follow_up_request,
    merge_request,
    reject_request,
    resolve_request,
    start_request,
)
from governance.services.requests import rate_request

pytestmark = pytest.mark.django_db
Kind = RequestEvent.Kind
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2024, 3, 4, 9, 0, tzinfo=SHANGHAI)  # a Monday


def _at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def _event(service_request, kind) -> RequestEvent:
    return service_request.events.get(kind=kind)


def test_each_step_given_now_records_that_time(make_request, office):
    sr = make_request(now=T0)
    kw = {"service_request": sr, "actor": office}
    accept_request(**kw, now=_at(1))
    assign_request(**kw, assignee=office, now=_at(2))
    extend_request(**kw, working_days=2, reason="等待配件", now=_at(3))
    start_request(**kw, now=_at(4))
    resolve_request(**kw, note="已修复", now=_at(5))
    follow_up_request(**kw, note="居民表示满意", now=_at(6))
    close_request(**kw, now=_at(7))
    sr.refresh_from_db()
    expected = {
        Kind.SUBMITTED: T0,
        Kind.ACCEPTED: _at(1),
        Kind.ASSIGNED: _at(2),
        Kind.EXTENDED: _at(3),
        Kind.STARTED: _at(4),
        Kind.RESOLVED: _at(5),
        Kind.FOLLOWED_UP: _at(6),
        Kind.CLOSED: _at(7),
    }
    assert {e.kind: e.at for e in sr.events.all()} == expected
    assert (sr.accepted_at, sr.assigned_at, sr.extended_at) == (_at(1), _at(2), _at(3))
    assert (sr.started_at, sr.resolved_at, sr.followed_up_at) == (_at(4), _at(5), _at(6))
    assert sr.closed_at == _at(7)


def test_reject_and_merge_given_now_record_that_time(make_request, office):
    rejected, merged, original = make_request(now=T0), make_request(now=T0), make_request(now=T0)
    reject_request(service_request=rejected, actor=office, reason="不属于社区职责", now=_at(1))
    merge_request(service_request=merged, actor=office, duplicate_of=original, now=_at(2))
    rejected.refresh_from_db()
    merged.refresh_from_db()
    assert _event(rejected, Kind.REJECTED).at == rejected.closed_at == _at(1)
    assert _event(merged, Kind.MERGED).at == merged.closed_at == _at(2)


def test_a_rating_given_now_reopens_with_a_deadline_from_that_time(make_request, office):
    sr = make_request(now=T0)
    kw = {"service_request": sr, "actor": office}
    accept_request(**kw, now=_at(1))
    assign_request(**kw, assignee=office, now=_at(2))
    start_request(**kw, now=_at(3))
    resolve_request(**kw, note="已修复", now=_at(4))
    rate_request(
        service_request=sr,
        solved=False,
        satisfaction=ServiceRequest.Satisfaction.UNSATISFIED,
        now=_at(5),
    )
    sr.refresh_from_db()
    assert _event(sr, Kind.RATED).at == _event(sr, Kind.REOPENED).at == sr.rated_at == _at(5)
    assert sr.due_at == deadlines.due_after(_at(5), sr.category.deadline_class)
