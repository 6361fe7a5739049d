"""Error pages: the ones that must render when the database or the disk is the problem, and
the 403 page that says what is missing.

handler500 (config/urls.py) looks at the exception being handled: a database that does not
answer gives the branded 503 page (with Retry-After), a full disk gives 507 with a clear
message; anything else the ordinary 500 page. None of them touches the database.
handler403 (permission_denied) names the permission or the community the reader lacks and the
community's party secretary to ask for it, in the reader's language.
"""

import errno
import logging
import re
import sys

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

from accounts import roles
from accounts.access import community_ids, community_staff, home_community

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


# --- 403: what is missing and whom to ask --------------------------------------------------

ACTIONS = {
    "view": _("see %(things)s"),
    "add": _("add %(things)s"),
    "change": _("change %(things)s"),
    "delete": _("delete %(things)s"),
}
_PERMISSION = re.compile(r"^(?P<app>[a-z_]+)\.(?P<codename>[a-z_]+)$")
_ADMIN_VIEWS = {"changelist": "view", "add": "add", "delete": "delete", "change": "change"}


def describe_permission(app_label: str, codename: str) -> str | None:
    """A permission in the reader's words: "see 工作台账", "lock monthly scores"…; None when
    the app or the permission is unknown."""
    action, _sep, model_name = codename.partition("_")
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return None
    models = {m._meta.model_name: m for m in config.get_models()}
    if action in ACTIONS and model_name in models:
        return ACTIONS[action] % {"things": models[model_name]._meta.verbose_name_plural}
    for model in models.values():
        for name, label in model._meta.permissions:
            if name == codename:
                return str(label)
    return None


def _missing_from_admin_url(request) -> str | None:
    """On a back-office page: the model permission that page needs, read from its URL name."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "admin" or not match.url_name:
        return None
    # The admin names its pages <app label>_<model>_<view> (an app label may hold "_").
    for config in apps.get_app_configs():
        prefix = f"{config.label}_"
        if match.url_name.startswith(prefix):
            model, _sep, view = match.url_name.removeprefix(prefix).partition("_")
            action = _ADMIN_VIEWS.get(view, "view")
            described = describe_permission(config.label, f"{action}_{model}")
            if described:
                return described
    return None


def _secretaries(community) -> list[str]:
    users = community_staff([community.id]).filter(groups__name=roles.SECRETARY)
    return [str(user) for user in users[:3]]


def denial_context(request, exception) -> dict:
    """What the 403 page says: what is missing (a permission, a community) and whom to ask."""
    user = getattr(request, "user", None)
    message = str(exception or "")
    missing, reason = None, ""
    permission = _PERMISSION.match(message)
    if permission:
        missing = describe_permission(permission["app"], permission["codename"])
    elif message:
        reason = message
    missing = missing or (None if reason else _missing_from_admin_url(request))
    signed_in = bool(user is not None and user.is_authenticated)
    community = home_community(user) if signed_in else None
    return {
        "missing": missing,
        "reason": reason,
        "community": community,
        # A division viewer has no community of its own but views some: not "unbound".
        "no_community": signed_in and user.is_staff and community_ids(user) == [],
        "secretaries": _secretaries(community) if community is not None else None,
        "signed_in": signed_in,
        "stylesheet": _stylesheet(),
    }


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    """The branded 403 page in the reader's language (the admin's refusals come here too)."""
    try:
        context = denial_context(request, exception)
        html = render_to_string(template_name, context, request)
    except Exception:  # noqa: BLE001 - the error page must always answer
        logger.exception("The 403 page failed to render")
        html = "<!doctype html><title>403</title><h1>403</h1>"
    return HttpResponseForbidden(html)
