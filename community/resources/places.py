"""The places an import names (compounds, buildings, units, households): checked against
the user's grids, looked up, and created when missing."""

from django.utils.translation import gettext as _

from accounts.access import grid_ids
from community.models import Building, Community, Compound, Grid, Household, Unit
from community.resources.rows import ParsedRow


class Places:
    """Compounds, buildings, units, households and residents of one community.

    fast=True: everything the file needs is fetched up front into dictionaries and missing
    places are bulk-created. fast=False: every lookup is a query (get_or_create), the way
    a default ModelResource with foreign-key widgets works.
    """

    def __init__(self, *, community: Community, user, fast: bool):
        self.community = community
        self.user = user
        self.fast = fast
        self.allowed_grids = grid_ids(user) if user is not None else None
        self.grids = {g.code: g for g in Grid.objects.filter(community=community)}
        self.grids.update({g.name: g for g in self.grids.values()})
        if fast:
            self.compounds = {c.name: c for c in Compound.objects.filter(community=community)}
            self.buildings = {
                (b.compound_id, b.number): b for b in Building.objects.filter(community=community)
            }
            self.units = {
                (u.building_id, u.number): u
                for u in Unit.objects.filter(building__community=community)
            }
            self.households = {
                (h.building_id, h.unit_id, h.door_number): h
                for h in Household.objects.filter(community=community)
            }

    def address_of(self, household_id: int) -> str:
        """ "星光花苑二期 3号楼 1单元 101": for the preview (no query on the fast path)."""
        if not self.fast:
            h = Household.objects.select_related("building__compound", "unit").get(pk=household_id)
            parts = [h.building.compound.name, h.building.number, h.unit.number if h.unit else ""]
            return " ".join(p for p in [*parts, h.door_number] if p)
        if getattr(self, "_addresses", None) is None or household_id not in self._addresses:
            compounds = {x.pk: x.name for x in self.compounds.values()}
            buildings = {
                b.pk: (compounds.get(b.compound_id, ""), b.number) for b in self.buildings.values()
            }
            units = {u.pk: u.number for u in self.units.values()}
            self._addresses = {
                h.pk: " ".join(
                    p for p in [*buildings.get(b, ("", "")), units.get(u, ""), door] if p
                )
                for (b, u, door), h in self.households.items()
            }
        return self._addresses.get(household_id, "")

    # -- checks that need the database, done once per row ---------------------------------

    def check_address(self, p: ParsedRow) -> None:
        compound = self._compound(p.compound, create=False)
        building = (
            self._building(compound, p.building, create=False) if compound is not None else None
        )
        if building is None:
            grid = self.grids.get(p.grid_code) if p.grid_code else None
            if not p.grid_code:
                p.errors.append(_("A new building needs the 网格 column."))
            elif grid is None:
                p.errors.append(_("Unknown grid: %(grid)s") % {"grid": p.grid_code[:20]})
            elif not self._grid_allowed(grid.pk):
                p.errors.append(_("You cannot add buildings to grid %(grid)s.") % {"grid": grid})
        elif not self._grid_allowed(building.grid_id):
            p.errors.append(_("This building is outside your grids."))

    def _grid_allowed(self, grid_id: int) -> bool:
        return self.allowed_grids is None or grid_id in self.allowed_grids

    # -- lookups and creation -------------------------------------------------------------

    def _compound(self, name: str, *, create: bool) -> Compound | None:
        if not self.fast:
            if create:
                return Compound.objects.get_or_create(community=self.community, name=name)[0]
            return Compound.objects.filter(community=self.community, name=name).first()
        return self.compounds.get(name)

    def _building(self, compound, number: str, *, create: bool, grid_code: str = ""):
        if not self.fast:
            if create:
                return Building.objects.get_or_create(
                    compound=compound,
                    number=number,
                    defaults={"community": self.community, "grid": self.grids.get(grid_code)},
                )[0]
            return Building.objects.filter(compound=compound, number=number).first()
        return self.buildings.get((compound.pk, number))

    def household_for(self, p: ParsedRow) -> Household:
        """The row's household, created with its places when missing (slow path)."""
        if self.fast:
            compound = self.compounds[p.compound]
            building = self.buildings[(compound.pk, p.building)]
            unit = self.units[(building.pk, p.unit)] if p.unit else None
            return self.households[(building.pk, unit.pk if unit else None, p.door)]
        compound = self._compound(p.compound, create=True)
        building = self._building(compound, p.building, create=True, grid_code=p.grid_code)
        unit = Unit.objects.get_or_create(building=building, number=p.unit)[0] if p.unit else None
        return Household.objects.get_or_create(
            building=building,
            unit=unit,
            door_number=p.door,
            defaults={"community": self.community},
        )[0]

    def create_missing(self, rows: list[ParsedRow]) -> None:
        """Fast path: bulk-create the compounds, buildings, units and households the rows
        name and the community lacks (a few queries in all)."""
        new_compounds = {p.compound for p in rows} - set(self.compounds)
        created = Compound.objects.bulk_create(
            Compound(community=self.community, name=name) for name in sorted(new_compounds)
        )
        self.compounds.update({c.name: c for c in created})
        new_buildings = {}
        for p in rows:
            key = (self.compounds[p.compound].pk, p.building)
            if key not in self.buildings and key not in new_buildings:
                new_buildings[key] = Building(
                    community=self.community,
                    compound=self.compounds[p.compound],
                    grid=self.grids[p.grid_code],
                    number=p.building,
                )
        for b in Building.objects.bulk_create(new_buildings.values()):
            self.buildings[(b.compound_id, b.number)] = b
        new_units = {}
        for p in rows:
            if p.unit:
                building = self.buildings[(self.compounds[p.compound].pk, p.building)]
                key = (building.pk, p.unit)
                if key not in self.units and key not in new_units:
                    new_units[key] = Unit(building=building, number=p.unit)
        for u in Unit.objects.bulk_create(new_units.values()):
            self.units[(u.building_id, u.number)] = u
        new_households = {}
        for p in rows:
            building = self.buildings[(self.compounds[p.compound].pk, p.building)]
            unit = self.units[(building.pk, p.unit)] if p.unit else None
            key = (building.pk, unit.pk if unit else None, p.door)
            if key not in self.households and key not in new_households:
                new_households[key] = Household(
                    community=self.community, building=building, unit=unit, door_number=p.door
                )
        for h in Household.objects.bulk_create(new_households.values()):
            self.households[(h.building_id, h.unit_id, h.door_number)] = h
