"""A full ID number or mobile number never stays in a URL (community/search_privacy.py):

- a changelist GET search holding one (residents, households, service requests) is refused with
  a redirect that keeps the other filters, and a message pointing to the page's POST lookup;
- the POST lookups find the records (residents: the record; requests: the list of a phone's
  requests), scoped like the changelists, CSRF-protected;
- an autocomplete term holding one answers no results without looking anything up or logging;
- partial searches keep working by GET.

The script that routes the search box through the lookups and keeps select2 from sending such
terms is tested in a browser in tests/browser/test_search_privacy.py."""

import datetime as dt
import json
import logging

import pytest
from django.contrib.admin import site
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Household, PartyMember, Resident
from community.search_privacy import NoFullNumberSearchMixin, holds_full_number
from governance.models import RequestCategory, ServiceRequest
from governance.services.requests import submit_request
from privacy.crypto import EncryptedTextField, blind_index
from privacy.models import AccessLog, AuditEvent
from tests.security.conftest import CANARY_ID, CANARY_PHONE

pytestmark = pytest.mark.django_db

RESIDENTS = "/admin/community/resident/"
HOUSEHOLDS = "/admin/community/household/"
REQUESTS = "/admin/governance/servicerequest/"
FIND_REQUESTS = REQUESTS + "find/"
AUTOCOMPLETE = "/admin/autocomplete/"
REFUSED = "完整的身份证号和手机号不能通过地址栏搜索"
REQUEST_REFUSED = "完整的手机号和身份证号不能通过地址栏搜索"
OTHER_PHONE = "13900001111"
FULL_TERMS = [
    CANARY_ID,
    CANARY_ID.lower(),
    f"{CANARY_ID[:6]} {CANARY_ID[6:14]} {CANARY_ID[14:]}",
    CANARY_ID[:15],  # a legacy 15-digit number
    CANARY_PHONE,
    "+86" + CANARY_PHONE,
    "138-7766-5544",
    f"金丝雀 {CANARY_ID}",
]


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(world.staff)
    return client


@pytest.fixture
def make_request(world):
    """A request submitted through the service, in grid A unless another building is given."""
    category = RequestCategory.objects.get(name="道路照明")
    start = timezone.now() - dt.timedelta(days=30)

    def make(*, phone=CANARY_PHONE, building=None, community=None, days=0, **fields):
        return submit_request(
            community=community or world.community,
            category=category,
            description=fields.pop("description", "路灯不亮"),
            phone=phone,
            consent=True,
            building=building or world.home_a.building,
            now=start + dt.timedelta(days=days),
            **fields,
        )

    return make


# -- changelists: GET searches --------------------------------------------------------------


@pytest.mark.parametrize("term", FULL_TERMS)
@pytest.mark.parametrize(
    ("url", "kept", "message"),
    [
        (RESIDENTS, "residency_type__exact=registered", REFUSED),
        (HOUSEHOLDS, "is_low_income__exact=1", REFUSED),
        (REQUESTS, "queue=new", REQUEST_REFUSED),
    ],
)
def test_a_get_search_for_a_full_number_is_refused_with_a_redirect(
    staff_client, url, kept, message, term
):
    name, value = kept.split("=")
    response = staff_client.get(url, {"q": term, name: value})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?{kept}"  # the filters stay, the search goes
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    assert ("按手机号查找" if url == REQUESTS else "按身份证号或手机号查找") in html
    compact = term.replace(" ", "").replace("-", "")
    assert compact[-11:] not in html and CANARY_ID not in html


@pytest.mark.parametrize(("url", "message"), [(RESIDENTS, REFUSED), (REQUESTS, REQUEST_REFUSED)])
def test_the_redirect_drops_only_the_search_and_says_why_once(staff_client, url, message):
    response = staff_client.get(url, {"q": CANARY_ID})
    assert response["Location"] == url
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and message in messages[0]
    assert CANARY_ID not in messages[0]


