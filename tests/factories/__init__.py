"""factory_boy factories shared by the whole test suite: the registry's (places, people, staff
accounts) in registry.py, the governance records' in governance.py; every factory is
importable from here (`from tests.factories import ResidentFactory`)."""

from .governance import (
    DisputeFactory,
    NoticeFactory,
    ProjectFactory,
    ServiceRequestFactory,
    SixStarCommunityFactory,
    SubmittedRequestFactory,
    WeeklyTaskFactory,
    WorkLogFactory,
)
from .registry import (
    BuildingFactory,
    CareTagFactory,
    CommunityFactory,
    CompoundFactory,
    GridFactory,
    GridMemberFactory,
    HouseholdFactory,
    PartyMemberFactory,
    ResidentFactory,
    ResidentTagFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
    VolunteerServiceFactory,
    make_id_number,
    make_mobile,
)

__all__ = [
    "BuildingFactory",
    "CareTagFactory",
    "CommunityFactory",
    "CompoundFactory",
    "DisputeFactory",
    "GridFactory",
    "GridMemberFactory",
    "HouseholdFactory",
    "NoticeFactory",
    "PartyMemberFactory",
    "ProjectFactory",
    "ResidentFactory",
    "ResidentTagFactory",
    "ServiceRequestFactory",
    "SixStarCommunityFactory",
    "SubmittedRequestFactory",
    "UnitFactory",
    "UserFactory",
    "VisitFactory",
    "VolunteerServiceFactory",
    "WeeklyTaskFactory",
    "WorkLogFactory",
    "make_id_number",
    "make_mobile",
]
