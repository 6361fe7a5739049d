"""Full ID numbers and mobile numbers stay out of URLs in the browser
(static/js/search_privacy.js, loaded on every back-office page):

- a changelist search holding one is posted to the page's lookup (the link marked
  data-number-lookup): residents and households open the record, requests list the phone's
  requests; other searches still go by GET;
- a select2 autocomplete never sends such a term (nor a run of 7+ digits while one types a
  number): the list says why instead; names still search.

Every request the browser makes is recorded and checked for the digits. The server-side
refusals are tested in tests/security/test_search_privacy.py."""

from types import SimpleNamespace

import pytest

from accounts import roles
from governance.models import RequestCategory
from governance.services.requests import submit_request
from governance.services.setup import set_up_community
from tests.factories import (
    BuildingFactory,
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13877665544"
REFUSED = "身份证号和手机号不在这里搜索"
NAME_TERM = "term=%E9%87%91%E4%B8%9D"  # 金丝, as the browser encodes it


@pytest.fixture
def signed_in(phone):
    community = set_up_community(name="红星社区", slug="hongxing", regiment="红星一场")
    grid = GridFactory(community=community, code="A", name="一网格")
    building = BuildingFactory(community=community, grid=grid, number="1号楼")
    household = HouseholdFactory(community=community, building=building, door_number="101")
    id_number = make_id_number(sequence=77)
    resident = ResidentFactory(
        community=community, household=household, name="金丝雀", id_number=id_number, phone=PHONE
    )
    # Transactional tests may run after a flush that emptied the migrations' reference rows.
    category, _ = RequestCategory.objects.get_or_create(
        name="道路照明", defaults={"name_en": "Roads and lighting", "star_code": "cobuild"}
    )
    service_request = submit_request(
        community=community,
        category=category,
        description="路灯不亮",
        phone=PHONE,
        consent=True,
        building=building,
    )
    UserFactory(username="clerk", role=roles.STAFF, community=community)
    page = phone
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return SimpleNamespace(
        page=page,
        urls=urls,
        resident=resident,
        id_number=id_number,
        service_request=service_request,
    )


def _leaked(urls, *secrets):
    return [url for url in urls if any(secret in url for secret in secrets)]


@pytest.mark.parametrize("changelist", ["resident", "household"])
def test_a_full_number_in_the_search_box_opens_the_record_without_entering_a_url(
    signed_in, changelist
):
    page, urls = signed_in.page, signed_in.urls
    for term in (signed_in.id_number, f"{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"):
        page.goto(f"/admin/community/{changelist}/")
        page.fill("#searchbar", term)
        page.press("#searchbar", "Enter")
        page.wait_for_url(f"**/admin/community/resident/{signed_in.resident.pk}/change/")
    assert urls  # the listener saw the traffic
    assert not _leaked(urls, signed_in.id_number, PHONE[3:7])


def test_a_full_phone_in_the_request_search_box_lists_its_requests(signed_in):
    page, urls = signed_in.page, signed_in.urls
    page.goto("/admin/governance/servicerequest/?queue=open")
    page.fill("#searchbar", f"+86 {PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/admin/governance/servicerequest/find/")
    table = page.locator("#result_list")
    assert table.get_by_role("link", name=signed_in.service_request.reference).is_visible()
    assert "此号码共有 1 个诉求" in table.inner_text()
    assert page.locator("#id_term").input_value() == ""  # not echoed back
    assert not _leaked(urls, PHONE[3:7])


def test_a_partial_search_still_goes_by_get(signed_in):
    page = signed_in.page
    page.goto("/admin/community/resident/")
    page.fill("#searchbar", PHONE[-4:])
    page.press("#searchbar", "Enter")
    page.wait_for_url(f"**/admin/community/resident/?q={PHONE[-4:]}")
    assert page.locator("#result_list").get_by_text("金丝雀").is_visible()
    page.goto("/admin/governance/servicerequest/")
    page.fill("#searchbar", PHONE[-4:])
    page.press("#searchbar", "Enter")
    page.wait_for_url(f"**/admin/governance/servicerequest/?q={PHONE[-4:]}")
    reference = signed_in.service_request.reference
    assert page.locator("#result_list").get_by_role("link", name=reference).is_visible()


def _open_resident_picker(page):
    page.goto("/admin/community/visit/add/")
    page.locator("#id_resident + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.wait_for()
    return search


def _autocomplete_urls(urls):
    return [url for url in urls if "/admin/autocomplete/" in url]


@pytest.mark.parametrize("how", ["typed", "pasted"])
def test_an_autocomplete_never_sends_a_number(signed_in, how):
    page, urls = signed_in.page, signed_in.urls
    search = _open_resident_picker(page)
    # Typed slowly (select2 searches 250 ms after each pause), or pasted at once.
    if how == "typed":
        search.press_sequentially(PHONE, delay=350)
    else:
        search.fill(signed_in.id_number)
    message = page.locator(".select2-results__option", has_text=REFUSED)
    message.wait_for()
    assert message.get_attribute("aria-disabled") == "true"  # it cannot be picked
    page.wait_for_timeout(600)  # past select2's delay: any request would have left by now
    sent = _autocomplete_urls(urls)
    if how == "typed":
        assert sent  # the first digits (at most 6) were still searched
    assert not _leaked(sent, PHONE[:7], signed_in.id_number[:7])
    # A name still searches, in the same picker.
    search.fill("金丝")
    page.locator(".select2-results__option", has_text="金丝雀").wait_for()
    assert NAME_TERM in _autocomplete_urls(urls)[-1]


def test_no_request_of_the_admins_jquery_carries_a_number(signed_in):
    page, urls = signed_in.page, signed_in.urls
    page.goto("/admin/community/visit/add/")
    outcome = page.evaluate(
        """(phone) => new Promise((resolve) => {
            django.jQuery
              .get("/admin/autocomplete/", {term: phone, app_label: "community",
                                            model_name: "visit", field_name: "resident"})
              .done(() => resolve("sent"))
              .fail((xhr, text) => resolve([xhr.status, text]));
        })""",
        PHONE,
    )
    assert outcome == [0, "canceled"]  # aborted before it left
    named = page.evaluate(
        """() => django.jQuery.get("/admin/autocomplete/", {term: "金丝", app_label: "community",
                                   model_name: "visit", field_name: "resident"})"""
    )
    assert [r["text"] for r in named["results"]] == ["金丝雀"]
    assert not _leaked(urls, PHONE[3:7])
    assert NAME_TERM in _autocomplete_urls(urls)[-1]