@pytest.mark.parametrize(
    ("term", "finds_canary"),
    [("金丝雀", True), (CANARY_PHONE[-4:], True), ("650102", False), ("乙网格", False)],
)
def test_partial_searches_still_run_by_get(staff_client, world, term, finds_canary):
    response = staff_client.get(RESIDENTS, {"q": term})
    assert response.status_code == 200
    names = {r.name for r in response.context["cl"].result_list}
    assert ("金丝雀" in names) is finds_canary
    households = staff_client.get(HOUSEHOLDS, {"q": "101"})
    assert households.status_code == 200
    assert list(households.context["cl"].result_list) == [world.home_a]


def test_requests_still_search_references_words_and_last_digits_by_get(staff_client, make_request):
    canary = make_request(description="楼道灯坏了")
    other = make_request(phone=OTHER_PHONE, description="垃圾没有清运", days=1)

    def found(term, **filters):
        response = staff_client.get(REQUESTS, {"q": term, **filters})
        assert response.status_code == 200, term
        return set(response.context["cl"].result_list)

    assert found(canary.reference) == {canary}
    assert found("垃圾") == {other}
    assert found(CANARY_PHONE[-4:]) == {canary}
    assert found(OTHER_PHONE[-4:]) == {other}
    # The last digits respect the other filters: only requests still in the queue match.
    ServiceRequest.objects.filter(pk=canary.pk).update(status=ServiceRequest.Status.CLOSED)
    assert found(CANARY_PHONE[-4:], queue="new") == set()
    assert found(OTHER_PHONE[-4:], queue="new") == {other}


def test_without_permission_the_answer_is_still_403(world):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="noperm", community=world.community))
    assert client.get(RESIDENTS, {"q": CANARY_ID}).status_code == 403
    assert client.get(REQUESTS, {"q": CANARY_PHONE}).status_code == 403
    assert client.post(FIND_REQUESTS, {"term": CANARY_PHONE}).status_code == 403


# -- the POST lookups -----------------------------------------------------------------------


def test_the_post_lookup_finds_the_resident_without_a_number_in_any_url(staff_client, world):
    response = staff_client.post(RESIDENTS + "find/", {"term": CANARY_ID})
    assert response.status_code == 302
    assert response["Location"] == f"{RESIDENTS}{world.canary.pk}/change/"
    page = staff_client.post(RESIDENTS + "find/", {"term": CANARY_PHONE})
    assert page["Location"] == f"{RESIDENTS}{world.canary.pk}/change/"


@pytest.mark.parametrize(
    "term", [CANARY_PHONE, "138-7766-5544", "+86 138 7766 5544", "１３８７７６６５５４４"]
)
def test_the_request_lookup_lists_the_phones_requests_newest_first(
    staff_client, make_request, term
):
    older = make_request(days=1)
    newer = make_request(days=2)
    make_request(phone=OTHER_PHONE, days=3)
    response = staff_client.post(FIND_REQUESTS, {"term": term})
    assert response.status_code == 200
    assert response.context["matches"] == [newer, older]
    html = response.content.decode()
    assert newer.reference in html and older.reference in html
    assert f"{REQUESTS}{newer.pk}/change/" in html
    assert "2 个诉求" in html
    # The number is not echoed back, in any form.
    assert CANARY_PHONE not in html and CANARY_PHONE[3:7] not in html
    assert 'name="term"' in html and 'value="' + term not in html


def test_the_request_lookup_is_scoped_like_the_changelist(world, make_request):
    in_a = make_request()
    in_b = make_request(building=world.home_b.building, days=1)
    make_request(community=world.other, building=world.home_other.building, days=2)
    expected = {world.staff: [in_b, in_a], world.worker_a: [in_a], world.worker_b: [in_b]}
    for user, matches in expected.items():
        client = Client()
        client.force_login(user)
        response = client.post(FIND_REQUESTS, {"term": CANARY_PHONE})
        assert response.context["matches"] == matches, user
        listed = set(client.get(REQUESTS).context["cl"].result_list)
        assert set(matches) == listed, user


