"""The changelist search box keeps full ID numbers and mobile numbers out of URLs
(static/js/search_privacy.js): such a search is posted to the residents' lookup, which opens
the record; other searches still go by GET. The server-side refusal is tested in
tests/security/test_search_privacy.py."""

import pytest

from community import roles
from community.services import create_community
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


@pytest.fixture
def signed_in(phone):
    community = create_community(name="红星社区", slug="hongxing", regiment="红星一场")
    grid = GridFactory(community=community, code="A", name="一网格")
    household = HouseholdFactory(
        community=community,
        building=BuildingFactory(community=community, grid=grid, number="1号楼"),
        door_number="101",
    )
    id_number = make_id_number(sequence=77)
    resident = ResidentFactory(
        community=community, household=household, name="金丝雀", id_number=id_number, phone=PHONE
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
    return page, resident, id_number, urls


@pytest.mark.parametrize("changelist", ["resident", "household"])
def test_a_full_number_in_the_search_box_opens_the_record_without_entering_a_url(
    signed_in, changelist
):
    page, resident, id_number, urls = signed_in
    for term in (id_number, f"{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"):
        page.goto(f"/admin/community/{changelist}/")
        page.fill("#searchbar", term)
        page.press("#searchbar", "Enter")
        page.wait_for_url(f"**/admin/community/resident/{resident.pk}/change/")
    assert urls  # the listener saw the traffic
    assert not [url for url in urls if id_number in url or PHONE[3:7] in url]


def test_a_partial_search_still_goes_by_get(signed_in):
    page, resident, id_number, urls = signed_in
    page.goto("/admin/community/resident/")
    page.fill("#searchbar", PHONE[-4:])
    page.press("#searchbar", "Enter")
    page.wait_for_url(f"**/admin/community/resident/?q={PHONE[-4:]}")
    assert page.locator("#result_list").get_by_text("金丝雀").is_visible()
