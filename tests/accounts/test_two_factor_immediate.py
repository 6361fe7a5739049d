"""A second factor made mandatory applies at once: staff already logged in are sent to enrol
(or to enter their code) on their very next request, not at their next login; switching the
rule off lifts it just as fast. Staff who owe nothing, and anonymous visitors, pay no query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.models import StaffProfile
from accounts.two_factor import allowed_before_second_factor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESIDENTS = "/admin/community/resident/"
CODE_PAGE = "/account/two-factor/"


def _token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(username: str) -> Client:
    """Logged in through the login page, as staff are."""
    client = Client()
    response = client.post(
        "/admin/login/", {"username": username, "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return client


def _set_rule(client: Client, required: bool):
    return client.post(
        "/account/two-factor/policy/", {"required": "1" if required else "0", "next": CODE_PAGE}
    )


def _is_sent_to_the_code_page(response, path: str) -> bool:
    return response.status_code == 302 and response["Location"] == f"{CODE_PAGE}?next={path}"


def _enrol(client: Client, user) -> TOTPDevice:
    """Open the code page (which makes the device to scan), then confirm it with a code."""
    assert client.get(CODE_PAGE).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(CODE_PAGE, {"token": _token(device), "next": RESIDENTS})
    assert response.status_code == 302 and response["Location"] == RESIDENTS
    return device


def test_staff_already_logged_in_must_enrol_on_their_very_next_request(world, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    staff = _login("stf")
    assert staff.get(RESIDENTS).status_code == 200
    secretary = Client()
    secretary.force_login(world.secretary)
    assert _set_rule(secretary, True).status_code == 302

    # The staff member's next request, in the session opened before the rule: the code page.
    assert _is_sent_to_the_code_page(staff.get(RESIDENTS), RESIDENTS)
    assert _is_sent_to_the_code_page(staff.get("/dashboard/"), "/dashboard/")
    assert _is_sent_to_the_code_page(staff.post(RESIDENTS, {}), RESIDENTS)
    assert _is_sent_to_the_code_page(staff.get("/notices/"), "/notices/")
    page = staff.get(f"{CODE_PAGE}?next={RESIDENTS}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "红星社区现要求所有后台账号使用动态验证码" in html  # why the page came up
    assert "<svg" in html  # the QR code to scan
    assert "policy" not in html  # no rule form for staff
    # Static files, the language switch and logging out stay open.
    static = staff.get("/static/css/site.css")  # (not collected in tests: 404, not 302)
    assert static.status_code != 302 and "Location" not in static
    assert staff.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302

    _enrol(staff, world.staff)
    assert staff.get(RESIDENTS).status_code == 200
    assert staff.get("/dashboard/").status_code != 302  # (the dashboard's own permission)

    # A colleague who did not enrol yet is held at the same point; logging out works.
    colleague = _login("worker_a")
    assert _is_sent_to_the_code_page(colleague.get("/admin/"), "/admin/")
    assert colleague.post("/admin/logout/").status_code == 200
    assert colleague.get("/admin/").status_code == 302  # now to the login page
    assert colleague.get("/admin/")["Location"].startswith("/admin/login/")


def test_turning_the_rule_off_lifts_it_at_once_and_needs_a_verified_secretary(world):
    staff = _login("stf")
    secretary = _login("sec")
    assert _set_rule(secretary, True).status_code == 302
    assert _is_sent_to_the_code_page(staff.get(RESIDENTS), RESIDENTS)

    # The secretary owes a code now too: a password alone cannot switch the rule off.
    response = _set_rule(secretary, False)
    assert _is_sent_to_the_code_page(response, "/account/two-factor/policy/")
    world.community.refresh_from_db()
    assert world.community.require_two_factor is True
    assert "two-factor/policy" not in secretary.get(CODE_PAGE).content.decode()

    _enrol(secretary, world.secretary)
    assert _set_rule(secretary, False).status_code == 302
    world.community.refresh_from_db()
    assert world.community.require_two_factor is False
    # Staff without a device work on, unverified, from their next request.
    assert staff.get(RESIDENTS).status_code == 200
    # The secretary, who has a device now, is asked for the code after the next login.
    again = _login("sec")
    assert _is_sent_to_the_code_page(again.get(RESIDENTS), RESIDENTS)


def test_superusers_follow_the_rule_of_their_own_community(world):
    bound = UserFactory(username="root_here", is_superuser=True, community=world.community)
    unbound = UserFactory(username="root_nowhere", is_superuser=True)
    assert not StaffProfile.objects.filter(user=unbound).exists()
    elsewhere = UserFactory(username="stf_other", role=roles.STAFF, community=world.other)
    clients = {user: _login(user.username) for user in (bound, unbound, elsewhere)}
    world.community.require_two_factor = True
    world.community.save(update_fields=["require_two_factor"])
    assert _is_sent_to_the_code_page(clients[bound].get(RESIDENTS), RESIDENTS)
    assert clients[unbound].get(RESIDENTS).status_code == 200
    assert clients[elsewhere].get(RESIDENTS).status_code == 200  # another community's rule


def test_the_check_costs_no_query_for_staff_who_owe_nothing_nor_for_visitors(world):
    """The rule is joined into the query that loads the user anyway; nobody else asks."""
    staff = _login("stf")
    staff.get(RESIDENTS)  # sessions and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(RESIDENTS).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    asking = [s for s in sql if "require_two_factor" in s]
    assert len(asking) == 1 and 'FROM "auth_user"' in asking[0], asking
    assert [s for s in sql if "otp_" in s] == []
    visitor = Client()
    visitor.get("/notices/")
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get("/notices/").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "auth_user" not in sql and "django_session" not in sql and "otp_" not in sql


def test_only_the_pages_needed_to_enrol_verify_or_leave_are_open():
    assert allowed_before_second_factor("/account/two-factor/")
    assert allowed_before_second_factor("/admin/logout/")
    assert allowed_before_second_factor("/admin/login/")
    assert allowed_before_second_factor("/i18n/setlang/")
    assert allowed_before_second_factor("/static/css/site.css")
    for path in (
        "/account/two-factor/policy/",
        "/admin/",
        "/admin/community/resident/",
        "/dashboard/",
        "/",
        "/requests/new/",
        "/media/requests/x.jpg",
    ):
        assert not allowed_before_second_factor(path), path


def test_a_session_made_without_the_login_page_follows_the_rule_too(world):
    """The login sets the session's flag; a session made another way (a script, an old
    session) must not slip past a mandatory second factor."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    community = world.staff.staff_profile.community
    community.require_two_factor = True
    community.save()
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(world.staff.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: world.staff.get_session_auth_hash(),
        }
    )
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert _is_sent_to_the_code_page(client.get(RESIDENTS), RESIDENTS)
    community.require_two_factor = False
    community.save()
    assert client.get(RESIDENTS).status_code == 200
