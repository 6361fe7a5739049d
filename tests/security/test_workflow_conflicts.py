"""Two staff acting on one resident request (诉求) from pages opened at the same state: the
first step wins; the second is refused with who changed the request and when, its form comes
back with what was typed, and nothing is applied twice (governance/services/requests.py,
seen_event).

Disputes are worked on in their ordinary change form: there the record's fingerprint
(accounts/admin_base.py) covers the mediation sessions and parties too
(governance/admin/disputes.py)."""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import translation

from governance.models import (
    Dispute,
    DisputeParty,
    MediationSession,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    last_event_id,
    reject_request,
    start_request,
)
from tests.governance.requests.conftest import (
    category,
    make_request,
    media_files,
    office,
    places,
    upload,
    worker,
)
from tests.security.test_faults import _form_data

# The request tests' fixtures (places, staff bound to the community, photos, clean media).
FIXTURES = (category, make_request, media_files, office, places, worker)

pytestmark = pytest.mark.django_db
LIST = "/admin/governance/servicerequest/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Kind = RequestEvent.Kind


def _act(sr, action):
    return f"{LIST}{sr.pk}/act/{action}/"


def _open(client: Client, sr, action) -> dict:
    """What the browser sends back from the form as it was rendered (the hidden version)."""
    response = client.get(_act(sr, action))
    assert response.status_code == 200
    form = response.context["form"]
    return {"seen_event": form["seen_event"].value()}


def _events(sr, kind) -> int:
    return RequestEvent.objects.filter(request=sr, kind=kind).count()


@pytest.fixture
def two_staff(office, secretary):
    """The staff member (王芳) and the secretary, each in a browser of their own."""
    office.first_name = "王芳"
    office.save(update_fields=["first_name"])
    first, second = Client(), Client()
    first.force_login(office)
    second.force_login(secretary)
    return first, second


def test_the_second_assignment_is_refused_named_and_keeps_the_typed_text(
    two_staff,
    office,
    worker,
    make_request,
):
    sr = make_request()
    accept_request(service_request=sr, actor=office)
    first, second = two_staff
    form_first, form_second = _open(first, sr, "assign"), _open(second, sr, "assign")

    with time_machine.travel(dt.datetime(2025, 3, 1, 10, 2, tzinfo=SHANGHAI), tick=False):
        response = first.post(
            _act(sr, "assign"), {**form_first, "assignee": worker.pk, "note": "甲:请今天处理"}
        )
    assert response.status_code == 302

    typed = "乙:住户说晚上八点后在家,请带梯子"
    response = second.post(
        _act(sr, "assign"), {**form_second, "assignee": office.pk, "note": typed}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"诉求 {sr.reference} 在您打开本页后已被改动:王芳于 2025-03-01 10:02 “已派单”。"
        "您的操作未保存。" in html
    )
    assert typed in html  # what the second person typed is still in the form
    assert f'<option value="{office.pk}" selected>' in html
    sr.refresh_from_db()
    assert sr.assignee == worker and sr.status == ServiceRequest.Status.ASSIGNED
    assert _events(sr, Kind.ASSIGNED) == 1
    assert RequestEvent.objects.get(request=sr, kind=Kind.ASSIGNED).note == "甲:请今天处理"

    # The page now carries the request's current version: sending it again, after reading
    # the message, is a deliberate reassignment and goes through.
    again = {"seen_event": response.context["form"]["seen_event"].value()}
    assert int(again["seen_event"]) == last_event_id(sr)
    response = second.post(_act(sr, "assign"), {**again, "assignee": office.pk, "note": typed})
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.assignee == office and _events(sr, Kind.ASSIGNED) == 2


