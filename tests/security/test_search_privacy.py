"""A full ID number or mobile number never stays in a changelist URL (community/search_privacy.py):
a GET search holding one is refused with a redirect and a message pointing to the POST lookup;
partial searches keep working by GET. The script that routes the search box through the
lookup is tested in a browser in tests/browser/test_search_privacy.py."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from community.search_privacy import holds_full_number
from tests.security.conftest import CANARY_ID, CANARY_PHONE

pytestmark = pytest.mark.django_db

RESIDENTS = "/admin/community/resident/"
HOUSEHOLDS = "/admin/community/household/"
REFUSED = "完整的身份证号和手机号不能通过地址栏搜索"


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(world.staff)
    return client


@pytest.mark.parametrize(
    "term",
    [
        CANARY_ID,
        CANARY_ID.lower(),
        f"{CANARY_ID[:6]} {CANARY_ID[6:14]} {CANARY_ID[14:]}",
        CANARY_ID[:15],  # a legacy 15-digit number
        CANARY_PHONE,
        "+86" + CANARY_PHONE,
        "138-7766-5544",
        f"金丝雀 {CANARY_ID}",
    ],
)
@pytest.mark.parametrize(
    ("url", "kept"),
    [(RESIDENTS, "residency_type__exact=registered"), (HOUSEHOLDS, "is_low_income__exact=1")],
)
def test_a_get_search_for_a_full_number_is_refused_with_a_redirect(staff_client, url, kept, term):
    name, value = kept.split("=")
    response = staff_client.get(url, {"q": term, name: value})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?{kept}"  # the filters stay, the search goes
    page = staff_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert REFUSED in html and "按身份证号或手机号查找" in html
    compact = term.replace(" ", "").replace("-", "")
    assert compact[-11:] not in html and CANARY_ID not in html


def test_the_redirect_drops_only_the_search_and_says_why_once(staff_client):
    response = staff_client.get(RESIDENTS, {"q": CANARY_ID})
    assert response["Location"] == RESIDENTS
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and REFUSED in messages[0]
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


def test_the_post_lookup_finds_the_resident_without_a_number_in_any_url(staff_client, world):
    response = staff_client.post(RESIDENTS + "find/", {"term": CANARY_ID})
    assert response.status_code == 302
    assert response["Location"] == f"{RESIDENTS}{world.canary.pk}/change/"
    page = staff_client.post(RESIDENTS + "find/", {"term": CANARY_PHONE})
    assert page["Location"] == f"{RESIDENTS}{world.canary.pk}/change/"


def test_the_changelists_load_the_search_box_script(staff_client):
    for url in (RESIDENTS, HOUSEHOLDS):
        assert "js/search_privacy.js" in staff_client.get(url).content.decode(), url
    # Other changelists do not need it.
    assert "js/search_privacy.js" not in staff_client.get("/admin/community/grid/").content.decode()


def test_without_permission_the_answer_is_still_403(world):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="noperm", community=world.community))
    assert client.get(RESIDENTS, {"q": CANARY_ID}).status_code == 403


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
