"""The annual summary page: every figure links to its records, fixed queries, print, XLSX."""

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from accounts import roles
from accounts.models import StaffProfile
from governance.models import Project
from governance.queries.annual import annual_summary
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db
URL = "/dashboard/annual/2024/"


def _secretary_of(community, username):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.SECRETARY))
    StaffProfile.objects.create(user=user, community=community)
    return user


@pytest.fixture
def secretary_client(demo, client):
    client.force_login(get_user_model().objects.get(username="secretary"))
    return client


def test_annual_page_shows_the_figures_with_links(secretary_client):
    response = secretary_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="requests_resolved"' in html
    summary = response.context["summary"]
    for figure in summary.all_figures():
        if figure.value is not None:
            assert figure.url, figure.key
            assert f'href="{figure.url.replace("&", "&amp;")}"' in html, figure.key


def test_every_figure_links_to_exactly_its_records(secretary_client, demo):
    summary = annual_summary(community=demo.community, year=2024)
    checked = 0
    for figure in summary.all_figures():
        response = secretary_client.get(figure.url)
        assert response.status_code == 200, figure.key
        # An admin changelist that did not accept a filter redirects with ?e=1.
        assert "e=1" not in (urlsplit(response.get("Location", "")).query), figure.key
        if figure.counts_records:
            assert response.context["cl"].result_count == figure.value, figure.key
            checked += 1
    assert checked >= 20


def test_annual_page_runs_a_fixed_number_of_queries(
    secretary_client, client, demo, django_assert_num_queries
):
    secretary_client.get(URL)  # warm: the public community comes from the cache after this
    with django_assert_num_queries(QUERIES):
        assert secretary_client.get(URL).status_code == 200
    # A community with no records at all runs the same queries.
    other = set_up_community(name="另一社区", slug="other")
    client.force_login(_secretary_of(other, "other-secretary"))
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


def test_annual_page_queries_do_not_grow_with_rows(client, django_assert_num_queries):
    """1 and 3 rows of each kind (projects, ledger entries) give the same count."""
    community = set_up_community(name="一社区", slug="one")
    client.force_login(_secretary_of(community, "one-secretary"))
    Project.objects.create(community=community, name="项目一", budget=1)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        client.get(URL)
    Project.objects.create(community=community, name="项目二", budget=2)
    Project.objects.create(community=community, name="项目三", budget=3)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        client.get(URL)


def test_annual_print_view(secretary_client):
    response = secretary_client.get(URL + "?print=1")
    assert response.status_code == 200
    assert b"annual-print" in response.content
    assert b"css/annual.css" in response.content


def test_annual_export_is_a_workbook_of_the_figures(secretary_client):
    response = secretary_client.get(URL + "export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[1]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert 563 in rows.values()
    assert 151 in rows.values()
    assert any(
        str(row[4]).startswith("http://testserver/admin/")
        for row in sheet.iter_rows(min_row=3, values_only=True)
    )


def test_annual_export_escapes_formulas(client):
    community = set_up_community(name="三社区", slug="three")
    client.force_login(_secretary_of(community, "three-secretary"))
    Project.objects.create(community=community, name='=HYPERLINK("x")', budget=1)
    response = client.get(URL + "export.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    labels = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert any(str(label).startswith("'=HYPERLINK") for label in labels)
    assert not any(str(label).startswith("=") for label in labels)


def test_annual_page_is_for_staff_only(client, demo):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    plain = get_user_model().objects.create_user(username="plain", password="x", is_staff=True)
    client.force_login(plain)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("username", "status"),
    [("secretary", 200), ("lead_safety", 200), ("viewer", 200), ("grid1", 403)],
)
def test_annual_page_by_demo_role(client, demo, username, status):
    """Staff who may read the scores see the summary; a grid worker does not (like /dashboard/)."""
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(URL).status_code == status


@pytest.mark.parametrize("year", [1999, 2999])
def test_annual_page_rejects_impossible_years(secretary_client, year):
    assert secretary_client.get(f"/dashboard/annual/{year}/").status_code == 404


QUERIES = 23
