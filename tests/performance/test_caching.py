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

from governance import notices
from governance.models import Notice, Project, Star, WorkLog

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
    assert second == 1  # the community only
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
    from community.services import create_community

    _home(client)
    other = create_community(name="其他社区", slug="other")
    _log(other, author, "别处的活动")
    html, queries = _home(client)
    assert "别处的活动" not in html
    assert queries == 1


def test_the_cache_is_local_memory_unless_redis_url_is_set():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
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
    assert result.stdout.strip().endswith("django.core.cache.backends.redis.RedisCache")
