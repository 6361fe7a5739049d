"""Hostile text in the public forms: never a server error, always escaped where shown."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import ServiceRequest

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    description=st.text(max_size=300),
    phone=st.text(max_size=30),
    name=st.text(max_size=60),
    place=st.text(max_size=220),
)
def test_request_form_never_fails_on_arbitrary_text(
    client, community, category, description, phone, name, place
):
    from django.core.cache import cache

    cache.clear()
    response = client.post(
        "/requests/new/",
        {
            "category": category.pk,
            "description": description,
            "phone": phone,
            "requester_name": name,
            "place_text": place,
            "consent": "on",
        },
    )
    assert response.status_code in (302, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(reference=st.text(max_size=40), last4=st.text(max_size=10))
def test_tracking_never_fails_on_arbitrary_text(client, community, reference, last4):
    from django.core.cache import cache

    cache.clear()
    response = client.post(
        "/requests/track/", {"action": "lookup", "reference": reference, "last4": last4}
    )
    assert response.status_code in (400, 404)


def test_script_in_the_request_is_escaped_for_staff_and_resident(client, make_request, office):
    from governance.services.request_workflow import accept_request, reject_request

    service_request = make_request(
        description=XSS, requester_name="<script>x</script>", place_text=XSS
    )
    accept_request(service_request=service_request, actor=office)
    reject_request(service_request=service_request, actor=office, reason=XSS)
    client.force_login(office)
    for url in (
        "/admin/governance/servicerequest/",
        f"/admin/governance/servicerequest/{service_request.pk}/change/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
    client.logout()
    client.post(
        "/requests/track/",
        {"action": "lookup", "reference": service_request.reference, "last4": "5678"},
    )
    html = client.get("/requests/track/").content.decode()
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("events", [1, 3])
def test_admin_change_page_runs_a_fixed_number_of_queries(
    client, make_request, office, django_assert_num_queries, events
):
    from governance.services.request_workflow import accept_request, assign_request

    service_request = make_request()
    if events == 3:
        accept_request(service_request=service_request, actor=office)
        assign_request(service_request=service_request, actor=office, assignee=office)
    client.force_login(office)
    with django_assert_num_queries(13):
        response = client.get(f"/admin/governance/servicerequest/{service_request.pk}/change/")
    assert response.status_code == 200
