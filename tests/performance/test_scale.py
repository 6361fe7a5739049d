"""generate_scale_data: sizes, determinism, real protected values, refusal to mix data sets."""

import pytest
from django.core.management import CommandError, call_command

from community.models import Community, Household, Resident
from governance.demo import scale
from governance.models import Notice, RequestEvent, ServiceRequest, WorkLog
from governance.queries.tracking import find_for_tracking

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = ["--communities", "2", "--residents", "30", "--work-logs", "50", "--requests", "10"]


def _generate(*args):
    call_command("generate_scale_data", *SMALL, *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_command_creates_the_sizes_asked_for():
    _generate()
    communities = Community.objects.filter(slug__startswith="scale-")
    assert sorted(communities.values_list("slug", flat=True)) == ["scale-01", "scale-02"]
    assert Resident.objects.count() == 30
    assert WorkLog.objects.count() == 50
    assert ServiceRequest.objects.count() == 10
    # Every request has its history: submitted, then one event per later step.
    assert RequestEvent.objects.filter(kind="submitted").count() == 10
    assert RequestEvent.objects.count() >= 10
    assert Household.objects.filter(residents__isnull=True).count() == 0
    assert WorkLog.stars.through.objects.count() >= 50
    assert Notice.objects.count() == 2 * scale.NOTICES_PER_COMMUNITY
    # 15 residents, 25 work-log rows and 5 requests in each community.
    for community in communities:
        assert community.residents.count() == 15
        assert community.work_logs.count() == 25
        assert community.stars.count() == 6


def test_protected_values_are_real_ciphertexts_with_working_lookups():
    _generate()
    resident = Resident.objects.order_by("id").first()
    assert resident.id_number and len(resident.id_number) == 18
    assert resident.id_number_masked == resident.id_number[:3] + "*" * 11 + resident.id_number[-4:]
    assert list(Resident.objects.by_id_number(resident.id_number)) == [resident]
    assert resident.phone_last4 == resident.phone[-4:]
    # Each value encrypted on its own: two residents never share a ciphertext.
    raw = list(Resident.objects.values_list("phone", flat=True)[:2])
    assert raw[0] != raw[1]
    request = ServiceRequest.objects.order_by("id").first()
    found = find_for_tracking(
        community=request.community, reference=request.reference, last4=request.phone[-4:]
    )
    assert found == request


def test_the_same_seed_gives_the_same_data():
    _generate("--prefix", "a")
    _generate("--prefix", "b")

    def shape(prefix):
        residents = Resident.objects.filter(community__slug__startswith=f"{prefix}-")
        logs = WorkLog.objects.filter(community__slug__startswith=f"{prefix}-")
        return (
            list(residents.order_by("id").values_list("name", "gender", "birth_date")),
            list(logs.order_by("id").values_list("date", "kind", "participants")),
        )

    assert shape("a") == shape("b")
    _generate("--prefix", "c", "--seed", "2")
    assert shape("c") != shape("a")


def test_it_refuses_to_add_to_an_existing_data_set():
    _generate()
    with pytest.raises(CommandError, match="exist already"):
        _generate()


def test_scale_multiplies_every_size_but_the_communities():
    sizes = scale.Sizes().scaled(0.01)
    assert sizes == scale.Sizes(communities=50, residents=2500, work_logs=10000, requests=1000)
