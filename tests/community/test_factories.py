import datetime as dt

import pytest

from community.models import PartyMember
from tests import factories

pytestmark = pytest.mark.django_db


def test_factories_build_consistent_rows():
    resident = factories.ResidentFactory(id_number=factories.make_id_number(), phone="13912345678")
    assert resident.household.community == resident.community
    assert resident.household.building.grid.community == resident.community
    assert resident.phone_masked == "139****5678" and resident.id_number_hash
    tag = factories.ResidentTagFactory(resident=resident)
    assert tag.tag.community == resident.community
    visit = factories.VisitFactory(household=resident.household)
    assert visit.community == resident.community
    member = factories.PartyMemberFactory(resident=resident)
    assert member.community == resident.community and str(member) == resident.name
    in_service = factories.PartyMemberFactory(
        resident=None,
        community=resident.community,
        kind=PartyMember.Kind.IN_SERVICE,
        name="在职党员甲",
        dual_registered_on=dt.date(2024, 3, 1),
    )
    assert str(in_service) == "在职党员甲"
    service = factories.VolunteerServiceFactory(resident=resident)
    assert service.community == resident.community


def test_shared_registry_fixtures(resident, household, grid, community):
    assert resident.household == household and household.building.grid == grid
    assert grid.community == community
