import threading

import pytest
import time_machine
from django.db import connection, connections
from django.db.utils import IntegrityError

from governance.models import ReferenceCounter, ServiceRequest
from governance.services.requests import submit_request
from governance.services.setup import set_up_community

from .conftest import GOOD_PHONE


@pytest.mark.django_db
def test_references_are_sequential_per_community_and_year(make_request, community, category):
    with time_machine.travel("2024-12-31 12:00 +0800", tick=False):
        first, second = make_request(), make_request()
    with time_machine.travel("2025-01-01 08:00 +0800", tick=False):
        third = make_request()
    other = set_up_community(name="别的社区", slug="other")
    with time_machine.travel("2025-01-02 08:00 +0800", tick=False):
        elsewhere = make_request(community=other, building=None, place_text="某处")
    assert [first.reference, second.reference, third.reference, elsewhere.reference] == [
        "HX-2024-00001",
        "HX-2024-00002",
        "HX-2025-00001",
        "HX-2025-00001",
    ]


@pytest.mark.django_db
def test_a_failed_submission_gives_its_number_back(make_request, community):
    make_request()
    with pytest.raises(AttributeError):
        make_request(photos=[object()])  # fails after the number was drawn
    assert ServiceRequest.objects.count() == 1
    assert make_request().reference.endswith("-00002")


@pytest.mark.django_db
def test_the_reference_is_unique_per_community(make_request, community):
    first = make_request()
    counter = ReferenceCounter.objects.get()
    counter.last = 0
    counter.save()
    with pytest.raises(IntegrityError):
        make_request()
    assert ServiceRequest.objects.get().reference == first.reference


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_submissions_get_distinct_gapless_references():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers (IMMEDIATE transactions); row locks and real parallel "
            "writers are tested on PostgreSQL (DATABASE_URL=postgres://…)."
        )
    from governance.models import RequestCategory

    community = set_up_community(name="红星社区", slug="hongxing")
    # Transactional tests may run after a flush that emptied the migrations' reference rows.
    category, _ = RequestCategory.objects.get_or_create(name="其他")
    barrier = threading.Barrier(50)
    errors: list[Exception] = []

    def submit(n):
        try:
            barrier.wait(timeout=30)
            submit_request(
                community=community,
                category=category,
                description=f"并发提交 {n}",
                phone=GOOD_PHONE,
                consent=True,
                place_text="测试",
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(
        int(r.rsplit("-", 1)[1]) for r in ServiceRequest.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, 51))
    assert ReferenceCounter.objects.get(community=community).last == 50
