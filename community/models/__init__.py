"""The registry's models, one module per concern; every model is importable from here.

- places: Community, Grid, GridMember, Compound, Building, Unit
- residents: Household, Resident (ResidentQuerySet), CareTag, ResidentTag
- visits: Visit (VisitQuerySet)
- party: PartyMember, VolunteerService
"""

from community.models.party import PartyMember, VolunteerService
from community.models.places import Building, Community, Compound, Grid, GridMember, Unit
from community.models.residents import CareTag, Household, Resident, ResidentQuerySet, ResidentTag
from community.models.visits import Visit, VisitQuerySet

__all__ = [
    "Building",
    "CareTag",
    "Community",
    "Compound",
    "Grid",
    "GridMember",
    "Household",
    "PartyMember",
    "Resident",
    "ResidentQuerySet",
    "ResidentTag",
    "Unit",
    "Visit",
    "VisitQuerySet",
    "VolunteerService",
]
