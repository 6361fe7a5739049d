"""The division viewer reads what their tasks list and changes nothing; the office (staff and
the secretary) reaches every picker of the back office."""

import pytest

from tests.governance.roles.conftest import page_data

pytestmark = pytest.mark.django_db

READS = [
    "/dashboard/",
    "/dashboard/annual/2024/",
    "/admin/governance/notice/",
    "/admin/governance/project/",
    "/admin/governance/motion/",
    "/admin/governance/honourcampaign/",
    "/admin/governance/trainingcourse/",
    "/admin/community/grid/",
]
HIDDEN = [
    "/admin/community/resident/",
    "/admin/community/household/",
    "/admin/governance/servicerequest/",
    "/admin/governance/dispute/",
    "/admin/governance/relief/",
    "/admin/governance/motionobjection/",
    "/admin/governance/worklog/add/",
    "/admin/governance/notice/add/",
]


@pytest.mark.parametrize("url", READS)
def test_the_viewer_reads_the_pages_of_their_tasks(login, url):
    assert login("viewer").get(url).status_code == 200


@pytest.mark.parametrize("url", HIDDEN)
def test_the_viewer_reaches_no_personal_record_and_no_form(login, url):
    assert login("viewer").get(url).status_code == 403


@pytest.mark.parametrize("username", ["staff", "secretary"])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/governance/inspection/add/",
        "/admin/governance/nomination/add/",
        "/admin/governance/dispute/add/",
        "/admin/governance/relief/add/",
        "/admin/governance/worklog/add/",
    ],
)
def test_the_office_opens_every_add_form(login, username, url):
    assert page_data(login(username).get(url)) is not None
