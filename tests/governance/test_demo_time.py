"""Demo time (accounts/portal_date.py, settings.PORTAL_TODAY): the demo's records are 2024, and
with PORTAL_TODAY set to its last day the pages open there; what is written stays real time."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts.portal_date import view_now, view_today
from governance.demo.builder import demo_last_day

LAST_DAY = dt.date(2024, 12, 31)


def test_the_demos_last_day_comes_from_its_spec(capsys):
    assert demo_last_day() == LAST_DAY
    call_command("load_demo", last_day=True)
    assert capsys.readouterr().out.strip() == "2024-12-31"


def test_view_today_is_the_setting_or_the_real_today(settings):
    settings.PORTAL_TODAY = None
    assert view_today() == timezone.localdate()
    settings.PORTAL_TODAY = LAST_DAY
    assert view_today() == LAST_DAY
    assert timezone.localtime(view_now()).date() == LAST_DAY


def test_no_service_takes_its_time_from_the_demo_day():
    """Timestamps written to records come from timezone.now() in the services, never from
    the pages' default date."""
    base = Path(settings.BASE_DIR)
    writers = [*base.glob("governance/services/*.py"), base / "community/services.py"]
    for path in writers:
        tree = ast.parse(path.read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "accounts.portal_date" not in imported, path


@pytest.mark.django_db
def test_the_request_queue_counts_overdue_as_of_the_demo_day(client, settings, community, staff):
    from governance.admin._request_queues import queue_counts
    from tests.factories import ServiceRequestFactory

    due = dt.datetime(2024, 6, 1, 4, tzinfo=dt.UTC)
    ServiceRequestFactory(community=community, submitted_at=due - dt.timedelta(days=7), due_at=due)
    settings.PORTAL_TODAY = dt.date(2024, 5, 1)
    assert queue_counts(staff)["overdue"] == 0
    settings.PORTAL_TODAY = LAST_DAY
    assert queue_counts(staff)["overdue"] == 1
    client.force_login(staff)
    html = client.get("/admin/governance/servicerequest/").content.decode()
    assert "演示数据:今天按 2024-12-31 计" in html


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_the_dashboard_opens_on_the_demos_last_month_with_its_scores(client, settings, demo):
    settings.PORTAL_TODAY = LAST_DAY
    _login(client, "secretary")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2024, 12, 1)
    assert response.context["computed"] and response.context["mean"] is not None
    html = response.content.decode()
    assert "尚未计算" not in html
    assert "演示数据:今天按 2024-12-31 计" in html


def test_the_due_visits_are_counted_from_the_demos_last_day(client, settings, demo):
    settings.PORTAL_TODAY = LAST_DAY
    _login(client, "grid1")
    response = client.get("/admin/community/visit/due/")
    assert response.status_code == 200
    assert response.context["today"] == LAST_DAY
    households = list(response.context["page"])
    assert households
    overdue = [h.overdue_days for h in households if h.overdue_days is not None]
    # Relative to 2024-12-31, nobody visited in 2024 is 700 days overdue.
    assert overdue and max(overdue) < 366
    assert "演示数据:今天按 2024-12-31 计" in response.content.decode()


def test_without_the_setting_pages_open_on_the_real_today(client, settings, demo):
    settings.PORTAL_TODAY = None
    _login(client, "secretary")
    response = client.get("/dashboard/")
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert "演示数据" not in response.content.decode()
