"""Every admin changelist runs the same number of queries with 1 row and with 3 rows.

The test walks admin.site._registry, so a new ModelAdmin is covered the day it is registered
(tests/performance/rows.py builds its rows). It opens each changelist as a superuser, who sees
every community's rows; the scoped views of each role have their own tests beside their apps.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.performance.rows import make_row

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Query budget of any changelist (admin pages <= 12 queries of their own, plus the
# session, the user and the permission queries of the admin itself).
ADMIN_BUDGET = 20


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_changelist_runs_the_same_queries_for_1_and_3_rows(client, superuser, community, model):
    client.force_login(superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    before = model.objects.count()
    make_row(model, community)
    one = _count(client, url)
    make_row(model, community)
    make_row(model, community)
    assert model.objects.count() == before + 3
    three = _count(client, url)
    assert one == three, f"{model._meta.label}: {one} queries with 1 row, {three} with 3"
    assert three <= ADMIN_BUDGET


def test_every_registered_admin_is_walked():
    # A ModelAdmin registered on another site or under a proxy would escape the test above.
    labels = {model._meta.label for model in REGISTERED}
    assert {"community.Resident", "governance.WorkLog", "governance.ServiceRequest"} <= labels
    assert len(labels) == len(admin.site._registry)
