"""Optimistic locking on the work ledger (WorkLog), whose admin adds its own form layer:
two tabs editing one entry, the second save is refused and nothing is lost.

(Service requests are read-only in their admin form: staff change them through workflow
actions, guarded by the allowed status transitions, not by this lock.)"""

import pytest
from django.test import Client
from django.utils import timezone

from governance.models import WorkLog
from tests.governance.ledger.conftest import log, sec, stars  # noqa: F401
from tests.security.test_faults import _form_data

pytestmark = pytest.mark.django_db


def test_two_tabs_editing_one_work_log_entry(sec, stars, log):  # noqa: F811
    entry = log([stars["fortress"]], timezone.localdate(), title="原标题")
    url = f"/admin/governance/worklog/{entry.id}/change/"
    first, second = Client(), Client()
    first.force_login(sec)
    second.force_login(sec)
    form_first, form_second = _form_data(first.get(url)), _form_data(second.get(url))
    response = first.post(url, {**form_first, "title": "第一次修改"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = second.post(url, {**form_second, "title": "第二次修改"})
    assert response.status_code == 200
    assert "别人在您打开后保存了这条记录" in response.content.decode()
    assert WorkLog.objects.get(pk=entry.pk).title == "第一次修改"
