"""Cross-cutting request handling: the client's address behind proxies, the audit context,
the staff idle timeout and the second-factor gate.

client_ip() is the ONE place that decides who the client is: the rate limits, django-axes
and the audit trail all call it.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.idle_timeout import idle_timeout
from accounts.two_factor import allowed_before_second_factor, second_factor_due
from privacy import audit
from privacy.context import current_request, valid_ip


def client_ip(request) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies (nginx appends the
    address it saw to X-Forwarded-For), the client is the entry that many places from the
    right; anything further left was written by the client and is not trusted."""
    remote = request.META.get("REMOTE_ADDR") or None  # None: no network peer (force_login)
    if remote is not None and not valid_ip(remote):
        remote = None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    return candidate if valid_ip(candidate) else remote


class SecurityMiddleware:
    """After AuthenticationMiddleware: sets the audit context, records refused requests (403),
    logs staff out after STAFF_IDLE_TIMEOUT seconds without a request, and sends staff who
    must use a second factor to its page before any back-office page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = current_request.set(request)
        try:
            response = idle_timeout(request) or self._second_factor(request)
            if response is None:
                response = self.get_response(request)
            if response.status_code == 403:
                audit.record_denied(request)
            return response
        finally:
            current_request.reset(token)

    # -- second factor ----------------------------------------------------------------------

    def _second_factor(self, request):
        """Staff who owe a second factor (an enrolled device, or their community's rule, which
        applies from the request after the secretary sets it) reach only the code page, the
        login and logout pages, the language switch and static files. Anonymous visitors and
        staff who owe nothing pay no query here (accounts.two_factor)."""
        if not second_factor_due(request):
            return None
        if allowed_before_second_factor(request.path):
            return None
        return redirect_to_login(request.get_full_path(), reverse("two-factor"))
