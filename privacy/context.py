"""The request being served, for the audit trail: signals carry no request argument.

accounts.middleware.SecurityMiddleware sets current_request and the request's client_ip
(accounts.middleware.client_ip, the one place that decides who the client is) for every request.
"""

import contextvars
import ipaddress

current_request: contextvars.ContextVar = contextvars.ContextVar("hx_request", default=None)


def valid_ip(value) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def request_ip(request) -> str | None:
    """The client address the middleware worked out, else the network peer's."""
    ip = getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or None
    return ip if ip and valid_ip(ip) else None
