"""The admin's estimated-count paginator: estimates only unfiltered PostgreSQL tables."""

import pytest
from django.contrib import admin
from django.db import connection

from accounts import paginator
from community.models import Resident
from governance.models import ServiceRequest, WorkLog
from tests.performance.rows import make_row

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reltuples is PostgreSQL's"
)


@pytest.mark.parametrize("model", [Resident, WorkLog, ServiceRequest])
def test_the_big_changelists_use_it_without_a_full_count(model):
    model_admin = admin.site._registry[model]
    assert model_admin.paginator is paginator.EstimatedCountPaginator
    assert model_admin.show_full_result_count is False


def _analyze(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


def test_counts_are_exact_below_the_threshold_and_on_sqlite(community):
    for _ in range(3):
        make_row(Resident, community)
    _analyze(Resident)
    pages = paginator.EstimatedCountPaginator(Resident.objects.all(), 2)
    assert pages.count == 3
    assert pages.num_pages == 2
    assert paginator.estimated_count(Resident.objects.all()) is None  # 3 < ESTIMATE_FROM


class EstimateAlways(paginator.EstimatedCountPaginator):
    estimate_from = 1


@postgres_only
def test_an_unfiltered_big_table_is_estimated_on_postgresql(community):
    for _ in range(3):
        make_row(Resident, community)
    _analyze(Resident)
    # The planner's figure, not a count: 3 rows analysed, then 2 more it has not seen.
    make_row(Resident, community)
    make_row(Resident, community)
    assert EstimateAlways(Resident.objects.all(), 2).count == 3
    # Filtered lists and slices keep the exact count.
    filtered = Resident.objects.filter(community=community)
    assert paginator.estimated_count(filtered, minimum=1) is None
    assert EstimateAlways(filtered, 2).count == 5
    assert paginator.estimated_count(Resident.objects.all()[:2], minimum=1) is None


def test_a_list_is_counted_exactly(community):
    assert paginator.EstimatedCountPaginator([1, 2, 3], 2).count == 3
    assert paginator.estimated_count([1, 2, 3]) is None
