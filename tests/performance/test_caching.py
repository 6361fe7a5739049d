"""The cached home page and star wall follow the records they show."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Notice, Project, Star, WorkLog
from governance.services import notices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author(community):
    return get_user_model().objects.create_user("author")


def _log(community, author, title, *, star="jobs", day=1):
    log = WorkLog.objects.create(
        community=community,
        date=dt.date(2024, 6, day),
        kind=WorkLog.Kind.ACTIVITY,
        title=title,
        is_public=True,
        author=author,
    )
    log.stars.add(Star.objects.get(community=community, code=star))
    return log


def _home(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    return html, len(queries.captured_queries)


def test_the_second_visit_reads_the_cache(client, community, author):
    _log(community, author, "招聘会")
    html, first = _home(client)
    again, second = _home(client)
    assert "招聘会" in html and "招聘会" in again
    assert second == 0  # the whole page and the community come from the cache
    assert first > second


def test_a_new_public_entry_shows_at_once(client, community, author):
    _home(client)
    _log(community, author, "新的招聘会", day=2)
    assert "新的招聘会" in _home(client)[0]


def test_editing_deleting_and_restarring_entries_invalidate(client, community, author):
    log = _log(community, author, "招聘会")
    _home(client)
    log.title = "改名的招聘会"
    log.save()
    assert "改名的招聘会" in _home(client)[0]
    log.stars.set([Star.objects.get(community=community, code="safety")])
    wall = dict(client.get("/").context["wall"])
    by_code = {star.code: [entry.title for entry in entries] for star, entries in wall.items()}
    assert by_code["safety"] == ["改名的招聘会"]
    assert by_code["jobs"] == []
    log.delete()
    assert "改名的招聘会" not in _home(client)[0]


def test_notices_published_by_the_service_show_at_once(client, community):
    notice = Notice.objects.create(
        community=community,
        title="停水通知",
        body="明天停水",
        status=Notice.Status.DRAFT,
        publish_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert "停水通知" not in _home(client)[0]
    notices.publish_notices(queryset=Notice.objects.filter(pk=notice.pk))
    assert "停水通知" in _home(client)[0]
    notices.withdraw_notices(queryset=Notice.objects.filter(pk=notice.pk))
    assert "停水通知" not in _home(client)[0]


def test_projects_and_star_texts_invalidate(client, community):
    _home(client)
    Project.objects.create(
        community=community, name="康乐小区改造", budget="100.00", is_public=True
    )
    assert "康乐小区改造" in _home(client)[0]
    star = Star.objects.get(community=community, code="jobs")
    star.name = "就业新星"
    star.save()
    assert "就业新星" in _home(client)[0]


def test_another_communitys_change_keeps_this_cache(client, community, author):
    from governance.services.setup import set_up_community

    _home(client)
    other = set_up_community(name="其他社区", slug="other")
    _log(other, author, "别处的活动")
    html, queries = _home(client)
    assert "别处的活动" not in html
    assert queries == 1  # saving a community forgets the cached community; the page stays


def test_the_cache_is_local_memory_unless_redis_url_is_set():
    if os.environ.get("REDIS_URL"):  # CI's Redis leg runs these tests against a real Redis
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
        assert cache.set("hx:ping", 1, 5) is None and cache.get("hx:ping") == 1
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    code = (
        "from django.conf import settings; print(settings.SESSION_ENGINE); "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )
    engine, backend = result.stdout.strip().splitlines()[-2:]
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert engine == "django.contrib.sessions.backends.cached_db"


# --- whole pages for visitors without a session (governance.queries.caching.cached_page) ----------


def _token(html):
    import re

    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_each_visitor_of_a_cached_page_gets_a_working_token_of_their_own(community):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    warm = first.get("/")
    with CaptureQueriesContext(connection) as queries:
        hit = second.get("/")
    assert len(queries.captured_queries) == 0
    warm_tokens, hit_tokens = _token(warm.content.decode()), _token(hit.content.decode())
    assert len(hit_tokens) == 2  # the language and the elder-mode forms
    assert "placeholder" not in hit.content.decode()
    assert set(warm_tokens).isdisjoint(hit_tokens)
    assert "csrftoken" in hit.cookies
    # The token from the cached page is accepted with its cookie, and refused without it.
    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": hit_tokens[0]}
    )
    assert response.status_code == 302
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": hit_tokens[0]}
    )
    assert refused.status_code == 403


def test_language_and_elder_mode_are_cached_apart(client, community):
    from community.elder_mode import ELDER_COOKIE

    assert 'lang="zh-hans"' in client.get("/").content.decode()[:200]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english and "Submit a request" in english
    client.cookies[ELDER_COOKIE] = "1"
    assert 'class="elder"' in client.get("/").content.decode()
    del client.cookies[ELDER_COOKIE]
    assert 'class="elder"' not in client.get("/").content.decode()


def _rendered(client, url="/"):
    """True if the view rendered the page, False if it came whole from the cache."""
    return bool(client.get(url).templates)


def test_visitors_with_a_session_or_unknown_parameters_get_a_page_of_their_own(
    client, community, author
):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    _log(community, author, "招聘会")
    assert _rendered(client) is True
    assert _rendered(client) is False
    # Unknown parameters (tracking tags, cache busting) are not cached: the cache cannot be
    # filled with one copy of the page per made-up URL.
    assert _rendered(client, "/?utm_source=wechat") is True
    assert _rendered(client, "/?utm_source=wechat") is True
    # A flash message waiting in a cookie is shown, not a cached page without it.
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "感谢您的评价")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "感谢您的评价" in client.get("/").content.decode()
    del client.cookies["messages"]
    # A visitor with a session (a logged-in user, a tracked request) is rendered for.
    client.force_login(author)
    assert _rendered(client) is True
    assert _rendered(client) is True


def _home_with(client, url):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, len(queries.captured_queries)


def test_the_notice_pages_are_cached_and_follow_their_notices(client, community):
    notice = Notice.objects.create(
        community=community,
        title="停水通知",
        body="明天停水",
        status=Notice.Status.PUBLISHED,
        publish_at=timezone.now() - dt.timedelta(hours=1),
    )
    for url in ("/notices/", "/notices/?category=" + notice.category, notice.get_absolute_url()):
        assert "停水通知" in _home_with(client, url)[0]
        assert _home_with(client, url)[1] == 0
    notice.title = "停电通知"
    notice.save()
    for url in ("/notices/", notice.get_absolute_url()):
        assert "停电通知" in _home_with(client, url)[0]
