"""Hardened settings: headers on every kind of page, cookies, the 500 page, the staff idle
timeout. (`check --deploy --fail-level WARNING` on production settings: tests/test_project.py.)"""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]

URLS = ["/", "/notices/", "/requests/new/", "/requests/track/", "/admin/login/", "/healthz"]


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_public_and_back_office_pages(client, world, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    script = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "*" not in script
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_session_and_csrf_cookies_are_secure_in_production():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_SSL_REDIRECT")} | {
        "SECRET_KEY": "x" * 60,
        "FIELD_ENCRYPTION_KEY": "y" * 40,
        "ALLOWED_HOSTS": "a.cn",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=BASE_DIR,
    )
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True"], result.stderr


def test_a_crash_shows_the_branded_500_page_and_nothing_internal(world, settings):
    settings.ROOT_URLCONF = "tests.security.urls"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in html
    for secret in ("internal-detail-7f3a", "Traceback", "RuntimeError", "SECRET_KEY", "Django"):
        assert secret not in html


def test_staff_are_logged_out_after_thirty_idle_minutes(client, world, settings):
    settings.STAFF_IDLE_TIMEOUT = 30 * 60
    client.force_login(world.staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/admin/").status_code == 200  # activity restarts the clock
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get("/admin/community/resident/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/admin/community/resident/")
        # The session is gone: logging in again is needed.
        assert client.get("/admin/").status_code == 302


def test_residents_tracking_a_request_are_not_timed_out_like_staff(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/requests/track/")
        session = client.session
        session["marker"] = "kept"
        session.save()
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        assert client.get("/requests/track/").status_code == 200
        assert client.session.get("marker") == "kept"
