"""Error pages that must render when the database or the disk is the problem.

handler500 (config/urls.py) looks at the exception being handled: a database that does not
answer gives the branded 503 page (with Retry-After), a full disk gives 507 with a clear
message; anything else the ordinary 500 page. None of them touches the database.
"""

import errno
import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger("config.errors")


def _is_disk_full(exc) -> bool:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, DatabaseError) and "full" in str(exc).lower():
            return True  # SQLite: "database or disk is full"
        exc = exc.__cause__ or exc.__context__
    return False


def _stylesheet() -> str:
    path = "vendor/bootstrap/bootstrap.min.css"
    try:
        return static(path)
    except ValueError:  # no manifest (collectstatic not run): the plain name still works
        return settings.STATIC_URL + path


def unavailable_response(kind: str) -> HttpResponse:
    status = {"disk": 507, "database": 503}.get(kind, 500)
    try:
        html = render_to_string("503.html", {"kind": kind, "stylesheet": _stylesheet()})
    except Exception:  # noqa: BLE001 - the error page must always answer
        html = "<!doctype html><title>503</title><h1>503</h1>"
    response = HttpResponse(html, status=status)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if _is_disk_full(exc):
        logger.error("Disk full while serving %s", request.path)
        return unavailable_response("disk")
    if isinstance(exc, DatabaseError | InterfaceError):
        logger.error("Database unavailable while serving %s", request.path)
        return unavailable_response("database")
    try:
        return default_server_error(request, template_name)
    except Exception:  # noqa: BLE001 - the branded page itself needs the database
        return unavailable_response("error")
