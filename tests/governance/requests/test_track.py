import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import RequestEvent, ServiceRequest
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    resolve_request,
    start_request,
)

pytestmark = pytest.mark.django_db
URL = "/requests/track/"


def _lookup(client, reference, last4, **extra):
    return client.post(URL, {"action": "lookup", "reference": reference, "last4": last4}, **extra)


def _strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _resolve(service_request, office):
    accept_request(service_request=service_request, actor=office)
    assign_request(service_request=service_request, actor=office, assignee=office)
    start_request(service_request=service_request, actor=office)
    return resolve_request(
        service_request=service_request, actor=office, note="已更换灯泡,恢复照明"
    )


def test_tracking_shows_the_public_timeline_and_expected_date(
    client, community, make_request, office
):
    service_request = make_request()
    accept_request(service_request=service_request, actor=office, note="内部备注")
    response = _lookup(client, service_request.reference.lower(), "5678")
    assert response.status_code == 302
    page = client.get(URL)
    html = page.content.decode()
    assert service_request.reference in html
    assert "已受理" in html and "已提交" in html
    assert "预计完成" in html
    assert timezone.localtime(service_request.due_at).strftime("%Y-%m-%d %H:%M") in html
    assert "内部备注" not in html  # internal notes stay internal
    assert "13812345678" not in html and office.username not in html


def test_wrong_pairs_answer_not_found_identically(client, community, make_request):
    existing = make_request()
    wrong_digits = _lookup(client, existing.reference, "0000")
    unknown_reference = _lookup(client, "HX-2031-09999", "0000")
    assert wrong_digits.status_code == unknown_reference.status_code == 404
    assert _strip_tokens(wrong_digits.content.decode()) == _strip_tokens(
        unknown_reference.content.decode()
    ).replace("HX-2031-09999", existing.reference)
    assert "没有找到" in wrong_digits.content.decode()
    assert client.session.get("hx_request_tracked") is None


def test_tracking_is_rate_limited_per_ip(client, community, make_request, settings):
    settings.HX_RATE_LIMITS = {"request_track": (3, 600), "request_track_reference": (10, 3600)}
    service_request = make_request()
    for digits in ("0001", "0002", "0003"):
        assert _lookup(client, service_request.reference, digits).status_code == 404
    # Even the right pair is refused now: guessing stops.
    response = _lookup(client, service_request.reference, "5678")
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


def test_guessing_one_reference_from_many_addresses_is_stopped(
    client, community, make_request, settings
):
    settings.HX_RATE_LIMITS = {"request_track": (100, 600), "request_track_reference": (3, 3600)}
    service_request = make_request()
    for n in range(3):
        _lookup(client, service_request.reference, f"000{n}", REMOTE_ADDR=f"10.0.0.{n}")
    response = _lookup(client, service_request.reference, "5678", REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 404  # the same "not found" as any wrong pair


def test_bad_tracking_input_is_explained(client, community):
    response = _lookup(client, "151", "56")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "HX-2024-00151" in " ".join(errors["reference"])
    assert "4位数字" in " ".join(errors["last4"])


def test_resident_rates_a_resolved_request_satisfied(client, community, make_request, office):
    service_request = _resolve(make_request(), office)
    _lookup(client, service_request.reference, "5678")
    html = client.get(URL).content.decode()
    assert "评价处理结果" in html and "已更换灯泡" in html
    response = client.post(
        URL, {"action": "rate", "solved": "yes", "satisfaction": "satisfied", "comment": "谢谢"}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.RESOLVED
    assert service_request.rated_solved is True
    assert service_request.satisfaction == "satisfied"
    assert service_request.events.filter(kind=RequestEvent.Kind.RATED).count() == 1
    # Only once per resolution.
    html = client.get(URL).content.decode()
    assert "评价处理结果" not in html
    client.post(URL, {"action": "rate", "solved": "no", "satisfaction": "unsatisfied"})
    service_request.refresh_from_db()
    assert service_request.satisfaction == "satisfied"


@pytest.mark.parametrize(
    ("solved", "satisfaction"), [("no", "basically"), ("yes", "unsatisfied"), ("no", "unsatisfied")]
)
def test_unsolved_or_unsatisfied_rating_reopens(
    client, community, make_request, office, solved, satisfaction
):
    service_request = _resolve(make_request(), office)
    _lookup(client, service_request.reference, "5678")
    original_due = service_request.due_at
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        client.post(URL, {"action": "rate", "solved": solved, "satisfaction": satisfaction})
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.ASSIGNED
    assert service_request.reopen_count == 1
    assert service_request.resolved_at is None
    assert service_request.due_at > original_due  # a fresh deadline
    kinds = list(service_request.events.values_list("kind", flat=True))
    assert kinds[-2:] == [RequestEvent.Kind.RATED, RequestEvent.Kind.REOPENED]
    # After a new resolution the resident may rate again.
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        start_request(service_request=service_request, actor=office)
        resolve_request(service_request=service_request, actor=office, note="再次维修")
        assert "评价处理结果" in client.get(URL).content.decode()


def test_rating_an_open_request_is_not_offered(client, community, make_request):
    service_request = make_request()
    _lookup(client, service_request.reference, "5678")
    assert "评价处理结果" not in client.get(URL).content.decode()
    response = client.post(URL, {"action": "rate", "solved": "yes", "satisfaction": "satisfied"})
    assert response.status_code == 200
    service_request.refresh_from_db()
    assert service_request.rated_at is None


def test_rating_needs_the_choices(client, community, make_request, office):
    service_request = _resolve(make_request(), office)
    _lookup(client, service_request.reference, "5678")
    response = client.post(URL, {"action": "rate"})
    assert response.status_code == 400
    assert "请告诉我们问题是否已解决" in response.content.decode()


def test_another_communitys_request_cannot_be_tracked(client, community, make_request):
    from governance.services.setup import set_up_community

    other = set_up_community(name="别的社区", slug="other")
    service_request = make_request(community=other, building=None, place_text="某处")
    assert _lookup(client, service_request.reference, "5678").status_code == 404


@pytest.mark.parametrize("events", [1, 3])
def test_tracking_page_runs_a_fixed_number_of_queries(
    client, community, make_request, office, django_assert_max_num_queries, events
):
    service_request = make_request()
    if events == 3:
        accept_request(service_request=service_request, actor=office)
        assign_request(service_request=service_request, actor=office, assignee=office)
    _lookup(client, service_request.reference, "5678")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    # The session, then the request with its events in one query (the community is cached).
    assert len(queries.captured_queries) == 2
    assert html.count("request-timeline-item") == events
    assert service_request.reference in html


def test_tracking_a_request_without_events_still_shows_it(client, community, make_request):
    from governance.models import RequestEvent

    service_request = make_request()
    _lookup(client, service_request.reference, "5678")
    RequestEvent.objects.filter(request=service_request).delete()
    html = client.get(URL).content.decode()
    assert service_request.reference in html
    assert "request-timeline-item" not in html
