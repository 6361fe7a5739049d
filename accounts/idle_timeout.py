"""Back-office accounts are logged out after STAFF_IDLE_TIMEOUT seconds without a request.

The time of the last request lives in the session (shared by every worker); it is written at
most once a minute, and set at login (accounts.two_factor).
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

SEEN_KEY = "hx_last_seen"  # session: time of the staff member's last request


def mark_seen(request) -> None:
    """The idle timeout starts now (at login)."""
    request.session[SEEN_KEY] = int(time.time())


def idle_timeout(request):
    """A redirect to the login page when a staff member's session has been idle too long."""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return None
    now = int(time.time())
    last = request.session.get(SEEN_KEY)
    if last is not None and now - last > settings.STAFF_IDLE_TIMEOUT:
        logout(request)
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if last is None or now - last >= 60:
        request.session[SEEN_KEY] = now
    return None
