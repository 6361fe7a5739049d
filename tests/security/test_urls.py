"""Access control: every URL pattern is classified; anonymous users reach only public ones;
a roles x URLs x status matrix for GET and POST; other communities' and grids' records
answer 404; CSRF is enforced on every POST."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from community.models import Resident

pytestmark = pytest.mark.django_db

PUBLIC = {
    "home",
    "healthz",
    "elder-mode",
    "set_language",
    "governance:request-new",
    "governance:request-submitted",
    "governance:request-track",
    "governance:notice-list",
    "governance:notice-detail",
    "governance:activity-list",
    "governance:star-detail",
    "governance:project-detail",
    "governance:motion-objection",
    "governance:honour-list",
    "governance:nomination-objection",
    "admin:login",  # the login page and logging out are open to anybody
    "admin:logout",
}
# Back-office pages outside /admin/: staff accounts, each view checking its permission.
STAFF = {
    "two-factor",
    "governance:dashboard",
    "governance:star-week",
    "governance:star-week-current",
    "governance:dashboard-quarter",
    "governance:dashboard-export",
    "governance:score-detail",
    "governance:dashboard-annual",
    "governance:dashboard-annual-export",
}
SECRETARY = {
    "two-factor-policy",
    "governance:dashboard-recalculate",
    "governance:dashboard-lock",
    "governance:dashboard-reopen",
}
ADMIN_PREFIX = "admin/"

DUMMY = {
    "pk": "1",
    "object_id": "1",
    "id": "1",
    "motion_id": "1",
    "year": "2025",
    "week": "1",
    "quarter": "1",
    "month": "2025-01",
    "star_code": "x",
    "code": "x",
    "app_label": "community",
    "content_type_id": "1",
    "model": "auditevent",
    "rest": "",
    "url": "x",
    "path": "x",
}


def _walk(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield route, name, entry


def classify(route: str, name: str | None) -> str | None:
    if name in PUBLIC:
        return "public"
    if route.startswith(ADMIN_PREFIX) or route.startswith("^" + ADMIN_PREFIX):
        return "admin"
    if name in PUBLIC:
        return "public"
    if name in STAFF:
        return "staff"
    if name in SECRETARY:
        return "secretary"
    if route.startswith("media/"):
        return "public"  # DEBUG only: uploaded photos (random names)
    return None


def _concrete(route, name, entry) -> str | None:
    if name is None:
        # Unnamed: fill the pattern by hand (the admin's catch-all, for one).
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route).strip("^$")
        return "/" + text.replace("\\", "")
    keys = set(entry.pattern.regex.groupindex)
    for fallback in ("1", "x"):
        try:
            return reverse(name, kwargs={k: DUMMY.get(k, fallback) for k in keys})
        except NoReverseMatch:
            continue
    return None


def test_every_url_pattern_is_classified():
    unclassified = [(route, name) for route, name, _ in _walk() if classify(route, name) is None]
    assert unclassified == [], f"Classify these URLs in tests/security/test_urls.py: {unclassified}"


def test_every_protected_url_sends_anonymous_users_to_the_login_page():
    client = Client()
    checked = 0
    for route, name, entry in _walk():
        kind = classify(route, name)
        if kind == "public":
            continue
        url = _concrete(route, name, entry)
        assert url is not None, f"no concrete URL for {route} ({name})"
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (method, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/admin/login/"), (url, response["Location"])
        checked += 1
    assert checked > 50  # the admin alone has dozens of pages


ROLES = ["anonymous", "worker_a", "star_member", "staff", "secretary", "viewer"]


def _client(world, role, **kwargs):
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _matrix(world):
    """(method, url, data, {role: expected status}). Star members read the community's
    residents and households (masked: they pick them in their forms), never change them."""
    canary = f"/admin/community/resident/{world.canary.pk}/change/"
    other_grid = f"/admin/community/resident/{world.resident_b.pk}/change/"
    other_community = f"/admin/community/resident/{world.resident_other.pk}/change/"
    household_other = f"/admin/community/household/{world.home_other.pk}/change/"
    return [
        ("get", "/", None, dict.fromkeys(ROLES, 200)),
        ("get", "/notices/", None, dict.fromkeys(ROLES, 200)),
        ("get", "/requests/new/", None, dict.fromkeys(ROLES, 200)),
        ("get", "/requests/track/", None, dict.fromkeys(ROLES, 200)),
        ("get", "/healthz", None, dict.fromkeys(ROLES, 200)),
        ("get", "/admin/", None, {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}),
        (
            "get",
            "/admin/community/resident/",
            None,
            {
                "anonymous": 302,
                "worker_a": 200,
                "star_member": 200,
                "staff": 200,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            canary,
            None,
            {
                "anonymous": 302,
                "worker_a": 200,
                "star_member": 200,
                "staff": 200,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            other_grid,
            None,
            {
                "anonymous": 302,
                "worker_a": 404,
                "star_member": 200,
                "staff": 200,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            other_community,
            None,
            {
                "anonymous": 302,
                "worker_a": 404,
                "star_member": 404,
                "staff": 404,
                "secretary": 404,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            household_other,
            None,
            {
                "anonymous": 302,
                "worker_a": 404,
                "star_member": 404,
                "staff": 404,
                "secretary": 404,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            f"/admin/community/resident/{world.canary.pk}/reveal/",
            None,
            {
                "anonymous": 302,
                "worker_a": 403,
                "star_member": 403,
                "staff": 403,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            "/admin/privacy/auditevent/",
            None,
            {
                "anonymous": 302,
                "worker_a": 403,
                "star_member": 403,
                "staff": 200,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            "/admin/privacy/accesslog/",
            None,
            {
                "anonymous": 302,
                "worker_a": 403,
                "star_member": 403,
                "staff": 403,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "get",
            "/admin/auth/user/",
            None,
            {"anonymous": 302, **dict.fromkeys(ROLES[1:], 403)},
        ),
        ("get", "/account/two-factor/", None, {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}),
        (
            "post",
            "/account/two-factor/policy/",
            {"required": "0"},
            {
                "anonymous": 302,
                "worker_a": 403,
                "star_member": 403,
                "staff": 403,
                "secretary": 302,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "post",
            canary,
            {"name": "改名"},
            {
                "anonymous": 302,
                "worker_a": 200,
                "star_member": 403,
                "staff": 200,
                "secretary": 200,
                "viewer": 403,
            },
        ),  # fmt: skip  (200: the form comes back with its errors; nothing saved)
        (
            "post",
            other_community,
            {"name": "改名"},
            {
                "anonymous": 302,
                "worker_a": 404,
                "star_member": 403,
                "staff": 404,
                "secretary": 404,
                "viewer": 403,
            },
        ),  # fmt: skip
        (
            "post",
            f"/admin/community/resident/{world.resident_other.pk}/delete/",
            {"post": "yes"},
            {
                "anonymous": 302,
                "worker_a": 403,
                "star_member": 403,
                "staff": 404,
                "secretary": 404,
                "viewer": 403,
            },
        ),  # fmt: skip
    ]


def test_roles_by_urls_matrix(world):
    failures = []
    for method, url, data, expected in _matrix(world):
        for role in ROLES:
            client = _client(world, role)
            response = getattr(client, method)(url, data or {})
            if response.status_code != expected[role]:
                failures.append((method, url, role, expected[role], response.status_code))
    assert failures == []
    # Nothing was changed or deleted by the POSTs above.
    assert Resident.objects.filter(name="改名").count() == 0
    assert Resident.objects.filter(pk=world.resident_other.pk).exists()


def test_sequential_ids_of_other_communities_answer_404(world):
    """IDOR sweep: ids around the other community's resident, for the grid worker of A."""
    client = _client(world, "worker_a")
    mine = set(
        Resident.objects.filter(household__building__grid=world.grid_a).values_list("pk", flat=True)
    )
    for pk in range(max(1, world.resident_other.pk - 50), world.resident_other.pk + 50):
        if pk in mine:
            continue
        response = client.get(f"/admin/community/resident/{pk}/change/")
        assert response.status_code == 404, pk


def test_csrf_is_enforced_on_every_post(world):
    """With real CSRF checks and no token, every POST (public or back office) is refused."""
    posts = [
        "/requests/new/",
        "/requests/track/",
        "/elder-mode/",
        "/i18n/setlang/",
        "/admin/login/",
        f"/admin/community/resident/{world.canary.pk}/change/",
        "/admin/community/resident/add/",
        "/account/two-factor/",
        "/account/two-factor/policy/",
        "/dashboard/2025-01/lock/",
    ]
    for role in ("anonymous", "secretary"):
        client = _client(world, role, enforce_csrf_checks=True)
        for url in posts:
            response = client.post(url, {"name": "x"})
            assert response.status_code == 403, (role, url, response.status_code)
    assert Resident.objects.filter(name="x").count() == 0
