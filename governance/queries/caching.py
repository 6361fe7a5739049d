"""Cached reads of the public site: the home page's content and the six-star wall.

Keys carry a per-community version ("hx:public:<community id>:v"); any write to a record these
pages show bumps it, so the next request rebuilds the content (the old entries simply expire).
The bump happens

- on save/delete of the shown models and on changes of a work-log entry's stars, through the
  receivers below (connected in GovernanceConfig.ready(): the admin, the services and the
  importers all end in save() or delete()),
- explicitly in the services that write through QuerySet.update() (governance.services.notices).

Entries also expire after PUBLIC_TIMEOUT seconds: notices appear and expire by time
(publish_at, expires_at) without any write. With the default local-memory cache every gunicorn
worker keeps its own copy, so a change made through one worker reaches the others' visitors
within PUBLIC_TIMEOUT; with REDIS_URL set all workers share the cache and the version.
"""

import hashlib
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

from community.context_processors import CSRF_PLACEHOLDER, PAGE_CACHE_ATTRIBUTE
from community.elder_mode import ELDER_COOKIE

PUBLIC_TIMEOUT = 60


def _version_key(community_id: int) -> str:
    return f"hx:public:{community_id}:v"


def public_version(community_id: int) -> str:
    version = cache.get(_version_key(community_id))
    if version is None:
        # Random, so a version never repeats (after an eviction, or under a frozen clock).
        cache.add(_version_key(community_id), secrets.token_hex(8), None)
        version = cache.get(_version_key(community_id), 0)
    return version


def bump_public_version(community_id: int | None) -> None:
    """A new version now and again after the commit (a page rebuilt in between from the
    not-yet-committed state must not stay cached)."""
    if community_id is not None:
        cache.set(_version_key(community_id), secrets.token_hex(8), None)
        transaction.on_commit(
            lambda: cache.set(_version_key(community_id), secrets.token_hex(8), None)
        )


def cached_public(community, name: str, build):
    """build() for this community, cached until its public content changes."""
    key = f"hx:public:{community.pk}:{public_version(community.pk)}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PUBLIC_TIMEOUT)
    return value


# --- whole pages ---------------------------------------------------------------------------

MESSAGES_COOKIE = "messages"


def _page_key(request, community_id: int) -> str:
    elder = request.COOKIES.get(ELDER_COOKIE) == "1"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    version = public_version(community_id)
    return f"hx:page:{community_id}:{version}:{request.LANGUAGE_CODE}:{int(elder)}:{path}"


def _cacheable(request, params) -> bool:
    """Only an anonymous visitor's plain GET: no session (so no login and no flash messages)
    and no query parameters but the page's own, so the cache holds a bounded set of pages."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and all(name in params for name in request.GET)
    )


def cached_page(*, params=()):
    """Serve a public page from the cache to visitors without a session.

    The page is cached per community, public version (any change of a shown record starts
    afresh, see below), language, elder mode and path, for PUBLIC_TIMEOUT seconds. Only the
    CSRF token differs between visitors: it is cached as CSRF_PLACEHOLDER and each response
    gets the visitor's own token (and cookie), so the header's POST forms keep working.
    Everyone else (a session, flash messages, unknown parameters) gets the page rendered for
    them. The view must answer 200 for the page to be stored; it runs no query on a hit.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from community.queries import community_for_request

            if not _cacheable(request, params):
                return view(request, *args, **kwargs)
            community = community_for_request(request)
            if community is None:
                return view(request, *args, **kwargs)
            key = _page_key(request, community.pk)
            cached = cache.get(key)
            if cached is not None:
                content_type, body = cached
                return HttpResponse(
                    body.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type
                )
            setattr(request, PAGE_CACHE_ATTRIBUTE, True)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            body = response.content.decode(response.charset)
            if CSRF_PLACEHOLDER in body:
                response.content = body.replace(CSRF_PLACEHOLDER, get_token(request))
            cache.set(key, (response["Content-Type"], body), PUBLIC_TIMEOUT)
            return response

        return wrapper

    return decorator


# --- invalidation -------------------------------------------------------------------------

# Model label -> how to reach the community id from an instance (one attribute path; the
# receivers read only foreign-key ids already on the instance where they can).
SHOWN = {
    "community.Community": "pk",
    "governance.Notice": "community_id",
    "governance.WorkLog": "community_id",
    "governance.WorkLogPhoto": "worklog.community_id",
    "governance.Star": "community_id",
    "governance.Project": "community_id",
    "governance.BudgetLine": "project.community_id",
    "governance.Contract": "project.community_id",
    "governance.Payment": "contract.project.community_id",
    "governance.Milestone": "project.community_id",
}


def _community_id(instance, path: str):
    value = instance
    for part in path.split("."):
        try:
            value = getattr(value, part)
        except Exception:  # noqa: BLE001 - a parent deleted in the same cascade
            return None
    return value


def _changed(sender, instance, **kwargs):
    bump_public_version(_community_id(instance, SHOWN[sender._meta.label]))


def _stars_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        community_id = getattr(instance, "community_id", None)
        bump_public_version(community_id)


def connect() -> None:
    from django.apps import apps

    for label in SHOWN:
        model = apps.get_model(label)
        uid = f"hx-public-cache-{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    worklog_stars = apps.get_model("governance.WorkLog").stars.through
    m2m_changed.connect(_stars_changed, sender=worklog_stars, dispatch_uid="hx-public-cache-m2m")
