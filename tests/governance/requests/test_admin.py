import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import StaffProfile
from governance.models import RequestEvent, RequestPhoto, ServiceRequest
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    last_event_id,
    start_request,
)
from governance.services.requests import submit_request
from governance.services.setup import set_up_community

from .conftest import upload

pytestmark = pytest.mark.django_db
LIST = "/admin/governance/servicerequest/"


def _change(sr):
    return f"{LIST}{sr.pk}/change/"


def _act(sr, action):
    return f"{LIST}{sr.pk}/act/{action}/"


def _seen(sr) -> dict:
    """What an action form carries: the request's version when the form was shown."""
    return {"seen_event": last_event_id(sr)}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("queue", ["", "?queue=new", "?queue=overdue", "?queue=mine"])
def test_queues_run_a_fixed_number_of_queries(
    client, office, worker, make_request, django_assert_num_queries, rows, queue
):
    for _ in range(rows):
        sr = make_request()
        accept_request(service_request=sr, actor=office)
        assign_request(service_request=sr, actor=office, assignee=worker)
    make_request()  # a new one
    client.force_login(office)
    # no unfiltered total (show_full_result_count=False); one for the holiday-schedule banner
    with django_assert_num_queries(15):
        response = client.get(LIST + queue)
    assert response.status_code == 200


def test_queue_filters_select_the_right_requests(client, office, worker, make_request, places):
    new = make_request()
    mine = make_request(building=places["b2"])
    accept_request(service_request=mine, actor=office)
    assign_request(service_request=mine, actor=office, assignee=office)
    client.force_login(office)
    assert list(client.get(LIST + "?queue=new").context["cl"].result_list) == [new]
    assert list(client.get(LIST + "?queue=mine").context["cl"].result_list) == [mine]
    by_grid = client.get(LIST + f"?grid__id__exact={places['grid_b'].pk}")
    assert list(by_grid.context["cl"].result_list) == [mine]
    html = client.get(LIST).content.decode()
    assert "新诉求" in html and "已超期" in html


def test_grid_worker_sees_only_their_grid(client, worker, make_request, places):
    own = make_request()
    other = make_request(building=places["b2"])
    client.force_login(worker)
    assert list(client.get(LIST).context["cl"].result_list) == [own]
    assert client.get(_change(other)).status_code == 404
    assert client.get(_act(other, "accept")).status_code == 404
    assert client.post(_act(other, "accept"), {}).status_code == 404
    other.refresh_from_db()
    assert other.status == ServiceRequest.Status.SUBMITTED


def test_another_communitys_request_answers_404(client, office, category):
    other = set_up_community(name="别的社区", slug="other")
    sr = submit_request(
        community=other,
        category=category,
        description="x",
        phone="13900001111",
        consent=True,
        place_text="某处",
    )
    client.force_login(office)
    assert client.get(_act(sr, "accept")).status_code == 404
    photo_url = f"{LIST}{sr.pk}/photo/1/"
    assert client.get(photo_url).status_code == 404
    assert list(client.get(LIST).context["cl"].result_list) == []


