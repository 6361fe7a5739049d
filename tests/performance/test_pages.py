"""Every page of the site is accounted for: public pages run at most 10 queries and the same
number with 1 and 3 rows; every other page has its query-count test named here."""

import ast

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from governance.models import Star
from tests.governance.public.builders import make_notice, make_project, make_worklog

pytestmark = pytest.mark.django_db

PUBLIC_BUDGET = 10

# Public list pages, measured here with 1 and with 3 rows of everything.
PUBLIC_LISTS = {
    "home": "/",
    "governance:notice-list": "/notices/",
    "governance:activity-list": "/activities/",
    **{f"governance:star-detail[{code}]": f"/stars/{code}/" for code in Star.Code.values},
}
# Other pages and the tests that count their queries (1 vs 3 rows, or a fixed count).
COVERED_ELSEWHERE = {
    "governance:notice-detail": "public/test_pages.py::test_notice_pages_query_counts",
    "governance:project-detail": (
        "public/test_pages.py::test_project_page_query_count_does_not_grow"
    ),
    "governance:honour-list": "public/test_pages.py::test_honour_roll_query_count_does_not_grow",
    "governance:request-new": (
        "requests/test_submit.py::test_request_form_page_runs_a_fixed_number_of_queries"
    ),
    "governance:request-track": (
        "requests/test_track.py::test_tracking_page_runs_a_fixed_number_of_queries"
    ),
    "governance:dashboard": (
        "scoring/test_dashboard.py::test_the_dashboard_runs_a_fixed_number_of_queries"
    ),
    "governance:dashboard-annual": (
        "annual/test_annual_views.py::test_annual_page_queries_do_not_grow_with_rows"
    ),
}
# Pages that list nothing: forms posted to, redirects, single fixed documents, the admin
# (its changelists: tests/performance/test_changelists.py).
NOT_LISTS = {
    "governance:request-submitted",
    "governance:motion-objection",
    "governance:nomination-objection",
    "governance:star-week",
    "governance:star-week-current",
    "governance:dashboard-quarter",
    "governance:dashboard-recalculate",
    "governance:dashboard-lock",
    "governance:dashboard-reopen",
    "governance:dashboard-export",
    "governance:dashboard-annual-export",
    "governance:score-detail",
    "elder-mode",
    "admin-moved",
    "healthz",
    "set_language",
    "two-factor",
    "two-factor-policy",
    "benchmark-hello",
    "benchmark-hello-session",
}


def _names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _names(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_page_is_accounted_for():
    known = {name.split("[")[0] for name in PUBLIC_LISTS} | set(COVERED_ELSEWHERE) | NOT_LISTS
    unknown = sorted(set(_names(get_resolver().url_patterns)) - known)
    assert unknown == [], "give these pages a query-count test and list them here"


@pytest.mark.parametrize("name", sorted(COVERED_ELSEWHERE))
def test_the_named_tests_exist_and_count_queries(name):
    from django.conf import settings

    path, function = COVERED_ELSEWHERE[name].split("::")
    source = (settings.BASE_DIR / "tests" / "governance" / path).read_text()
    tests = {
        node.name: ast.get_source_segment(source, node)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
    }
    assert function in tests, f"{path} has no {function}"
    assert "num_queries" in tests[function] or "CaptureQueriesContext" in tests[function]


def _count(client, url) -> int:
    cache.clear()  # a first visit: nothing cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.fixture
def author(community):
    return get_user_model().objects.create_user("author")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", sorted(PUBLIC_LISTS))
def test_public_pages_run_the_same_bounded_queries_for_1_and_3_rows(
    client, community, author, media, name
):
    def add_round(n):
        make_notice(community, f"公告{n}", pinned=n == 0)
        for code in Star.Code.values:
            make_worklog(community, author, code, f"{code}{n}", photos=2)
        make_project(community, name=f"项目{n}")

    url = PUBLIC_LISTS[name]
    add_round(0)
    one = _count(client, url)
    add_round(1)
    add_round(2)
    three = _count(client, url)
    assert one == three
    assert three <= PUBLIC_BUDGET


def test_the_benchmark_views_are_not_served_by_default(client):
    assert client.get("/benchmark-hello/").status_code == 404
    assert client.get("/benchmark-hello-session/").status_code == 404