@pytest.mark.parametrize(
    ("term", "error"),
    [
        (CANARY_PHONE[:10], "请输入完整的手机号"),
        (CANARY_ID, "请输入完整的手机号"),  # requests have no ID number
        ("", "这个字段是必填项"),
    ],
)
def test_the_request_lookup_explains_a_wrong_term(staff_client, make_request, term, error):
    make_request()
    response = staff_client.post(FIND_REQUESTS, {"term": term})
    assert response.status_code == 200
    assert response.context["matches"] is None
    html = response.content.decode()
    assert error in html
    assert CANARY_ID not in html


def test_the_request_lookup_says_when_nothing_matches(staff_client, make_request):
    make_request()
    response = staff_client.post(FIND_REQUESTS, {"term": OTHER_PHONE})
    assert response.context["matches"] == []
    assert "管辖范围内没有使用该号码的诉求" in response.content.decode()


def test_the_request_lookup_page_by_get_is_an_empty_form(staff_client, make_request):
    make_request()
    response = staff_client.get(FIND_REQUESTS)
    assert response.status_code == 200
    assert response.context["matches"] is None
    assert 'method="post"' in response.content.decode()


def test_the_lookups_need_the_csrf_token(world, make_request):
    make_request()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    assert client.post(FIND_REQUESTS, {"term": CANARY_PHONE}).status_code == 403
    assert client.post(RESIDENTS + "find/", {"term": CANARY_PHONE}).status_code == 403
    page = client.get(FIND_REQUESTS)
    token = page.context["csrf_token"]
    answer = client.post(FIND_REQUESTS, {"term": CANARY_PHONE, "csrfmiddlewaretoken": str(token)})
    assert answer.status_code == 200 and len(answer.context["matches"]) == 1


def test_the_request_lookup_is_audited_like_the_resident_lookup(staff_client, make_request):
    """Mirrors the residents' lookup, which writes no access-log entry (it reveals nothing
    beyond the masked rows): if one starts to, both must."""
    make_request()
    staff_client.post(RESIDENTS + "find/", {"term": CANARY_PHONE})
    resident_entries = AccessLog.objects.count()
    staff_client.post(FIND_REQUESTS, {"term": CANARY_PHONE})
    assert AccessLog.objects.count() - resident_entries == resident_entries == 0


@pytest.mark.parametrize("rows", [1, 3])
def test_the_request_lookup_runs_a_fixed_number_of_queries(
    staff_client, make_request, django_assert_num_queries, rows
):
    for day in range(rows):
        make_request(days=day)
    # session, user, permissions (2), staff profile (scope), groups, the requests (one join)
    with django_assert_num_queries(7):
        response = staff_client.post(FIND_REQUESTS, {"term": CANARY_PHONE})
    assert len(response.context["matches"]) == rows


# -- autocompletes --------------------------------------------------------------------------


def _autocomplete(client, app_label, model_name, field_name, term):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


PICKERS = [  # source admin, field → a resident, a household, a party member
    ("community", "visit", "resident"),
    ("community", "household", "head"),
    ("governance", "jobplacement", "resident"),
    ("community", "visit", "household"),
    ("community", "resident", "household"),
    ("community", "volunteerservice", "party_member"),
]