def test_change_page_shows_masked_phone_and_the_possible_actions(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    html = client.get(_change(sr)).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert _act(sr, "accept") in html and _act(sr, "reject") in html
    assert _act(sr, "resolve") not in html


def test_actions_through_the_admin_record_the_actor(client, office, worker, make_request):
    sr = make_request()
    client.force_login(office)
    assert client.post(_act(sr, "accept"), {"note": "", **_seen(sr)}).status_code == 302
    response = client.post(
        _act(sr, "assign"), {"assignee": worker.pk, "note": "请尽快", **_seen(sr)}
    )
    assert response.status_code == 302, response.context["form"].errors
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.ASSIGNED and sr.assignee == worker
    event = sr.events.get(kind=RequestEvent.Kind.ASSIGNED)
    assert event.actor == office and event.note == "请尽快"


def test_refused_action_redirects_with_a_clear_message(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    response = client.get(_act(sr, "close"), follow=True)
    html = response.content.decode()
    assert "不能执行“结案”" in html
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.SUBMITTED


def test_reject_without_reason_shows_the_form_error(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    response = client.post(_act(sr, "reject"), {"reason": "", **_seen(sr)})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    sr.refresh_from_db()
    assert sr.status == ServiceRequest.Status.SUBMITTED


def test_resolve_with_photo_in_the_admin_and_view_it(client, office, make_request, media_files):
    sr = make_request()
    for step in ("accept", "start"):
        if step == "start":
            assign_request(service_request=sr, actor=office, assignee=office)
        else:
            accept_request(service_request=sr, actor=office)
    start_request(service_request=sr, actor=office)
    client.force_login(office)
    response = client.post(
        _act(sr, "resolve"), {"note": "已更换灯泡", "photos": [upload()], **_seen(sr)}
    )
    assert response.status_code == 302
    photo = RequestPhoto.objects.get(request=sr)
    image = client.get(f"{LIST}{sr.pk}/photo/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    client.logout()
    assert client.get(f"{LIST}{sr.pk}/photo/{photo.pk}/").status_code == 302  # to the login


def test_staff_file_a_walk_in_request(client, office, category, places):
    client.force_login(office)
    assert client.get(f"{LIST}add/").status_code == 200
    response = client.post(
        f"{LIST}add/",
        {
            "channel": "walk_in",
            "category": category.pk,
            "description": "来访反映:楼道灯坏",
            "building": places["b2"].pk,
            "requester_name": "李*",
            "phone": "13900001111",
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    sr = ServiceRequest.objects.get()
    assert sr.channel == "walk_in" and sr.status == ServiceRequest.Status.ACCEPTED
    assert sr.created_by == office and sr.grid == places["grid_b"]


def test_search_by_full_phone_number_goes_through_the_post_lookup(client, office, make_request):
    """A full number is refused in ?q= (it would stay in logs and history): the redirect keeps
    the other filters; the POST lookup finds the requests through the phone's blind index."""
    sr = make_request(phone="13700009999")
    make_request()
    client.force_login(office)
    response = client.get(LIST + "?queue=new&q=137-0000-9999")
    assert response.status_code == 302 and response["Location"] == LIST + "?queue=new"
    found = client.post(LIST + "find/", {"term": "137-0000-9999"})
    assert found.context["matches"] == [sr]
    # The last 4 digits still search by GET.
    assert list(client.get(LIST + "?q=9999").context["cl"].result_list) == [sr]


def test_roles_without_request_permissions_get_403(client, community):
    viewer = get_user_model().objects.create_user("viewer2", is_staff=True)
    viewer.groups.add(Group.objects.get(name=roles.DIVISION_VIEWER))
    StaffProfile.objects.create(user=viewer)
    client.force_login(viewer)
    assert client.get(LIST).status_code == 403


def test_extension_once_in_the_admin(client, office, make_request):
    sr = make_request()
    client.force_login(office)
    response = client.post(
        _act(sr, "extend"), {"working_days": 5, "reason": "需要协调物业", **_seen(sr)}
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.extended_at is not None and sr.due_at > sr.original_due_at
    follow = client.get(_act(sr, "extend"), follow=True).content.decode()
    assert "已延期过一次" in follow


@pytest.mark.parametrize("rows", [1, 3])
def test_figures_page_runs_a_fixed_number_of_queries(
    client, office, make_request, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        make_request()
    client.force_login(office)
    with django_assert_max_num_queries(18):
        response = client.get(f"{LIST}figures/?year=2026")
    assert response.status_code == 200
    assert "按时办结率" in response.content.decode()


def test_mine_includes_requests_given_to_my_star(
    client, office, star_member, community, make_request
):
    from governance.models import Star, StarMember

    safety = Star.objects.get(community=community, code="safety")
    StarMember.objects.create(star=safety, user=star_member)
    to_star, to_someone = make_request(), make_request()
    for sr in (to_star, to_someone):
        accept_request(service_request=sr, actor=office)
    assign_request(service_request=to_star, actor=office, star=safety)
    assign_request(service_request=to_someone, actor=office, assignee=office, star=safety)
    client.force_login(star_member)
    response = client.get(LIST + "?queue=mine")
    assert list(response.context["cl"].result_list) == [to_star]
    assert response.context["queue_counts"]["mine"] == 1


def test_the_request_history_reads_in_chinese(client, office, make_request):
    """The history's steps and statuses by their Chinese names, never the stored codes."""
    sr = make_request()
    accept_request(service_request=sr, actor=office)
    client.force_login(office)
    html = client.get(
        f"/admin/governance/servicerequest/{sr.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    history = html[html.index('id="events-group"') :]
    assert "已受理" in history
    for code in (">submitted<", ">accepted<", " submitted ", " accepted "):
        assert code not in history
