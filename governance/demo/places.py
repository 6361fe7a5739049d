"""The demo's places: grids, compounds, buildings, units and the households' doors.

Places have no workflow (the registry's admin writes them as plain rows), so they are
bulk-created from fixtures/demo/places.toml.
"""

from community.models import Building, Community, Compound, Grid, Household, Unit


def build_places(community: Community, places: dict) -> None:
    if Grid.objects.filter(community=community).exists():
        return
    Grid.objects.bulk_create(
        Grid(
            community=community,
            code=g["code"],
            name=g["name"],
            police_officer=g.get("police_officer", ""),
        )
        for g in places["grids"]
    )
    grids = {g.code: g for g in Grid.objects.filter(community=community)}
    compounds = Compound.objects.bulk_create(
        Compound(community=community, name=c["name"]) for c in places["compounds"]
    )
    buildings = []
    for compound, spec in zip(compounds, places["compounds"], strict=True):
        count = spec["buildings"]
        for number in range(1, count + 1):
            grid_code = spec["grids"][(number - 1) * len(spec["grids"]) // count]
            bungalows = spec["kind"] == "bungalows"
            buildings.append(
                Building(
                    community=community,
                    compound=compound,
                    grid=grids[grid_code],
                    number=f"{number}排" if bungalows else f"{number}号楼",
                    kind=Building.Kind.BUNGALOWS if bungalows else Building.Kind.FLATS,
                )
            )
    Building.objects.bulk_create(buildings)
    buildings = list(Building.objects.filter(community=community).select_related("compound"))
    by_compound = {c["name"]: c for c in places["compounds"]}
    Unit.objects.bulk_create(
        Unit(building=b, number=f"{u}单元")
        for b in buildings
        if b.kind == Building.Kind.FLATS
        for u in range(1, by_compound[b.compound.name]["units"] + 1)
    )
    units: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(building__community=community).order_by("building_id", "id"):
        units.setdefault(unit.building_id, []).append(unit)
    households = []
    for b in buildings:
        spec = by_compound[b.compound.name]
        if b.kind == Building.Kind.BUNGALOWS:
            households += [
                Household(community=community, building=b, door_number=f"{d}号")
                for d in range(1, spec["doors"] + 1)
            ]
            continue
        for unit in units[b.id]:
            for floor in range(1, spec["floors"] + 1):
                for door in range(1, spec["doors"] + 1):
                    households.append(
                        Household(
                            community=community,
                            building=b,
                            unit=unit,
                            door_number=f"{floor}{door:02d}",
                        )
                    )
    Household.objects.bulk_create(households, batch_size=500)