@pytest.mark.parametrize("term", [*FULL_TERMS, "１３８７７６６５５４４"])
@pytest.mark.parametrize(("app_label", "model_name", "field_name"), PICKERS)
def test_an_autocomplete_never_looks_up_a_full_number(
    staff_client, caplog, app_label, model_name, field_name, term
):
    events = AuditEvent.objects.count()
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = _autocomplete(staff_client, app_label, model_name, field_name, term)
    assert response.status_code == 200
    assert json.loads(response.content)["results"] == []
    # No query touched the picked table, nor carried the number or its blind index.
    table = {
        "resident": "community_resident",
        "head": "community_resident",
        "household": "community_household",
        "party_member": "community_partymember",
    }[field_name]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert table not in sql
    for secret in (CANARY_PHONE, CANARY_ID[:15], blind_index(CANARY_PHONE, purpose="phone")):
        assert secret not in sql
    # Nothing was logged of the term, nor written to the audit trail.
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert CANARY_PHONE[3:7] not in logged and CANARY_ID[6:14] not in logged
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("field_name", "term", "expected"),
    [("resident", "金丝", {"金丝雀"}), ("resident", CANARY_PHONE[-4:], {"金丝雀"})],
)
def test_an_autocomplete_still_finds_names_and_last_digits(
    staff_client, field_name, term, expected
):
    response = _autocomplete(staff_client, "community", "visit", field_name, term)
    assert {r["text"] for r in json.loads(response.content)["results"]} == expected


def test_every_picker_of_personal_numbers_refuses_full_numbers(world):
    """Each admin that an autocomplete searches, for a model holding ID numbers or phones,
    refuses a full number in its search (so in its autocomplete) without a query."""
    request = RequestFactory().get(AUTOCOMPLETE)
    request.user = world.staff
    targets = set()
    for model_admin in site._registry.values():
        for name in model_admin.get_autocomplete_fields(request):
            targets.add(model_admin.model._meta.get_field(name).related_model)
    personal = {
        model
        for model in targets
        if any(isinstance(f, EncryptedTextField) for f in model._meta.concrete_fields)
    }
    assert {Resident, Household, PartyMember} <= personal
    for model in personal:
        target_admin = site._registry[model]
        assert isinstance(target_admin, NoFullNumberSearchMixin), model
        queryset = target_admin.get_queryset(request)
        for term in (CANARY_ID, CANARY_PHONE):
            with CaptureQueriesContext(connection) as queries:
                found, _ = target_admin.get_search_results(request, queryset, term)
                assert list(found) == []
            assert queries.captured_queries == [], model


# -- the script -----------------------------------------------------------------------------


def test_every_back_office_page_loads_the_script_with_its_translated_message(staff_client, world):
    pages = [RESIDENTS, HOUSEHOLDS, REQUESTS, "/admin/community/grid/"]
    for url in [*pages, "/admin/community/visit/add/", "/admin/governance/jobplacement/add/"]:
        html = staff_client.get(url).content.decode()
        assert 'src="/static/js/search_privacy.js"' in html, url
        assert 'data-autocomplete-refused="身份证号和手机号不在这里搜索' in html, url


@pytest.mark.parametrize(
    ("url", "lookup"),
    [
        (RESIDENTS, RESIDENTS + "find/"),
        (HOUSEHOLDS, RESIDENTS + "find/"),
        (REQUESTS, FIND_REQUESTS),
        ("/admin/community/grid/", None),
    ],
)
def test_the_changelists_name_their_lookup_for_the_search_box(staff_client, url, lookup):
    html = staff_client.get(url).content.decode()
    if lookup is None:
        assert "data-number-lookup" not in html
    else:
        assert f'data-number-lookup="{lookup}"' in html


@pytest.mark.parametrize(
    ("term", "full"),
    [
        (CANARY_ID, True),
        (CANARY_ID[:17] + "x", True),
        ("１３８７７６６５５４４", True),  # full-width digits (a Chinese input method)
        (CANARY_PHONE, True),
        ("0086" + CANARY_PHONE, True),
        ("+86 138 7766 5544", True),
        (CANARY_PHONE[:10], False),
        (CANARY_ID[:14], False),
        ("2" + CANARY_PHONE, False),  # 12 digits: neither
        ("1号楼 101", False),
        ("5544", False),
        ("", False),
    ],
)
def test_what_counts_as_a_full_number(term, full):
    assert holds_full_number(term) is full