def test_a_step_no_longer_possible_says_so_and_offers_no_submit_button(two_staff, make_request):
    sr = make_request()
    first, second = two_staff
    form_first, form_second = _open(first, sr, "accept"), _open(second, sr, "accept")
    assert first.post(_act(sr, "accept"), {**form_first, "note": "已受理"}).status_code == 302
    response = second.post(_act(sr, "accept"), {**form_second, "note": "我也来受理"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "在您打开本页后已被改动:王芳于" in html and "“已受理”" in html
    assert f"诉求 {sr.reference} 当前为“已受理”,不能执行“受理”" in html
    assert "我也来受理" in html
    assert 'class="default" value="受理"' not in html  # no submit button for the step
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.ACCEPTED and _events(sr, Kind.ACCEPTED) == 1


def test_another_step_in_between_refuses_a_stale_extension(two_staff, office, make_request):
    sr = make_request()
    accept_request(service_request=sr, actor=office)
    assign_request(service_request=sr, actor=office, assignee=office)
    start_request(service_request=sr, actor=office)
    first, second = two_staff
    form_second = _open(second, sr, "extend")  # the secretary opens the extension form ...
    form_first = _open(first, sr, "resolve")  # ... while the work is being finished
    response = first.post(_act(sr, "resolve"), {**form_first, "note": "已修好路灯"})
    assert response.status_code == 302
    response = second.post(
        _act(sr, "extend"), {**form_second, "working_days": 5, "reason": "需协调供电公司"}
    )
    assert response.status_code == 200
    assert "“已办结”" in response.content.decode() and "需协调供电公司" in response.content.decode()
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.RESOLVED
    assert sr.extended_at is None and _events(sr, Kind.EXTENDED) == 0


def test_a_stale_resolution_with_photos_keeps_no_photo_and_asks_for_them_again(
    two_staff,
    office,
    make_request,
    media_files,
):
    sr = make_request()
    accept_request(service_request=sr, actor=office)
    assign_request(service_request=sr, actor=office, assignee=office)
    start_request(service_request=sr, actor=office)
    first, second = two_staff
    form_first, form_second = _open(first, sr, "resolve"), _open(second, sr, "resolve")
    response = first.post(
        _act(sr, "resolve"), {**form_first, "note": "甲:已修好", "photos": [upload()]}
    )
    assert response.status_code == 302
    kept = media_files()
    response = second.post(
        _act(sr, "resolve"), {**form_second, "note": "乙:也修好了", "photos": [upload()]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙:也修好了" in html and "请重新选择照片" in html
    assert RequestPhoto.objects.filter(request=sr).count() == 1
    assert media_files() == kept  # the second upload left no file behind
    sr.refresh_from_db()
    assert sr.resolution_note == "甲:已修好" and _events(sr, Kind.RESOLVED) == 1


def test_a_double_click_applies_once(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    form = _open(client, sr, "reject")
    data = {**form, "reason": "不属于社区职责范围"}
    assert client.post(_act(sr, "reject"), data).status_code == 302
    response = client.post(_act(sr, "reject"), data)  # the same form, sent a second time
    assert response.status_code == 200
    assert "“不予受理”" in response.content.decode()
    assert _events(sr, Kind.REJECTED) == 1


def test_a_form_without_its_version_is_refused(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    response = client.post(_act(sr, "accept"), {"note": "x"})
    assert response.status_code == 200
    assert "表单已过期" in response.content.decode()
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.SUBMITTED


def test_the_service_refuses_a_stale_version_with_who_and_when(office, worker, make_request):
    sr = make_request()
    seen = last_event_id(sr)
    worker.first_name = "李强"
    worker.save(update_fields=["first_name"])
    with time_machine.travel(dt.datetime(2025, 6, 9, 8, 30, tzinfo=SHANGHAI), tick=False):
        accept_request(service_request=sr, actor=worker, seen_event=seen)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        reject_request(service_request=sr, actor=office, reason="重复", seen_event=seen)
    assert error.value.code == "request_changed"
    assert error.value.messages == [
        f"Request {sr.reference} was changed after you opened this page: “Accepted” by 李强 at "
        "2025-06-09 08:30. Nothing was saved. Check its state now; if your step is still "
        "needed, submit it again."
    ]
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.ACCEPTED
    assert list(sr.events.order_by("id").values_list("kind", flat=True)) == [
        "submitted",
        "accepted",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_parallel_steps_from_one_version_apply_once(office, worker, make_request):
    """Real concurrency (PostgreSQL): both read the same version, one waits on the row lock
    and then sees the other's event."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (IMMEDIATE transactions); run on PostgreSQL")
    sr = make_request()
    accept_request(service_request=sr, actor=office)
    seen = last_event_id(sr)
    barrier = threading.Barrier(2)
    outcomes = []

    def step(assignee):
        try:
            barrier.wait()
            assign_request(service_request=sr, actor=office, assignee=assignee, seen_event=seen)
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=step, args=(user,)) for user in (office, worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "request_changed"]
    assert _events(sr, Kind.ASSIGNED) == 1


# --- disputes (矛盾纠纷): the ordinary change form, whose fingerprint covers the inline rows --


@pytest.fixture
def dispute(office, places):
    row = Dispute.objects.create(
        community=office.staff_profile.community,
        title="楼上漏水",
        description="楼上卫生间漏水到楼下",
        kind=Dispute.Kind.NEIGHBOUR,
        found_on=dt.date(2025, 3, 1),
        grid=places["grid_a"],
    )
    DisputeParty.objects.create(dispute=row, name="张某", role=DisputeParty.Role.APPLICANT)
    return row


def _dispute_url(dispute) -> str:
    return f"/admin/governance/dispute/{dispute.pk}/change/"


def _session(form: dict, summary: str) -> dict:
    """The form with one more mediation session filled in (the inline's extra form)."""
    n = int(form["sessions-TOTAL_FORMS"])
    return {
        **form,
        "sessions-TOTAL_FORMS": str(n + 1),
        f"sessions-{n}-held_on": "2025-03-02",
        f"sessions-{n}-result": MediationSession.Result.CONTINUE,
        f"sessions-{n}-summary": summary,
    }


def test_a_mediation_session_recorded_in_between_refuses_the_stale_dispute_form(two_staff, dispute):
    first, second = two_staff
    url = _dispute_url(dispute)
    form_first, form_second = _form_data(first.get(url)), _form_data(second.get(url))
    response = first.post(url, _session(form_first, "第一次调解:双方同意先修防水层"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    # Only an inline row changed: the dispute's own row is as the second page showed it.
    response = second.post(url, {**form_second, "description": "乙补充:楼下墙面已发霉"})
    assert response.status_code == 200
    assert "别人在您打开后保存了这条记录" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.description == "楼上卫生间漏水到楼下"
    assert list(dispute.sessions.values_list("summary", flat=True)) == [
        "第一次调解:双方同意先修防水层"
    ]


def test_two_edits_of_one_mediation_session_the_second_is_refused(two_staff, dispute):
    MediationSession.objects.create(dispute=dispute, summary="原记录", held_on=dt.date(2025, 3, 2))
    first, second = two_staff
    url = _dispute_url(dispute)
    form_first, form_second = _form_data(first.get(url)), _form_data(second.get(url))
    assert first.post(url, {**form_first, "sessions-0-summary": "甲改"}).status_code == 302
    response = second.post(url, {**form_second, "sessions-0-summary": "乙改"})
    assert response.status_code == 200
    assert "别人在您打开后保存了这条记录" in response.content.decode()
    assert MediationSession.objects.get(dispute=dispute).summary == "甲改"
    # Opened afresh, the form saves.
    fresh = _form_data(second.get(url))
    assert second.post(url, {**fresh, "sessions-0-summary": "乙改"}).status_code == 302
    assert MediationSession.objects.get(dispute=dispute).summary == "乙改"
